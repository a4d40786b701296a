import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { docBlock } from '../support/doc-blocks';
import { FIXTURES, runJest, statuses, type JestRun } from '../support/run-jest';
import { reportSchema, type ChaosReport, type ReportTest } from '../../src/report/schema';
import { validateAgainst } from '../../src/report/validate';
import { runProcess } from '../support/run-process';

jest.setTimeout(60_000);

const ROOT = path.join(__dirname, '..', '..');
const FIXTURE = path.join(FIXTURES, 'report');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const ENABLED = { CHAOS_ENABLED: '1', CHAOS_SEED: '1234' };
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
// Children inherit no colour setting: the summary must then be plain, as in a CI log. No commit either
// (no git repository, no CI variables), so that the step summary is the same at every commit.
const NO_COMMIT = { GIT_DIR: path.join(os.tmpdir(), 'jest-chaos-no-git'), GITHUB_SHA: undefined, GITHUB_REF_NAME: undefined, GITHUB_HEAD_REF: undefined, CI_COMMIT_SHA: undefined, CI_COMMIT_REF_NAME: undefined };
const PLAIN = { FORCE_COLOR: undefined, NO_COLOR: undefined, GITHUB_STEP_SUMMARY: undefined, ...NO_COMMIT };

const work = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function readReport(file: string): ChaosReport {
  return JSON.parse(readFileSync(file, 'utf8')) as ChaosReport;
}

/** The chaos summary: from its head line to the end of stderr. */
function summaryOf(stderr: string): string {
  const start = stderr.lastIndexOf('\njest-chaos: ');
  return start === -1 ? '' : stderr.slice(start + 1).trimEnd();
}

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, GITHUB_STEP_SUMMARY: undefined, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  return runProcess(process.execPath, [CLI, 'merge', ...args], { cwd: work, env: childEnv });
}

/** Tests as two runs of the same seed must agree on them: all but the run they came from and their wall time. */
const withoutRun = (report: ChaosReport): Omit<ReportTest, 'run' | 'durationMs'>[] => report.tests.map(({ run: _run, durationMs: _durationMs, ...test }) => test);

let full: JestRun;
let fullReport: ChaosReport;
const stepSummary = path.join(work, 'step-summary.md');

beforeAll(async () => {
  writeFileSync(stepSummary, '# Earlier step\n\n');
  rmSync(path.join(FIXTURE, 'reports'), { recursive: true, force: true });
  full = await runJest('report', [], { ...ENABLED, ...PLAIN, GITHUB_STEP_SUMMARY: stepSummary });
  fullReport = readReport(path.join(FIXTURE, 'reports', 'chaos.json'));
});

