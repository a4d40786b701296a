/**
 * The packaging matrix: the packed tarball (`npm pack`), installed into fresh projects for Jest 29 and
 * Jest 30, each running a CommonJS suite (preset), a TypeScript suite (ts-jest's preset + withChaos()) and
 * an ESM suite under Jest's ESM mode (the individual entry points), with chaos off and on.
 *
 * Relies on `dist/` being current, as `npm test` builds before it runs Jest.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packTarball, type PackedFile } from '../support/packed-tarball';
import type { JestJson } from '../support/run-jest';
import { runProcess, withoutRunVariables } from '../support/run-process';

jest.setTimeout(240_000);

const REPO = path.resolve(__dirname, '..', '..');
const TEMPLATES = path.join(__dirname, 'fixtures', 'packaging');
const MAJORS = ['jest29', 'jest30'] as const;
type Major = (typeof MAJORS)[number];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A child process's environment: none of the parent run's chaos or Jest worker variables. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // The consumer runs must not write into the CI job's own step summary.
  const env = withoutRunVariables({ FORCE_COLOR: '0', NO_COLOR: '1' });
  delete env.GITHUB_STEP_SUMMARY;
  return { ...env, ...extra };
}

function run(cwd: string, command: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return runProcess(command, args, { cwd, env: childEnv(env) });
}

function npm(cwd: string, args: readonly string[]): Promise<Run> {
  return run(cwd, process.platform === 'win32' ? 'npm.cmd' : 'npm', args);
}

function mustSucceed(what: string, result: Run): Run {
  if (result.code !== 0) throw new Error(`${what} exited with ${String(result.code)}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
  return result;
}

let work = '';
let tarball = '';
let packed: readonly PackedFile[] = [];
const consumers = {} as Record<Major, string>;

beforeAll(async () => {
  if (!existsSync(path.join(REPO, 'dist', 'src', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test.');
  work = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-packaging-'));
  ({ tarball, files: packed } = await packTarball(work));

  await Promise.all(
    MAJORS.map(async (major) => {
      const dir = path.join(work, major);
      cpSync(path.join(TEMPLATES, 'consumer'), dir, { recursive: true });
      const manifest = JSON.parse(readFileSync(path.join(TEMPLATES, major, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
      manifest.devDependencies['jest-chaos'] = `file:${tarball}`;
      writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      mustSucceed(`npm install (${major})`, await npm(dir, ['install', '--prefer-offline', '--no-audit', '--no-fund']));
      consumers[major] = dir;
    }),
  );
});

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

/** Runs `fn` for both consumers at once (one per core), keyed by major. */
async function both<T>(fn: (dir: string, major: Major) => Promise<T>): Promise<Record<Major, T>> {
  const results = await Promise.all(MAJORS.map((major) => fn(consumers[major], major)));
  return Object.fromEntries(MAJORS.map((major, i) => [major, results[i]])) as Record<Major, T>;
}

interface Suite {
  readonly name: string;
  readonly config: string;
  /** Extra environment of the child Jest (ESM mode needs a Node flag). */
  readonly env: Record<string, string>;
  readonly chaosFile: string;
  /** Files without a `@chaos` pragma (some with chaos tests inside). */
  readonly ordinaryFiles: readonly string[];
  /** Test name -> status of the ordinary files while chaos is disabled. */
  readonly off: Record<string, string>;
  /** Every file's tests -> status while chaos is enabled. */
  readonly on: Record<string, string>;
  /** Rules that the summary must count while chaos is enabled. */
  readonly rules: readonly string[];
}

const ordinary = {
  'ordinary test: nock works as usual': 'passed',
  'ordinary test: leaves an unused nock scope behind': 'passed',
  'ordinary test: the scope is still there, as in plain Jest: this file and jest-chaos share one nock': 'passed',
};

