/**
 * Pass rates in the report: CHAOS_RUNS=4 runs each chaos test under 4 seeds, and the summary, the JSON
 * report (schema version 2, checked with ajv), the step summary and `jest-chaos merge` (of shards, of
 * several CI seeds, of a version 1 report) give each test its runs, pass rate and failing seeds with their
 * replay commands. On Jest 30, and the pass rates again on Jest 29.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { docBlock } from '../support/doc-blocks';
import { runJest, statuses, type JestRun } from '../support/run-jest';
import { runJestMajor } from '../support/jest-majors';
import { runProcess } from '../support/run-process';
import { reportSchema, type ChaosReport, type ChaosTestRates, type ReportTest } from '../../src/report/schema';
import { reportSchemaV1 } from '../../src/report/schema-v1';
import { validateAgainst } from '../../src/report/validate';

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const FIXTURE = 'report-runs';
const WALLET = 'chaos: reads the balance with one retry';
const ESCAPE = `chaos: renders <img src=x onerror="document.title='pwned'"> & </script> as text`;
/** Seed 3 with CHAOS_RUNS=4 fails the wallet test in 2 of its 4 runs (pinned: the seeds are the schedule). */
const SEED = '3';
const OTHER_SEED = '6';
const NO_CI = { GITHUB_SHA: undefined, GITHUB_REF_NAME: undefined, GITHUB_HEAD_REF: undefined, CI_COMMIT_SHA: undefined, CI_COMMIT_REF_NAME: undefined, GIT_DIR: undefined };

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(reportSchema);
function schemaErrors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-report-runs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function readReport(file: string): ChaosReport {
  return JSON.parse(readFileSync(file, 'utf8')) as ChaosReport;
}

function summaryOf(stderr: string): string {
  const start = stderr.lastIndexOf('\njest-chaos: ');
  return start === -1 ? '' : stderr.slice(start + 1).trimEnd();
}

/** One run of the fixture, its reports written to `name`.json and `name`.html in the work folder. */
async function fixtureRun(name: string, env: Record<string, string | undefined>, args: readonly string[] = []): Promise<{ run: JestRun; report: ChaosReport; json: string }> {
  const json = path.join(work, `${name}.json`);
  const run = await runJest(FIXTURE, args, { CHAOS_ENABLED: '1', CHAOS_FIXTURE_OUTPUT: json, CHAOS_FIXTURE_HTML: path.join(work, `${name}.html`), FORCE_COLOR: undefined, ...NO_CI, ...env });
  return { run, report: readReport(json), json };
}

function merge(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, GITHUB_STEP_SUMMARY: undefined, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  return runProcess(process.execPath, [CLI, 'merge', ...args], { cwd: work, env: childEnv });
}

const rateOf = (report: ChaosReport, name: string): ChaosTestRates | undefined => report.chaosTests.find((rate) => rate.name === name);
/** What two runs of the same seed agree on: every field of a test but its run and wall time. */
const comparable = (report: ChaosReport): Omit<ReportTest, 'run' | 'durationMs'>[] => report.tests.map(({ run: _run, durationMs: _durationMs, ...test }) => test);
const ratesWithoutRun = (report: ChaosReport) => report.chaosTests.map((rate) => ({ ...rate, failingSeeds: rate.failingSeeds.map(({ run: _run, ...seed }) => seed) }));

let full: { run: JestRun; report: ChaosReport; json: string };
const stepSummary = path.join(work, 'step-summary.md');

beforeAll(async () => {
  writeFileSync(stepSummary, '');
  full = await fixtureRun('full', { CHAOS_SEED: SEED, CHAOS_RUNS: '4', GITHUB_STEP_SUMMARY: stepSummary });
});

