/**
 * The compatibility matrix, from the packed tarball: every cell of COMPAT_CELLS (Node major x Jest major x
 * project kind) installs `npm pack`'s tarball into a consumer project of that kind (CommonJS, TypeScript
 * through ts-jest with TypeScript 5, 6 or 7, ESM) and runs the project's own Jest under that Node, once with
 * chaos off and once with chaos on. Each project has one ordinary test and one chaos test
 * (`http.status api.example.com status=503` in front of a nock scope): off, the chaos test is skipped and
 * the ordinary test passes; on, the test sees the 503, the report counts the fault, and the ordinary test
 * passes with no fault. docs/configuration.md's "Tested combinations" table must be `compatTable()`.
 *
 * Relies on `dist/` being current, as `npm test` builds before it runs Jest.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMPAT_CELLS, compatTable, FLAVOURS, TOOLCHAIN, TS7_ALIASES, TS7_ERROR, TS7_INSTALL_ERROR, type CompatCell, type Flavour } from '../support/compat-cells';
import { consumerBase, consumerProject, installTarball, runConsumerJest, type ConsumerManifest, type ConsumerRun } from '../support/consumer-projects';
import type { JestMajor } from '../support/jest-majors';
import { childEnv, majorOf } from '../support/node-versions';
import { packTarball } from '../support/packed-tarball';
import { statuses } from '../support/run-jest';
import { runProcess } from '../support/run-process';

jest.setTimeout(300_000);

const REPO = path.resolve(__dirname, '..', '..');
const PROJECTS = path.join(__dirname, 'fixtures', 'compat');
const ORDINARY = 'ordinary test: the nock scope answers';
const CHAOS_TEST = 'chaos: the API answers 503 in front of the nock scope';
const RULE = 'http.status api.example.com status=503';

/** The consumer project of a Jest major and a flavour's TypeScript: what `npm i -D` would pin. */
function manifestOf(jest: JestMajor, flavour: Flavour): ConsumerManifest {
  const version = TOOLCHAIN.jest[jest];
  return {
    name: `jest-chaos-compat-jest${String(jest)}-typescript-${flavour.typescript.replace(/[^\w.]+/g, '-')}`,
    private: true,
    description: `A project with Jest ${version} and TypeScript ${flavour.typescript}, into which each run installs the packed jest-chaos.`,
    devDependencies: {
      '@types/jest': TOOLCHAIN.typesJest[jest],
      '@types/node': TOOLCHAIN.typesNode,
      jest: version,
      'jest-environment-node': version,
      'jest-runner': version,
      'ts-jest': TOOLCHAIN.tsJest,
      typescript: flavour.typescript,
      ...flavour.extra,
    },
    // As this repository's own package.json pins it for Jest 30.
    ...(jest === 30 ? { overrides: { 'unrs-resolver': '1.12.2' } } : {}),
  };
}

let work = '';
/** The packed tarball, installed once by npm (its node_modules), copied into every consumer project. */
let installed: Promise<string>;
const runDirs = new Map<string, Promise<string>>();

/** The run's project folder with the tarball installed for a cell's toolchain, made on first use. */
function runDirOf(cell: CompatCell): Promise<string> {
  const flavour = FLAVOURS[cell.flavour];
  const manifest = manifestOf(cell.jest, flavour);
  let dir = runDirs.get(manifest.name);
  if (dir === undefined) {
    dir = Promise.all([consumerBase(manifest, flavour.npmArgs), installed]).then(([base, modules]) => consumerProject(work, base, modules, ['cjs', 'ts', 'esm'].map((project) => path.join(PROJECTS, project))));
    runDirs.set(manifest.name, dir);
  }
  return dir;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-compat-'));
  const { tarball } = await packTarball(work);
  installed = installTarball(work, tarball);
  await installed;
}, 120_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

async function runCell(cell: CompatCell, env: Record<string, string>): Promise<ConsumerRun> {
  const flavour = FLAVOURS[cell.flavour];
  const dir = await runDirOf(cell);
  return runConsumerJest({ node: cell.node, project: path.join(dir, flavour.project), config: flavour.config, nodeArgs: flavour.nodeArgs, env });
}

/** The part of chaos-report.json (docs/report.md) that a cell checks. */
interface Report {
  readonly runs: readonly { readonly enabled: boolean; readonly baseSeed: number | null; readonly versions: { readonly node: string; readonly jest: string | null } | null }[];
  readonly tests: readonly { readonly fullName: string; readonly status: string; readonly faults: readonly { readonly rule: string; readonly hits: number }[] }[];
  readonly totals: { readonly faults: readonly { readonly rule: string; readonly hits: number }[] };
}

/** What a cell's run shows, condensed for one `toEqual`. */
function outcome(run: ConsumerRun) {
  const report = run.report as Report | undefined;
  const first = report?.runs[0];
  return {
    code: run.code,
    statuses: statuses(run),
    report:
      report === undefined
        ? 'none'
        : {
            enabled: first?.enabled,
            seed: first?.baseSeed,
            // Which Node and Jest really ran, as the reporter records them.
            node: first?.versions === null || first?.versions === undefined ? undefined : majorOf(first.versions.node),
            jest: first?.versions?.jest,
            testFaults: Object.fromEntries(report.tests.map((test) => [test.fullName, test.faults])),
            totalFaults: report.totals.faults,
          },
  };
}

/** Everything the run printed about its failures, for a failing expectation's message. */
function explain(run: ConsumerRun): string {
  const messages = (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).filter((text) => text !== '');
  return `exit ${String(run.code)}\n${messages.join('\n').slice(0, 4000)}\n${run.stderr.slice(-3000)}`;
}