describe('terminal summary', () => {
  test('comes after Jest summary, plain text in a non-TTY, exactly as docs/report.md shows it', () => {
    expect(full.code).toBe(1);
    // Jest's own code frames may be coloured (babel's colour detection honours CI); the chaos summary never is.
    const summary = summaryOf(full.stderr);
    expect(summary).not.toMatch(/\u001b\[/);
    expect(full.stderr.indexOf('Tests:')).toBeLessThan(full.stderr.indexOf(summary));
    expect(`${summary}\n`).toBe(docBlock(__filename, 'docs/report.md', 'summary'));
  });

  test('per-rule counts, failures and replay commands are those of the JSON report', () => {
    const summary = summaryOf(full.stderr);
    const counted = [...summary.matchAll(/^ {2}(?:faults {4}| {10}) *(\d+) × (.+)$/gm)].map((match) => ({ rule: match[2], hits: Number(match[1]) }));
    expect(counted).toEqual(fullReport.totals.faults);
    const failed = fullReport.tests.filter((test) => test.chaos && test.status === 'failed');
    expect(failed.map((test) => test.fullName)).toEqual(['chaos: charges the card once']);
    for (const test of failed) expect(summary).toContain(`\n              ${test.replay}`);
    const priorities = [...summary.matchAll(/^ {2}(?:priority| {8}) {2}([ABC-]) {2}/gm)].map((match) => match[1]);
    expect(priorities).toEqual(['A', 'B', 'C', '-']);
  });

  test('colour with FORCE_COLOR; a drawn seed is named as drawn; CHAOS_TAGS selections are counted; outputFile false writes nothing', async () => {
    rmSync(path.join(FIXTURE, 'reports'), { recursive: true, force: true });
    const run = await runJest('report', [], { CHAOS_ENABLED: '1', CHAOS_TAGS: 'not slow', FORCE_COLOR: '1', CHAOS_REPORT_FIXTURE_OUTPUT: 'false' });
    expect(run.code).toBe(1);
    const drawn = /base seed (\d+) \(drawn\)/.exec(run.stderr)?.[1];
    expect(drawn).toBeDefined();
    expect(run.stderr).toContain('\u001b[1mjest-chaos: base seed');
    const plain = summaryOf(run.stderr.replace(/\u001b\[\d+m/g, ''));
    expect(run.stderr).toMatch(/\u001b\[31m✕ \[A\] chaos: charges the card once/);
    expect(plain).toContain(`jest-chaos: base seed ${drawn}; 4 chaos tests ran, 1 failed, 1 suite not selected by CHAOS_TAGS`);
    expect(plain).toContain(`seed      ${drawn} (drawn); rerun with CHAOS_SEED=${drawn}`);
    expect(plain).toContain('suites    2 chaos suites ran, 1 not selected by CHAOS_TAGS (not slow)');
    expect(plain).not.toContain('report ');
    expect(existsSync(path.join(FIXTURE, 'reports'))).toBe(false);
  });
});

describe('JSON report', () => {
  test('validates against the shipped schema, which the reporter module exports', () => {
    expect(validateAgainst(reportSchema, fullReport)).toEqual([]);
    const shipped = (require(path.join(ROOT, 'dist', 'src', 'reporter', 'chaos-reporter.js')) as { reportSchema: unknown }).reportSchema;
    expect(shipped).toEqual(reportSchema);
  });

  test('holds the run and every test as Jest saw it, with seeds, rules, faults and replay', () => {
    expect(fullReport.runs).toEqual([expect.objectContaining({ baseSeed: 1234, seedSource: 'CHAOS_SEED', enabled: true, tags: null, shard: null })]);
    const jestStatus = statuses(full);
    expect(Object.fromEntries(fullReport.tests.map((test) => [test.fullName, test.status === 'skipped' ? 'pending' : test.status]))).toEqual(jestStatus);
    const ledger = fullReport.tests.find((test) => test.file === 'ledger.test.js');
    expect(ledger).toMatchObject({ baseSeed: 42, priority: 'B', faults: [{ rule: 'http.status api.example.com status=503 times=2', hits: 2 }] });
    expect(fullReport.suites.find((suite) => suite.file === 'ledger.test.js')).toMatchObject({ seedPinned: true, baseSeed: 42 });
    for (const test of fullReport.tests.filter((t) => t.chaos)) {
      expect(test.faults.reduce((sum, rule) => sum + rule.hits, 0)).toBe(test.events.length);
      expect(test.events.map((event) => event.seq)).toEqual(test.events.map((_, i) => i + 1));
      expect(test.replay).toBe(`CHAOS_ENABLED=1 CHAOS_SEED=${test.baseSeed} npx jest ${test.file} -t '^${test.fullName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$'`);
    }
    const inline = fullReport.tests.find((test) => test.fullName === 'chaos: reset connection is reported');
    expect(inline).toMatchObject({ file: 'plain.test.js', chaos: true, priority: null, tags: ['chaos'], rules: ['http.reset api.example.com'] });
    expect(fullReport.tests.find((test) => test.fullName === 'ordinary arithmetic')).toMatchObject({ chaos: false, seed: null, replay: null });
  });

  test('is not written when chaos is disabled: no new file, and an earlier chaos run\'s report stays as it was', async () => {
    // The folder that the disabled run would write to holds the HTML page of an earlier run, and no JSON.
    const folder = path.join(work, 'disabled');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    const earlierPage = path.join(folder, 'chaos.html');
    writeFileSync(earlierPage, '<!doctype html><title>an earlier chaos run</title>\n');
    const before = statSync(earlierPage).mtimeMs;
    const run = await runJest('report', [], { ...PLAIN, CHAOS_REPORT_FIXTURE_OUTPUT: path.join(folder, 'chaos.json') });
    expect(run.code).toBe(0);
    expect(`${summaryOf(run.stderr)}\n`).toBe(docBlock(__filename, 'docs/report.md', 'disabled'));
    expect(readdirSync(folder)).toEqual(['chaos.html']);
    expect(readFileSync(earlierPage, 'utf8')).toBe('<!doctype html><title>an earlier chaos run</title>\n');
    expect(statSync(earlierPage).mtimeMs).toBe(before);
  });
});

describe('a chaos suite that cannot run', () => {
  test('is listed as an error in the summary and the report, and fails merge --fail-on-failures', async () => {
    const output = path.join(work, 'broken.json');
    const run = await runJest(path.join(FIXTURE, 'broken'), [], { ...ENABLED, ...PLAIN, CHAOS_REPORT_FIXTURE_OUTPUT: output });
    expect(run.code).toBe(1);
    const summary = summaryOf(run.stderr);
    expect(summary).toContain('jest-chaos: base seed 1234; 1 chaos test ran, 0 failed, 1 suite failed to run');
    expect(summary).toContain('  errors    typo.test.js: jest-chaos: invalid rule "http.timout api.example.com" in typo.test.js:2: unknown http fault "timout".');
    const report = readReport(output);
    expect(validateAgainst(reportSchema, report)).toEqual([]);
    expect(report.suites.find((suite) => suite.file === 'typo.test.js')).toMatchObject({ chaos: true, status: 'error', priority: 'A' });
    expect(report.totals.suites.errored).toBe(1);
    const merge = await runCli([output, '-o', 'broken-merged.json', '--fail-on-failures']);
    expect(merge.code).toBe(1);
  });
});

describe('GitHub step summary', () => {
  test('appends a Markdown section: a table per priority, faults, replay commands in code blocks', () => {
    const markdown = readFileSync(stepSummary, 'utf8');
    expect(markdown.startsWith('# Earlier step\n\n## jest-chaos\n')).toBe(true);
    expect(`${markdown.slice('# Earlier step\n\n'.length).trimEnd()}\n`).toBe(docBlock(__filename, 'docs/report.md', 'step-summary'));
  });
});

describe('npx jest-chaos merge', () => {
  let shards: string[];

  beforeAll(async () => {
    shards = [];
    for (const shard of ['1/2', '2/2']) {
      const output = path.join(work, `shard-${shard[0]}.json`);
      const run = await runJest('report', [`--shard=${shard}`], { ...ENABLED, ...PLAIN, CHAOS_REPORT_FIXTURE_OUTPUT: output });
      expect(run.json?.numTotalTestSuites).toBeGreaterThan(0);
      shards.push(output);
    }
  });

  test('shards 1/2 and 2/2 merge into what one unsharded run reports', async () => {
    for (const [i, file] of shards.entries()) expect(readReport(file).runs[0]?.shard).toEqual({ index: i + 1, count: 2 });
    const merge = await runCli([...shards, '--output', 'merged.json']);
    expect(merge.stderr).toBe('');
    expect(merge.code).toBe(0);
    const merged = readReport(path.join(work, 'merged.json'));
    expect(validateAgainst(reportSchema, merged)).toEqual([]);
    expect(withoutRun(merged)).toEqual(withoutRun(fullReport));
    expect(merged.totals).toEqual(fullReport.totals);
    expect(merged.runs.map((run) => run.source)).toEqual(shards);
    expect(merged.chaosTests).toEqual(fullReport.chaosTests.map((rate) => ({ ...rate, failingSeeds: rate.failingSeeds.map((seed) => ({ ...seed, run: expect.any(Number) })) })));
    expect(merge.stdout.trimEnd()).toBe(
      summaryOf(full.stderr)
        .replace('1234 (from CHAOS_SEED)', '1234 (from CHAOS_SEED; shards 1/2, 2/2)')
        .replace('reports/chaos.json', 'merged.json')
        .replace('reports/chaos.html', 'merged.html'),
    );
  });

  test('--fail-on-failures exits 1 when a chaos test failed; --json prints the merged report', async () => {
    const failing = await runCli([...shards, '-o', 'merged.json', '--fail-on-failures']);
    expect(failing.code).toBe(1);
    const json = await runCli([...shards, '--output=merged.json', '--json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as ChaosReport).totals).toEqual(fullReport.totals);
  });

  test('--help', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: jest-chaos merge <report.json...> [options]');
    expect(help.stdout).toContain('--allow-mixed-seeds');
  });

  test('clear errors with exit code 2: missing file, invalid JSON, wrong schemaVersion, mixed versions and seeds', async () => {
    const write = (name: string, text: string): string => {
      writeFileSync(path.join(work, name), text);
      return name;
    };
    const [one = '', two = ''] = shards;
    const shard2 = readReport(two);
    const cases: [string[], string][] = [
      [[one, 'missing.json'], 'jest-chaos: cannot read report missing.json: no such file. Pass the chaos-report.json files written by the jest-chaos reporter of each shard.'],
      [[write('broken.json', '{\n  "schemaVersion": 1,\n}\n')], 'jest-chaos: invalid JSON in broken.json:3:1: '],
      [[write('future.json', JSON.stringify({ ...shard2, schemaVersion: 3 }))], `jest-chaos: unsupported report schemaVersion 3 in future.json: jest-chaos ${VERSION} reads schemaVersion 1 and 2. Merge with the jest-chaos version that wrote the reports.`],
      [[one, write('newer.json', JSON.stringify({ ...shard2, jestChaosVersion: '9.9.9' }))], `jest-chaos: reports from different jest-chaos versions: ${VERSION} in ${one}; 9.9.9 in newer.json.`],
      [[one, write('seed-99.json', JSON.stringify({ ...shard2, runs: [{ ...shard2.runs[0], baseSeed: 99 }] }))], `jest-chaos: reports from different base seeds: seed 1234 in ${one}; seed 99 in seed-99.json. Shards of one run share a seed (set CHAOS_SEED for every shard); to merge a matrix of seeds, pass --allow-mixed-seeds`],
      [
        ['--outptu', 'x.json'],
        'jest-chaos: unknown option "--outptu" in the jest-chaos merge command line. Valid options: --output <file> (-o), --html <file>, --no-html, --json, --allow-mixed-seeds, --fail-on-failures, --help (-h). Did you mean "--output"?',
      ],
      [[], 'jest-chaos: no reports to merge: pass the chaos-report.json of each shard.'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect({ args, code: run.code, stderr: run.stderr.slice(0, message.length) }).toEqual({ args, code: 2, stderr: message });
    }
  });

  test('--allow-mixed-seeds merges a seed matrix, each test keeping its run seed', async () => {
    const [one = '', two = ''] = shards;
    const shard2 = readReport(two);
    writeFileSync(path.join(work, 'seed-99.json'), JSON.stringify({ ...shard2, runs: [{ ...shard2.runs[0], baseSeed: 99 }] }));
    const run = await runCli([one, two, 'seed-99.json', '--allow-mixed-seeds', '-o', 'matrix.json']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('jest-chaos: base seeds 1234, 99;');
    const matrix = readReport(path.join(work, 'matrix.json'));
    expect(matrix.runs.map((r) => r.baseSeed)).toEqual([1234, 1234, 99]);
    expect(matrix.tests.length).toBe(fullReport.tests.length + shard2.tests.length);
  });
});