describe('CHAOS_RUNS=4', () => {
  test('each chaos test runs 4 times under 4 distinct seeds; the report gives each its pass rate and failing seeds', () => {
    expect(full.run.code).toBe(1);
    const wallet = full.report.tests.filter((test) => test.chaosRun?.name === WALLET);
    expect(wallet.map((test) => test.fullName)).toEqual([1, 2, 3, 4].map((i) => `${WALLET} [run ${i}/4]`));
    expect(new Set(wallet.map((test) => test.seed)).size).toBe(4);
    expect(new Set(wallet.map((test) => test.chaosRun?.baseSeed)).size).toBe(4);
    expect(wallet[0]?.chaosRun).toEqual({ index: 1, of: 4, name: WALLET, baseSeed: 3 });

    const rate = rateOf(full.report, WALLET);
    expect(rate).toMatchObject({ file: 'wallet.test.js', priority: 'A', runs: 4, passed: 2, failed: 2, passRate: 0.5 });
    const failed = wallet.filter((test) => test.status === 'failed');
    expect(rate?.failingSeeds).toEqual(failed.map((test) => ({ run: 0, baseSeed: test.chaosRun?.baseSeed, seed: test.seed, fullName: test.fullName, replay: test.replay, reason: 'balance unavailable: 503' })));
    expect(rate?.failingSeeds.map((seed) => seed.replay)).toEqual(failed.map((test) => `CHAOS_ENABLED=1 CHAOS_SEED=${test.chaosRun?.baseSeed} npx jest wallet.test.js -t '^chaos: reads the balance with one retry$'`));
    expect(full.report.chaosTests.map((entry) => [entry.name, entry.passed, entry.runs])).toEqual([
      [ESCAPE, 0, 4],
      ['chaos: finds an order after one timeout', 4, 4],
      ['chaos: never calls the archive host', 4, 4],
      ['chaos: recovers on a retry', 4, 4],
      [WALLET, 2, 4],
    ]);
    expect(full.report.totals.chaosTests).toEqual({ total: 5, ran: 5, allPassed: 3, someFailed: 1, allFailed: 1 });
    // Jest's own view: every run a test of its own.
    expect(Object.values(statuses(full.run)).filter((status) => status === 'failed')).toHaveLength(6);
  });

  test('per test: status, attempts, duration, failure message and first user frame, seed, faults with the call they hit, unmatched rules', () => {
    const [first] = full.report.tests.filter((test) => test.chaosRun?.name === WALLET && test.status === 'failed');
    expect(first).toMatchObject({ attempts: 1, failure: { message: 'balance unavailable: 503' } });
    expect(first?.failure?.frame).toMatch(/^balance \(.*wallet\.test\.js:16:\d+\)$/);
    expect(first?.durationMs).toEqual(expect.any(Number));
    expect(first?.events[0]).toMatchObject({ seq: 1, domain: 'http', kind: 'status', call: 'GET http://api.example.com/balance', target: 'api.example.com' });
    // jest.retryTimes: the first attempt fails, the retry passes: a pass, with its attempts.
    const recovery = full.report.tests.filter((test) => test.chaosRun?.name === 'chaos: recovers on a retry');
    expect(recovery.map((test) => [test.status, test.attempts])).toEqual([1, 2, 3, 4].map(() => ['passed', 2]));
    expect(rateOf(full.report, 'chaos: recovers on a retry')).toMatchObject({ passRate: 1, passedOnRetry: 4 });
    const orders = full.report.tests.find((test) => test.chaosRun?.name === 'chaos: finds an order after one timeout');
    expect(orders?.events).toEqual([{ seq: 1, rule: 'db.timeout orders times=1', domain: 'db', kind: 'timeout', call: 'db orders.find', target: 'orders' }]);
    const archive = full.report.tests.find((test) => test.chaosRun?.name === 'chaos: never calls the archive host');
    expect(archive?.unmatched).toEqual(['http.timeout archive.example.com', 'db.timeout orders times=1']);
    expect(full.report.tests.find((test) => test.fullName === 'ordinary arithmetic')).toMatchObject({ chaos: false, chaosRun: null, attempts: null, failure: null, seed: null });
  });

  test('per run: commit and branch from git, Node, Jest and jest-chaos versions, start and end, CHAOS_RUNS, strict', () => {
    const [run] = full.report.runs;
    const git = (args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    expect(run?.commit).toBe(git(['rev-parse', 'HEAD']));
    const branch = git(['rev-parse', '--abbrev-ref', 'HEAD']);
    expect(run?.branch).toBe(branch === 'HEAD' ? null : branch);
    const own = (name: string): string => (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
    expect(run?.versions).toEqual({ node: process.versions.node, jest: own('jest'), jestChaos: own(ROOT) });
    expect(run).toMatchObject({ baseSeed: 3, chaosRuns: 4, strict: false, shard: null });
    expect(Date.parse(run?.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(run?.startedAt ?? ''));
  });

  test('the real report satisfies the shipped schema for ajv (draft 2020-12) and for the home-made validator', () => {
    expect(schemaErrors(full.report)).toEqual([]);
    expect(validateAgainst(reportSchema, full.report)).toEqual([]);
    const shipped = (require(path.join(ROOT, 'dist', 'src', 'reporter', 'chaos-reporter.js')) as { reportSchema: unknown }).reportSchema;
    expect(shipped).toEqual(reportSchema);
    // ajv catches what a broken report gets wrong.
    const broken = JSON.parse(JSON.stringify(full.report)) as { tests: Record<string, unknown>[] };
    broken.tests[0]!.attempts = -1;
    expect(schemaErrors(broken)).toEqual(['/tests/0/attempts must be >= 0', '/tests/0/attempts must be null', '/tests/0/attempts must match a schema in anyOf']);
  });

  test('the summary: pass rates, one line per failing test with its seeds and reason, the replay of its first failing seed', () => {
    const summary = summaryOf(full.run.stderr);
    expect(summary.split('\n')[0]).toBe('jest-chaos: base seed 3; 5 chaos tests ran (20 runs), 2 failed (6 runs), 1 with warnings');
    expect(summary).toContain('  tests     5 chaos tests, 20 runs: 14 passed, 6 failed\n');
    expect(summary).toContain('  priority  A  1 test, 4 runs: 2 passed, 2 failed\n');
    const seeds = rateOf(full.report, WALLET)!.failingSeeds;
    expect(summary).toContain(
      [
        `  pass rate 0/4 (0%)   ${ESCAPE}  escape.test.js`,
        `            2/4 (50%)  ${WALLET}  wallet.test.js`,
        '            3 chaos tests passed every run',
        `  failed    ✕ [A] ${WALLET}  wallet.test.js  2/4 runs failed, seeds ${seeds.map((seed) => seed.baseSeed).join(', ')}`,
        '              balance unavailable: 503',
        `              ${seeds[0]?.replay}`,
      ].join('\n'),
    );
    expect(summary).toContain(`  report    ${path.join(work, 'full.json')}\n            ${path.join(work, 'full.html')}`);
    // docs/report.md shows this summary, up to its report rows.
    expect(docBlock(__filename, 'docs/report.md', 'runs-summary')).toBe(`${summary.slice(0, summary.indexOf('\n  report    '))}\n`);
  });

  test('the GitHub step summary: the commit, failing tests with seeds and reasons, pass rates, a seed column', () => {
    const markdown = readFileSync(stepSummary, 'utf8');
    const seeds = rateOf(full.report, WALLET)!.failingSeeds.map((seed) => seed.baseSeed).join(', ');
    expect(markdown).toContain(`**Commit:** ${full.report.runs[0]?.commit?.slice(0, 12)}`);
    expect(markdown).toContain(`- ❌ **${WALLET}** (A, wallet.test.js, 2/4 runs failed, seeds ${seeds}): balance unavailable: 503\n`);
    expect(markdown).toContain(`### Pass rates\n\n| Pass rate | Test | File | Runs | Failing seeds |\n| ---: | --- | --- | ---: | --- |\n| 0% | chaos: renders &lt;img`);
    expect(markdown).toContain(`| 50% | ${WALLET} | wallet.test.js | 2/4 | ${seeds} |\n`);
    expect(markdown).toContain(`| 100% | chaos: recovers on a retry | recovery.test.js | 4/4 |  |\n`);
    const second = full.report.tests.find((test) => test.fullName === `${WALLET} [run 2/4]`)!;
    expect(markdown).toContain(`| ${second.fullName} | wallet.test.js | ${second.chaosRun?.baseSeed} |`);
    expect(markdown).toContain('| ✅ passed (attempt 2) | chaos: recovers on a retry [run 1/4] | recovery.test.js | 3 |');
  });

  test('the printed replay command of a failing run reproduces that run alone, without CHAOS_RUNS', async () => {
    const [seed] = rateOf(full.report, WALLET)!.failingSeeds;
    const match = /^CHAOS_ENABLED=1 CHAOS_SEED=(\d+) npx jest (\S+) -t '(.*)'$/.exec(seed?.replay ?? '');
    expect(match).not.toBeNull();
    const again = await fixtureRun('replay', { CHAOS_SEED: match![1] }, [match![2]!, '-t', match![3]!]);
    expect(statuses(again.run)).toEqual({ [WALLET]: 'failed' });
    const [test] = again.report.tests.filter((entry) => entry.status !== 'skipped');
    expect(test).toMatchObject({ seed: seed?.seed, failure: { message: 'balance unavailable: 503' }, chaosRun: null });
    const original = full.report.tests.find((entry) => entry.fullName === seed?.fullName);
    expect(test?.events).toEqual(original?.events);
  });
});

describe('jest-chaos merge with pass rates', () => {
  test('shards 1/2 and 2/2 of CHAOS_RUNS=4 merge into the unsharded run, pass rates included', async () => {
    const shards = [];
    for (const shard of ['1/2', '2/2']) shards.push(await fixtureRun(`shard-${shard[0]}`, { CHAOS_SEED: SEED, CHAOS_RUNS: '4' }, [`--shard=${shard}`]));
    expect(shards.map((shard) => shard.report.tests.length).every((n) => n > 0)).toBe(true);
    const result = await merge([...shards.map((shard) => shard.json), '-o', 'sharded.json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const merged = readReport(path.join(work, 'sharded.json'));
    expect(schemaErrors(merged)).toEqual([]);
    expect(comparable(merged)).toEqual(comparable(full.report));
    expect(ratesWithoutRun(merged)).toEqual(ratesWithoutRun(full.report));
    expect(merged.totals).toEqual(full.report.totals);
    expect(result.stdout.trimEnd()).toBe(
      summaryOf(full.run.stderr)
        .replace('3 (from CHAOS_SEED)', '3 (from CHAOS_SEED; shards 1/2, 2/2)')
        .replace(path.join(work, 'full.json'), 'sharded.json')
        .replace(path.join(work, 'full.html'), 'sharded.html'),
    );
    expect(readFileSync(path.join(work, 'sharded.html'), 'utf8')).toContain('<title>jest-chaos report</title>');
  });

  test('several CI seeds (one without git, from the CI variables) and a version 1 report merge into one pass rate per test', async () => {
    const other = await fixtureRun('seed-6', { CHAOS_SEED: OTHER_SEED, CHAOS_RUNS: '4', GIT_DIR: path.join(work, 'no-git'), GITHUB_SHA: 'f'.repeat(40), GITHUB_REF_NAME: 'release/1.2' });
    expect(other.report.runs[0]).toMatchObject({ commit: 'f'.repeat(40), branch: 'release/1.2' });
    // A report written by the previous version: schema 1, as the reporter wrote it then.
    const v1 = {
      schemaVersion: 1,
      jestChaosVersion: full.report.jestChaosVersion,
      generatedAt: full.report.generatedAt,
      runs: [{ baseSeed: 99, seedSource: 'CHAOS_SEED', enabled: true, tags: null, shard: null, startedAt: 'then', durationMs: 1, source: null, strict: false }],
      totals: { suites: { ran: 0, skippedDisabled: 0, notSelected: 0, errored: 0 }, tests: { total: 1, passed: 0, failed: 1, skipped: 0, skippedDisabled: 0, notSelected: 0 }, faults: [], byPriority: [] },
      suites: [],
      tests: [{ run: 0, file: 'wallet.test.js', fullName: WALLET, chaos: true, status: 'failed', skipped: null, baseSeed: 99, seed: 5, rules: [], faults: [], events: [], replay: 'R99', priority: 'A', tags: ['chaos'], unmatched: [], refused: [] }],
    };
    expect(new Ajv2020({ strict: true }).validate(reportSchemaV1, v1)).toBe(true);
    writeFileSync(path.join(work, 'v1.json'), JSON.stringify(v1));
    const result = await merge([full.json, other.json, 'v1.json', '--allow-mixed-seeds', '-o', 'seeds.json', '--no-html']);
    expect(result.stderr).toBe('');
    const merged = readReport(path.join(work, 'seeds.json'));
    expect(schemaErrors(merged)).toEqual([]);
    const wallet = rateOf(merged, WALLET)!;
    const fromOther = rateOf(other.report, WALLET)!;
    expect(wallet).toMatchObject({ runs: 9, passed: 2 + fromOther.passed, failed: 3 + fromOther.failed });
    // Sorted as the tests are: by name (the version 1 test has no run suffix), then by run.
    expect(wallet.failingSeeds.map((seed) => seed.replay)).toEqual(['R99', ...[...rateOf(full.report, WALLET)!.failingSeeds, ...fromOther.failingSeeds].map((seed) => seed.replay)]);
    expect(merged.runs.map((run) => [run.baseSeed, run.commit?.slice(0, 4) ?? null])).toEqual([
      [3, full.report.runs[0]?.commit?.slice(0, 4)],
      [6, 'ffff'],
      [99, null],
    ]);
    expect(result.stdout).toContain(`${wallet.passed}/9 (${Math.round((wallet.passed / 9) * 100)}%)  ${WALLET}  wallet.test.js`);
  });

  test('--fail-on-failures: a pass on retry is a pass; a failed run fails', async () => {
    const retried = await fixtureRun('retried', { CHAOS_SEED: SEED, CHAOS_RUNS: '2' }, ['recovery']);
    expect(retried.report.tests.map((test) => [test.status, test.attempts])).toEqual([
      ['passed', 2],
      ['passed', 2],
    ]);
    expect((await merge([retried.json, '-o', 'retried-merged.json', '--fail-on-failures'])).code).toBe(0);
    expect((await merge([full.json, '-o', 'full-merged.json', '--fail-on-failures'])).code).toBe(1);
  });
});

test('Jest 29: the same runs, seeds and pass rates, and its own Jest version in the run', async () => {
  const json = path.join(work, 'jest29.json');
  const run = await runJestMajor(29, FIXTURE, [], { CHAOS_ENABLED: '1', CHAOS_SEED: SEED, CHAOS_RUNS: '4', CHAOS_FIXTURE_OUTPUT: json, CHAOS_FIXTURE_HTML: 'false', ...NO_CI });
  expect(run.code).toBe(1);
  const report = readReport(json);
  expect(schemaErrors(report)).toEqual([]);
  expect(report.runs[0]?.versions?.jest).toBe('29.7.0');
  expect(ratesWithoutRun(report)).toEqual(ratesWithoutRun(full.report));
  expect(summaryOf(run.stderr)).toContain(`            2/4 (50%)  ${WALLET}  wallet.test.js`);
});
