import { runJest, statuses, type JestRun } from '../support/run-jest';

const FIXTURE = 'virtual-time';
const CHAOS = { CHAOS_ENABLED: '1', CHAOS_SEED: '777' };

jest.setTimeout(60_000);

function failures(run: JestRun): string {
  return (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).join('\n');
}

function failureOf(run: JestRun, fullName: string): string {
  const test = (run.json?.testResults ?? []).flatMap((file) => file.assertionResults).find((entry) => entry.fullName === fullName);
  if (test === undefined) throw new Error(`no test named ${fullName}`);
  return test.failureMessages.join('\n');
}

describe('fixture run (pragma and Jest fake timers)', () => {
  let run: JestRun;
  beforeAll(async () => {
    run = await runJest(FIXTURE, ['--testPathIgnorePatterns', 'option\\.test'], CHAOS);
  });

  test('every test passes except the two that fail on purpose', () => {
    const result = statuses(run);
    const failed = Object.keys(result).filter((name) => result[name] !== 'passed');
    expect({ failed, failures: failed.length === 2 ? '' : failures(run).slice(0, 4000) }).toEqual({
      failed: ['chaos: a throwing test leaves a virtual timer behind', 'chaos: a test that times out while its virtual timers never come due'],
      failures: '',
    });
    expect(Object.keys(result)).toHaveLength(21);
  });

  test('Jest fake timers (modern and legacy) release injected latency only when advanced', () => {
    const result = statuses(run);
    expect(result['modern fake timers chaos: a 5 s injected latency is released by advancing 5 s, not before']).toBe('passed');
    expect(result["modern fake timers chaos: the app's own 3 s timeout wins over a 5 s injected latency"]).toBe('passed');
    expect(result['legacy fake timers chaos: a 5 s injected latency is released by advancing 5 s, not before']).toBe('passed');
    expect(result['chaos: runAllTimers releases the injected latency too']).toBe('passed');
  });

  test('100 injected latencies add up to at least 100 s of virtual time inside a 5 s Jest timeout', () => {
    expect(statuses(run)['chaos: 100 injected latencies of 1-5 s pass in virtual time']).toBe('passed');
    const http = /virtual-time: (\d+) ms of virtual time in (\d+) ms of wall time/.exec(run.stderr);
    const stub = /virtual-time: stub (\d+) ms of virtual time in (\d+) ms of wall time/.exec(run.stderr);
    expect(http).not.toBeNull();
    expect(stub).not.toBeNull();
    expect(Number(http![1])).toBeGreaterThanOrEqual(100_000);
    expect(Number(stub![1])).toBeGreaterThanOrEqual(1_000_000);
    process.stdout.write(`virtual time: 100 fetch latencies, ${http![1]} virtual ms in ${http![2]} wall ms; 1000 stub latencies, ${stub![1]} virtual ms in ${stub![2]} wall ms\n`);
  });

  test('the tests that fail on purpose fail for their own reason, not for timers left behind', () => {
    const thrown = failureOf(run, 'chaos: a throwing test leaves a virtual timer behind');
    expect(thrown).toContain('deliberate failure');
    expect(thrown).not.toContain('toBe');
    const timedOut = failureOf(run, 'chaos: a test that times out while its virtual timers never come due');
    expect(timedOut).toContain('Exceeded timeout of 300 ms');
    expect(timedOut).not.toContain('toBe');
  });
});

describe('testEnvironmentOptions.chaos.time', () => {
  test("'virtual' runs the project's chaos tests on the virtual clock", async () => {
    const run = await runJest(FIXTURE, ['option.test.js', '--testEnvironmentOptions', JSON.stringify({ chaos: { time: 'virtual' } })], CHAOS);
    expect({ code: run.code, statuses: statuses(run) }).toEqual({ code: 0, statuses: { 'chaos: a 60 s wait passes in virtual time': 'passed' } });
  });

  test('an unknown value is a configuration error that names the valid ones', async () => {
    const run = await runJest(FIXTURE, ['option.test.js', '--testEnvironmentOptions', JSON.stringify({ chaos: { time: 'virtaul' } })], CHAOS);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain(`jest-chaos: invalid testEnvironmentOptions.chaos.time in the Jest config of`);
    expect(run.stdout + run.stderr).toContain(`"virtaul" is not a time mode. Valid: time: 'virtual' (or 'real', the default).`);
  });
});
