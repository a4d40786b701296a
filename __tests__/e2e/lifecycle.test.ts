/**
 * The lifecycle of a chaos test, on every path Jest has: concurrent tests, a failing beforeEach,
 * retries, nock.restore() in an earlier file, a stub under jest.spyOn with restoreMocks, requests still
 * held when their test ends, requests left running by an earlier file. Each run in band and with workers, on Jest 29 and 30; the run always ends
 * with Jest's results, the chaos summary and the report.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, statuses, type JestRun } from '../support/run-jest';
import { jest29Home, MAJORS, runJestMajor } from '../support/jest-majors';

jest.setTimeout(180_000);

const FIXTURE = path.join(FIXTURES, 'lifecycle');
const REPORT = path.join(FIXTURE, 'chaos-report.json');

beforeAll(async () => {
  await jest29Home();
}, 600_000);

const EXPECTED: Record<string, string> = {
  // A poller left running by an earlier file never draws from a later chaos test's stream.
  'leaves its poller running': 'passed',
  'chaos: draws only for its own requests': 'passed',
  // A delayed pg fault that outlasts its test never fires: the query goes through.
  'chaos: fires a query and ends before the fault is due': 'passed',
  'chaos: the fault did not fire after its test: the query went through': 'passed',
  // A local app started in beforeAll: its upstream call belongs to the test that called the app.
  'chaos: the app sees the fault on its upstream call': 'passed',
  'concurrent chaos tests a: its own status and events': 'passed',
  'concurrent chaos tests b: another status, a latency on the same seam': 'passed',
  'concurrent chaos tests c: no rule of its own': 'passed',
  'chaos: after the concurrent tests: each had its own seed, nothing is left': 'passed',
  // The hook's own failure, and nothing else: the afterEach hooks saw no fault.
  'chaos: its beforeEach fails': 'failed',
  'chaos: faulted in its body only': 'passed',
  'chaos: no afterEach saw a fault': 'passed',
  'chaos: fires a hung request and does not wait for it': 'passed',
  'chaos: fires a delayed request and does not wait for it': 'passed',
  'chaos: the next test runs as usual': 'passed',
  'an ordinary nock mock': 'passed',
  'a later chaos file still gets its faults': 'passed',
  'a later ordinary file still gets its mocks': 'passed',
  'chaos: passes on its second attempt, under the same seed': 'passed',
  'chaos: a stubbed method, then spied on': 'passed',
  'chaos: the next test calls the real method': 'passed',
  'chaos: and so does the one after it': 'passed',
};

function explain(run: JestRun): string {
  const messages = (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]);
  return `exit ${String(run.code)}\n${messages.join('\n').slice(0, 6000)}\n${run.stderr.slice(-3000)}`;
}

interface ReportTest {
  readonly fullName: string;
  readonly status: string;
  readonly seed: number | null;
  readonly replay: string | null;
}

describe.each(MAJORS)('Jest %i', (major) => {
  test.each([['in band', ['--runInBand']], ['with workers', ['-w', '2']]])('%s: every path keeps each test to itself, and the run ends with its summary and report', async (_mode, args) => {
    rmSync(REPORT, { force: true });
    const run = await runJestMajor(major, FIXTURE, args, { CHAOS_ENABLED: '1', CHAOS_SEED: '7' });
    expect({ statuses: statuses(run), code: run.code }).toEqual({ statuses: EXPECTED, code: 1 });
    // A retried test is one test; the failing hook's test keeps its seed and replay command.
    expect(run.stderr).toContain('jest-chaos: base seed 7');
    expect(run.stderr).toMatch(/failed +✕ \[-\] chaos: its beforeEach fails +failed-hook\.test\.js/);
    expect(run.stderr).toContain("CHAOS_ENABLED=1 CHAOS_SEED=7 npx jest failed-hook.test.js -t '^chaos: its beforeEach fails$'");
    expect(run.stderr).toMatch(/report +chaos-report\.json/);
    expect(existsSync(REPORT)).toBe(true);
    const report = JSON.parse(readFileSync(REPORT, 'utf8')) as { tests: ReportTest[] };
    const retried = report.tests.filter((test) => test.fullName === 'chaos: passes on its second attempt, under the same seed');
    expect(retried.map((test) => test.status)).toEqual(['passed']);
    const hook = report.tests.find((test) => test.fullName === 'chaos: its beforeEach fails');
    expect(hook).toMatchObject({ status: 'failed', seed: expect.any(Number), replay: expect.stringContaining('CHAOS_SEED=7') });
    if (run.code !== 1) throw new Error(explain(run));
  });
});

test('--detectLeaks: no chaos test file stays alive after its run (concurrent, retries, spies, held requests, nock.restore)', async () => {
  const files = ['concurrent', 'held-requests', 'retries', 'spy', 'nock-restore', 'failed-hook'];
  const run = await runJestMajor(30, FIXTURE, ['--runInBand', '--detectLeaks', ...files], { CHAOS_ENABLED: '1', CHAOS_SEED: '7' });
  const leaking = (run.json?.testResults ?? []).filter((file) => file.message.includes('leaking memory')).map((file) => path.basename(file.name));
  expect(leaking).toEqual([]);
  expect(run.json?.testResults.length).toBe(8);
});