const cellName = (cell: CompatCell): string => `Node ${String(cell.node)}, Jest ${String(cell.jest)}, ${cell.flavour}`;
const supported = COMPAT_CELLS.filter((cell) => cell.unsupported === undefined);
const unsupported = COMPAT_CELLS.filter((cell) => cell.unsupported !== undefined);

describe.each(supported.map((cell) => [cellName(cell), cell] as const))('%s', (_name, cell) => {
  test('chaos off: the chaos test is skipped, the ordinary test passes, the summary says how to enable it', async () => {
    const run = await runCell(cell, {});
    const actual = outcome(run);
    if (actual.code !== 0) throw new Error(explain(run));
    expect({ code: actual.code, statuses: actual.statuses }).toEqual({ code: 0, statuses: { [ORDINARY]: 'passed', [CHAOS_TEST]: 'pending' } });
    // Whether a run with chaos off writes a report is docs/report.md's business; one that does records no fault.
    if (actual.report !== 'none') expect({ enabled: actual.report.enabled, faults: actual.report.totalFaults }).toEqual({ enabled: false, faults: [] });
    expect(run.stderr).toContain('jest-chaos: chaos is disabled: skipped 0 chaos suites and 1 chaos test in other files. Run them with CHAOS_ENABLED=1 npx jest');
  });

  test('chaos on: the chaos test sees the 503 and the report counts it, the ordinary test passes unfaulted', async () => {
    const run = await runCell(cell, { CHAOS_ENABLED: '1', CHAOS_SEED: '7' });
    const actual = outcome(run);
    if (actual.code !== 0) throw new Error(explain(run));
    const report = { enabled: true, seed: 7, node: cell.node, jest: TOOLCHAIN.jest[cell.jest], testFaults: { [ORDINARY]: [], [CHAOS_TEST]: [{ rule: RULE, hits: 1 }] }, totalFaults: [{ rule: RULE, hits: 1 }] };
    expect(actual).toEqual({ code: 0, statuses: { [ORDINARY]: 'passed', [CHAOS_TEST]: 'passed' }, report });
  });
});

describe.each(unsupported.map((cell) => [cellName(cell), cell] as const))('%s (not supported)', (_name, cell) => {
  test.each([
    ['chaos off', {}],
    ['chaos on', { CHAOS_ENABLED: '1', CHAOS_SEED: '7' }],
  ])('%s: the test file fails to run with the documented error', async (_mode, env) => {
    const run = await runCell(cell, env);
    const files = (run.json?.testResults ?? []).map((file) => ({ status: file.status, tests: file.assertionResults.length, error: file.message.includes(cell.unsupported?.error ?? '') }));
    expect({ code: run.code, files }).toEqual({ code: 1, files: [{ status: 'failed', tests: 0, error: true }] });
  });
});

describe('TypeScript 7', () => {
  const ts7 = COMPAT_CELLS.find((cell) => cell.flavour === 'ts7') as CompatCell;

  test('npm refuses a project that pins TypeScript 7 beside ts-jest: ts-jest\'s peer range stops below 7', async () => {
    const dir = mkdtempSync(path.join(work, 'ts7-install-'));
    const manifest = manifestOf(ts7.jest, FLAVOURS.ts7);
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const npm = await runProcess(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', '--package-lock-only', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, env: childEnv(process.execPath, {}) });
    expect({ code: npm.code, eresolve: npm.output.includes('ERESOLVE'), peer: npm.output.includes(TS7_INSTALL_ERROR) }).toEqual({ code: 1, eresolve: true, peer: true });
  });

  test("with the aliases, `tsc` is TypeScript 7 and type-checks the project against jest-chaos's declarations", async () => {
    const cell = COMPAT_CELLS.find((candidate) => candidate.flavour === 'ts7-alias') as CompatCell;
    const dir = await runDirOf(cell);
    const project = path.join(dir, FLAVOURS[cell.flavour].project);
    // The project's `tsc`, as `npx tsc` runs it: the bin that npm linked into the cached node_modules.
    const tsc = path.join(path.dirname(dir), 'node_modules', '.bin', 'tsc');
    const env = { PATH: process.env.PATH ?? '' };
    const version = await runProcess(tsc, ['--version'], { cwd: project, env });
    const check = await runProcess(tsc, ['--noEmit', '-p', 'tsconfig.json'], { cwd: project, env });
    expect({ version: version.stdout.trim(), code: check.code, output: check.output.trim() }).toEqual({ version: `Version ${TOOLCHAIN.typescript[7]}`, code: 0, output: '' });
  });
});

describe('docs/configuration.md', () => {
  const doc = readFileSync(path.join(REPO, 'docs', 'configuration.md'), 'utf8');

  test('its "Tested combinations" table is the one the matrix runs', () => {
    const section = (doc.split(/^### Tested combinations$/m)[1] ?? '').split(/^#/m)[0] ?? '';
    const lines = section.split('\n');
    const start = lines.findIndex((line) => line.startsWith('|'));
    const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
    const found = start === -1 ? '' : lines.slice(start, end === -1 ? undefined : end).join('\n');
    if (found !== compatTable()) throw new Error(`docs/configuration.md's "### Tested combinations" table differs from COMPAT_CELLS; it must be:\n\n${compatTable()}\n`);
  });

  test('it quotes the errors that the TypeScript 7 tests see', () => {
    expect(doc).toContain(`\`${TS7_INSTALL_ERROR}\``);
    expect(doc).toContain(`\`${TS7_ERROR}\``);
  });

  test('the TypeScript 7 aliases it shows are the ones the matrix installs', () => {
    expect(doc).toContain(`\`\`\`json\n${JSON.stringify({ devDependencies: TS7_ALIASES }, null, 2)}\n\`\`\`\n`);
  });
});
