/**
 * The Jest-major runner that other end-to-end tests use: the same fixture file gives the same statuses
 * under Jest 29 and Jest 30, and the Jest 29 run really is Jest 29 throughout.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { jest29Home, jest29Manifest, MAJORS, runJestMajor } from '../support/jest-majors';
import { statuses, type JestRun } from '../support/run-jest';

jest.setTimeout(120_000);

beforeAll(async () => {
  await jest29Home();
}, 600_000);

function failures(run: JestRun): string {
  const messages = (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]);
  return `exit ${String(run.code)}\n${messages.filter((text) => text !== '').join('\n').slice(0, 4000)}\n${run.stderr.slice(-2000)}`;
}

test('the Jest 29 cache holds Jest 29.7.0 and the locked runtime dependencies, and jest-chaos resolves them', async () => {
  const home = await jest29Home();
  const manifest = jest29Manifest();
  expect(manifest.dependencies).toMatchObject({ jest: '29.7.0', 'jest-environment-node': '29.7.0', 'jest-runner': '29.7.0' });
  // Where each run's copy of jest-chaos lives: its imports must land on the Jest 29 packages.
  const copy = path.join(home, 'runs', 'run-x', 'node_modules', 'jest-chaos', 'dist', 'environments');
  const version = (name: string) => {
    // Node's lookup from the copy's folder, read from the file system: some of them export no package.json.
    for (let dir = copy; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      const manifestFile = path.join(dir, 'node_modules', name, 'package.json');
      if (existsSync(manifestFile)) return (JSON.parse(readFileSync(manifestFile, 'utf8')) as { version: string }).version;
    }
    return undefined;
  };
  expect(Object.fromEntries(Object.keys(manifest.dependencies).map((name) => [name, version(name)]))).toEqual(manifest.dependencies);
  const printed = await runJestMajor(29, 'http', ['--version'], {}, { json: false });
  expect([printed.code, printed.stdout.trim()]).toEqual([0, '29.7.0']);
});

test('one fixture file, chaos on: the same statuses under every major', async () => {
  const runs = await Promise.all(MAJORS.map((major) => runJestMajor(major, 'http', ['composition.test.js'], { CHAOS_ENABLED: '1', CHAOS_SEED: '7' })));
  if (runs.some((run) => run.code !== 0)) throw new Error(runs.map((run, i) => `Jest ${String(MAJORS[i])}: ${failures(run)}`).join('\n---\n'));
  const [jest29, jest30] = runs.map((run) => statuses(run));
  expect(Object.keys(jest30 ?? {}).length).toBeGreaterThan(3);
  expect(jest29).toEqual(jest30);
});
