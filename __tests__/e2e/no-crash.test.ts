/**
 * Faults of registered seams and stubs never kill the run: a corpus of fixture files, one per way a fault
 * used to escape its test (a synchronous seam faulted with a rejected promise, a stub of a synchronous
 * method, a fire-and-forget call whose timeout outlasts its test, a delayed seam timeout after its test,
 * a rejected promise that the code never handles). Each file runs with an ordinary bystander file after
 * it, in band (one process: what escapes a test meets the next file) and on two workers, under every
 * supported Jest major. Every run must end with Jest's summary and JSON, the chaos summary and
 * chaos-report.json; the trigger test passes when the code under test handles the fault, and otherwise it
 * is the test that fails, with jest-chaos's message, never a neighbour.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { docBlock } from '../support/doc-blocks';
import { jest29Home, MAJORS, runJestMajor } from '../support/jest-majors';
import { FIXTURES, type JestRun } from '../support/run-jest';

jest.setTimeout(120_000);

const FIXTURE = path.join(FIXTURES, 'no-crash');
const REPORT = path.join(FIXTURE, 'chaos-report.json');
const CHAOS = { CHAOS_ENABLED: '1', CHAOS_SEED: '7' };
const BYSTANDER = 'zz-bystander.test.js';

/** A trigger file: its tests, by full name as Jest reports them, and each one's expected status. */
interface Trigger {
  readonly file: string;
  readonly tests: Readonly<Record<string, 'passed' | 'failed'>>;
  /** What the failing test's message must hold. */
  readonly message?: string;
}

const TRIGGERS: readonly Trigger[] = [
  {
    file: 'sync-seam-auto.test.js',
    tests: {
      'chaos: trigger: a synchronous seam refused by db.down is served by the replica': 'passed',
      'chaos: neighbour: the next test of the file': 'passed',
    },
  },
  {
    file: 'stub-down-sync.test.js',
    tests: {
      'trigger: chaos.stub().down() on a synchronous method is served by the replica': 'passed',
      'chaos: neighbour: the next test of the file calls the real method': 'passed',
    },
  },
  {
    file: 'stub-timeout-unawaited.test.js',
    tests: {
      'trigger: an unawaited call to chaos.stub().timeout(50) outlasting its test': 'passed',
      'chaos: neighbour: the next test of the file outlives the stubbed timeout': 'passed',
    },
  },
  {
    file: 'seam-timeout-outlives-test.test.js',
    tests: {
      'chaos: trigger: a delayed db.timeout on a seam outlasting the test that called it': 'passed',
      'chaos: neighbour: the next test of the file outlives the delay': 'passed',
    },
  },
  {
    file: 'unobserved-rejection.test.js',
    tests: {
      'chaos: trigger: a rejected promise of an async seam that nothing handles': 'failed',
      'chaos: neighbour: the next test of the file handles its rejection': 'passed',
    },
    // docs/seams.md shows this message.
    message: docBlock(__filename, 'docs/seams.md', 'unobserved').trimEnd(),
  },
];

const BYSTANDER_TESTS = {
  'bystander: an ordinary test after the trigger file': 'passed',
  'bystander: a second ordinary test': 'passed',
};

/** Each mode, its arguments, and whether the bystander file must have run in a worker process. */
const MODES: readonly (readonly [string, readonly string[], 'yes' | 'no'])[] = [
  ['in band', ['--runInBand'], 'no'],
  ['on two workers', ['-w', '2'], 'yes'],
];

/** What a run left behind, in a shape that one toEqual compares (and that shows the crash when there is one). */
function outcome(run: JestRun, inWorker: 'yes' | 'no') {
  const files = run.json?.testResults ?? [];
  const report = existsSync(REPORT) ? (JSON.parse(readFileSync(REPORT, 'utf8')) as { tests: { fullName: string; status: string }[] }) : undefined;
  return {
    // Jest printed its JSON result: the run reached its end instead of dying on the way.
    crash: run.json === undefined ? `no JSON from Jest (exit ${String(run.code)}):\n${run.stderr.slice(-3000)}` : undefined,
    suitesThatFailedToRun: files.filter((file) => file.assertionResults.length === 0).map((file) => `${path.basename(file.name)}: ${file.message.slice(0, 1500)}`),
    statuses: Object.fromEntries(files.flatMap((file) => file.assertionResults.map((test) => [test.fullName, test.status]))),
    inWorker: run.stderr.includes(`no-crash fixture: bystander in a worker process: ${inWorker}`),
    jestSummary: /^Tests: .+ total$/m.test(run.stderr),
    chaosSummary: run.stderr.includes('jest-chaos: base seed 7;'),
    report: report === undefined ? undefined : Object.fromEntries(report.tests.map((test) => [test.fullName, test.status])),
  };
}

function failureMessages(run: JestRun): Record<string, string> {
  return Object.fromEntries((run.json?.testResults ?? []).flatMap((file) => file.assertionResults.filter((test) => test.status === 'failed').map((test) => [test.fullName, test.failureMessages.join('\n')])));
}

beforeAll(async () => {
  await jest29Home();
}, 600_000);

afterAll(() => rmSync(REPORT, { force: true }));

describe.each(MAJORS.map((major) => [major]))('Jest %i', (major) => {
  const cases = TRIGGERS.flatMap((trigger) => MODES.map(([mode, args, inWorker]) => [trigger.file, mode, args, inWorker, trigger] as const));

  test.each(cases)('%s %s: the run ends with both summaries and the report; only the trigger test can fail', async (file, _mode, args, inWorker, trigger) => {
    rmSync(REPORT, { force: true });
    const run = await runJestMajor(major, FIXTURE, [...args, file, BYSTANDER], CHAOS);
    const expected = { ...trigger.tests, ...BYSTANDER_TESTS };
    expect(outcome(run, inWorker)).toEqual({
      crash: undefined,
      suitesThatFailedToRun: [],
      statuses: expected,
      inWorker: true,
      jestSummary: true,
      chaosSummary: true,
      report: expected,
    });
    const anyFailed = Object.values(trigger.tests).includes('failed');
    expect(run.code).toBe(anyFailed ? 1 : 0);
    const failed = failureMessages(run);
    expect(Object.keys(failed)).toEqual(Object.keys(trigger.tests).filter((name) => trigger.tests[name] === 'failed'));
    for (const message of Object.values(failed)) expect(message).toContain(trigger.message);
  });
});