const SUITES: readonly Suite[] = [
  {
    name: 'CommonJS (preset)',
    config: 'jest.preset.config.js',
    env: {},
    chaosFile: 'cjs/http-chaos.test.js',
    ordinaryFiles: ['cjs/mixed.test.js'],
    off: { ...ordinary, 'chaos: the first call gets a 503, the retry reaches the nock scope': 'pending' },
    on: {
      ...ordinary,
      'chaos: the first call gets a 503, the retry reaches the nock scope': 'passed',
      'chaos: a nock scope answers while the refused host is refused (fetch)': 'passed',
      'chaos: a nock scope answers while the refused host is refused (http)': 'passed',
    },
    rules: ['http.refused refused.example.com', 'http.status api.example.com status=503 times=1'],
  },
  {
    name: 'TypeScript (ts-jest preset + withChaos)',
    config: 'jest.with-chaos.config.js',
    env: {},
    chaosFile: 'ts/http-chaos.test.ts',
    ordinaryFiles: ['ts/mixed.test.ts'],
    off: { ...ordinary, 'chaos: the builder refuses one host': 'pending' },
    on: {
      ...ordinary,
      'chaos: the builder refuses one host': 'passed',
      'chaos: a nock scope answers once the 503 fault is spent': 'passed',
    },
    rules: ['http.status api.example.com status=503 times=1', 'http.latency api.example.com ms=1', 'http.refused refused.example.com'],
  },
  {
    name: 'ESM (entry points, NODE_OPTIONS=--experimental-vm-modules)',
    config: 'jest.parts.config.js',
    env: { NODE_OPTIONS: '--experimental-vm-modules' },
    chaosFile: 'esm/http-chaos.test.mjs',
    ordinaryFiles: ['esm/mixed.test.mjs', 'esm/type-module/builder.test.js'],
    off: { ...ordinary, 'chaos: the first call gets a 503, the retry reaches the nock scope': 'pending', 'chaos: the builder refuses one host': 'pending' },
    on: {
      ...ordinary,
      'chaos: the first call gets a 503, the retry reaches the nock scope': 'passed',
      'chaos: a nock scope answers while the refused host is refused': 'passed',
      'chaos: the builder refuses one host': 'passed',
    },
    rules: ['http.refused refused.example.com', 'http.status api.example.com status=503 times=1', 'http.latency api.example.com ms=1'],
  },
];

/** The part of `chaos-report.json` (docs/report.md) that these runs check. */
interface ChaosReport {
  readonly runs: readonly { readonly baseSeed: number | null; readonly enabled: boolean }[];
  readonly totals: { readonly faults: readonly { readonly rule: string; readonly hits: number }[] };
}

interface Outcome {
  readonly code: number | null;
  readonly files: string[];
  readonly tests: Record<string, string>;
  readonly failures: string[];
}

/** Runs the consumer's own Jest on one config and condenses its `--json` result. */
async function jestIn(dir: string, suite: Suite, env: Record<string, string>): Promise<{ outcome: Outcome; stderr: string; report: ChaosReport | undefined }> {
  const reportPath = path.join(dir, 'chaos-report.json');
  rmSync(reportPath, { force: true });
  const result = await run(dir, process.execPath, [path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json', '--config', suite.config], { ...suite.env, ...env });
  let json: JestJson | undefined;
  try {
    json = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as JestJson;
  } catch {
    json = undefined;
  }
  const files = (json?.testResults ?? []).map((file) => path.relative(dir, file.name)).sort();
  const tests: Record<string, string> = {};
  for (const file of json?.testResults ?? []) for (const test of file.assertionResults) tests[test.fullName] = test.status;
  const failures = (json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).filter((text) => text !== '');
  if (json === undefined) failures.push(`no --json result; stderr:\n${result.stderr.slice(-3000)}`);
  const report = existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, 'utf8')) as ChaosReport) : undefined;
  return { outcome: { code: result.code, files, tests, failures }, stderr: result.stderr, report };
}

