/**
 * What installing jest-chaos does to a project's own nock: `npm install -D <packed tarball>` into a project
 * that pins nock 14.0.5 in its lockfile keeps that nock (the lockfile still says 14.0.5, node_modules holds
 * one nock), and a project without nock gets exactly one. npm from the registry, --prefer-offline.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packTarball } from '../support/packed-tarball';
import { runProcess, withoutRunVariables } from '../support/run-process';

jest.setTimeout(180_000);

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work = '';
let tarball = '';

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-install-footprint-'));
  ({ tarball } = await packTarball(work));
});

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

/** Runs npm in `dir`, with none of the parent run's chaos or Jest variables; throws on failure. */
async function npm(dir: string, args: readonly string[]): Promise<void> {
  const run = await runProcess(NPM, [...args, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, env: withoutRunVariables() });
  if (run.code !== 0) throw new Error(`npm ${args.join(' ')} in ${dir} exited with ${String(run.code)}:\n${run.output.slice(-4000)}`);
}

/** A fresh project folder with a package.json. */
function project(name: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name, version: '1.0.0', private: true }, null, 2)}\n`);
  return dir;
}

/** Every nock package on disk below the project's node_modules, as `<folder>@<version>`. */
function nockCopies(dir: string): string[] {
  const found: string[] = [];
  const visit = (modules: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(modules);
    } catch {
      return;
    }
    for (const entry of entries) {
      const names = entry.startsWith('@') ? readdirSync(path.join(modules, entry)).map((inner) => `${entry}/${inner}`) : [entry];
      for (const name of names) {
        const folder = path.join(modules, name);
        if (name === 'nock') found.push(`${path.relative(dir, folder).split(path.sep).join('/')}@${(JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version: string }).version}`);
        visit(path.join(folder, 'node_modules'));
      }
    }
  };
  visit(path.join(dir, 'node_modules'));
  return found.sort();
}

function lockedNock(dir: string): string | undefined {
  const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  return lock.packages['node_modules/nock']?.version;
}

test('a project that pins nock 14.0.5 keeps it: its lockfile still says 14.0.5, and node_modules holds that one nock', async () => {
  const dir = project('pins-nock');
  await npm(dir, ['install', '--save-dev', 'nock@14.0.5']);
  expect(lockedNock(dir)).toBe('14.0.5');
  await npm(dir, ['install', '--save-dev', tarball]);
  expect(lockedNock(dir)).toBe('14.0.5');
  expect(nockCopies(dir)).toEqual(['node_modules/nock@14.0.5']);
});

test('a project without nock gets exactly one, a nock 14', async () => {
  const dir = project('no-nock');
  await npm(dir, ['install', '--save-dev', tarball]);
  const copies = nockCopies(dir);
  expect(copies).toHaveLength(1);
  expect(copies[0]).toMatch(/^node_modules\/nock@14\.\d+\.\d+$/);
});