test('the tarball ships every exports target, the types, the bin, and no tests', () => {
  const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    main: string;
    types: string;
    bin: Record<string, string>;
    exports: Record<string, string | Record<string, string>>;
    typesVersions: Record<string, Record<string, string[]>>;
  };
  const files = new Set(packed.map((file) => file.path));
  const clean = (target: string) => path.posix.normalize(target).replace(/^\.\//, '');
  const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin)];
  for (const entry of Object.values(manifest.exports)) targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
  // typesVersions: the subpath declarations for `moduleResolution: node10`, which ignores `exports`.
  for (const map of Object.values(manifest.typesVersions)) for (const list of Object.values(map)) targets.push(...list);
  expect(targets.map(clean).filter((target) => !files.has(target))).toEqual([]);
  // Every entry point that has code has declarations.
  const withoutTypes = Object.entries(manifest.exports).filter(([, entry]) => typeof entry !== 'string' && (entry.types === undefined || !files.has(clean(entry.types))));
  expect(withoutTypes).toEqual([]);
  // ...and the same declarations under `moduleResolution: node10`, through typesVersions.
  const typedSubpaths = Object.entries(manifest.exports).flatMap(([key, entry]) => (key !== '.' && typeof entry !== 'string' && entry.types !== undefined ? [[key.slice(2), [clean(entry.types)]]] : []));
  expect(Object.entries(manifest.typesVersions['*'] ?? {}).map(([key, list]) => [key, list.map(clean)])).toEqual(typedSubpaths);
  expect([...files].filter((file) => /(^|\/)(__tests__|fixtures)\/|\.(test|spec)\.[cm]?[jt]sx?$|\.(test|spec)\.d\.ts$|\.map$/.test(file))).toEqual([]);
  expect([...files].filter((file) => /^(src|environments|bench|scripts|__tests__)\//.test(file))).toEqual([]);
  const bin = Object.values(manifest.bin).map(clean);
  for (const file of bin) expect(readFileSync(path.join(REPO, file), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
});

test("the Jest 30 consumer pins exactly the versions of this repository's lockfile", () => {
  const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const consumer = JSON.parse(readFileSync(path.join(TEMPLATES, 'jest30', 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; overrides: Record<string, string> };
  const pinned = { ...consumer.devDependencies, ...consumer.overrides };
  const locked = Object.fromEntries(Object.keys(pinned).map((name) => [name, lock.packages[`node_modules/${name}`]?.version]));
  expect(pinned).toEqual(locked);
});

// `--no`: never fetch a package of that name from the registry; `--`: `--help` goes to the bin, not to npx.
test('the consumers installed the Jest major they pin, and the bin runs through npx', async () => {
  const results = await both(async (dir) => {
    const jest = JSON.parse(readFileSync(path.join(dir, 'node_modules', 'jest', 'package.json'), 'utf8')) as { version: string };
    const binPath = path.join(dir, 'node_modules', 'jest-chaos', 'dist', 'src', 'cli', 'main.js');
    const help = await run(dir, process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--no', '--', 'jest-chaos', '--help']);
    return { jest: jest.version.split('.')[0], executable: (statSync(binPath).mode & 0o111) !== 0, code: help.code, usage: help.stdout.split('\n')[0] };
  });
  const expected = { executable: true, code: 0, usage: 'Usage: jest-chaos <command> [options]' };
  expect(results).toEqual({ jest29: { jest: '29', ...expected }, jest30: { jest: '30', ...expected } });
});

describe.each(SUITES)('$name suite', (suite) => {
  test('chaos disabled: the chaos suite is not loaded, the inline chaos test is skipped, the summary says so, no report is written', async () => {
    const runs = await both((dir) => jestIn(dir, suite, {}));
    const expected: Outcome = { code: 0, files: [...suite.ordinaryFiles].sort(), tests: suite.off, failures: [] };
    expect({ jest29: runs.jest29.outcome, jest30: runs.jest30.outcome }).toEqual({ jest29: expected, jest30: expected });
    const skippedTests = Object.values(suite.off).filter((status) => status === 'pending').length;
    const skipped = `skipped 1 chaos suite and ${skippedTests} chaos test${skippedTests === 1 ? '' : 's'} in other files. Run them with CHAOS_ENABLED=1`;
    for (const major of MAJORS) expect(runs[major].stderr).toContain(skipped);
    // With chaos disabled the reporter writes no report (docs/report.md).
    expect({ jest29: runs.jest29.report, jest30: runs.jest30.report }).toEqual({ jest29: undefined, jest30: undefined });
  });

  test('chaos enabled: the faults fire in every file and compose with nock scopes', async () => {
    const runs = await both((dir) => jestIn(dir, suite, { CHAOS_ENABLED: '1', CHAOS_SEED: '1234' }));
    const expected: Outcome = { code: 0, files: [suite.chaosFile, ...suite.ordinaryFiles].sort(), tests: suite.on, failures: [] };
    expect({ jest29: runs.jest29.outcome, jest30: runs.jest30.outcome }).toEqual({ jest29: expected, jest30: expected });
    for (const major of MAJORS) {
      expect(runs[major].stderr).toContain('jest-chaos: base seed 1234;');
      for (const rule of suite.rules) expect(runs[major].stderr).toContain(rule);
    }
    const report = (major: Major) => ({ runs: runs[major].report?.runs.map((r) => [r.enabled, r.baseSeed]), faulted: runs[major].report?.totals.faults.map((hit) => hit.rule).sort() });
    const expectedReport = { runs: [[true, 1234]], faulted: [...suite.rules].sort() };
    expect({ jest29: report('jest29'), jest30: report('jest30') }).toEqual({ jest29: expectedReport, jest30: expectedReport });
  });
});

test('TypeScript: `import { chaos } from "jest-chaos"`, the global through "jest-chaos/globals" and every entry point typecheck with tsc --noEmit (node10 and node16 resolution)', async () => {
  const runs = await both(async (dir) => {
    const result: Record<string, { code: number | null; errors: string[] }> = {};
    for (const project of ['tsconfig.json', 'tsconfig.node16.json', 'tsconfig.globals.json', 'tsconfig.globals.node16.json', 'tsconfig.no-globals.json']) {
      const tsc = await run(dir, process.execPath, [path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', project]);
      result[project] = { code: tsc.code, errors: tsc.stdout.split('\n').filter((line) => line.includes('error TS')) };
    }
    return result;
  });
  const clean = { code: 0, errors: [] };
  // The global `chaos` without an import: typed through "jest-chaos/globals", TS2304 without it.
  const missing = { code: 2, errors: ["globals/uses-global.ts(3,10): error TS2304: Cannot find name 'chaos'."] };
  const expected = { 'tsconfig.json': clean, 'tsconfig.node16.json': clean, 'tsconfig.globals.json': clean, 'tsconfig.globals.node16.json': clean, 'tsconfig.no-globals.json': missing };
  expect(runs).toEqual({ jest29: expected, jest30: expected });
});

test('--listTests lists the chaos suite only when chaos is enabled', async () => {
  const list = async (dir: string, env: Record<string, string>) => {
    const result = await run(dir, process.execPath, [path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--listTests', '--config', 'jest.preset.config.js'], env);
    return { code: result.code, files: result.stdout.split('\n').filter((line) => line.trim() !== '').map((line) => path.relative(dir, line.trim())).sort() };
  };
  const runs = await both(async (dir) => ({ off: await list(dir, {}), on: await list(dir, { CHAOS_ENABLED: '1' }) }));
  const expected = { off: { code: 0, files: ['cjs/mixed.test.js'] }, on: { code: 0, files: ['cjs/http-chaos.test.js', 'cjs/mixed.test.js'] } };
  expect(runs).toEqual({ jest29: expected, jest30: expected });
});
