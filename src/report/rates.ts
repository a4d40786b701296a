/**
 * Pass rates: each chaos test once (its file and its name without the ` [run i/N]` suffix), over every
 * run of it in the report, whether the runs come from CHAOS_RUNS, from several seeds merged, or both.
 */
import type { ChaosTestRates, FailingSeed, ReportTest } from './schema';

/** The test's name without the CHAOS_RUNS suffix. */
export function testName(test: Pick<ReportTest, 'fullName' | 'chaosRun'>): string {
  return test.chaosRun?.name ?? test.fullName;
}

/** The seed that `CHAOS_SEED=` replays a test entry with: its run's base seed under CHAOS_RUNS, else its file's. */
export function replaySeed(test: Pick<ReportTest, 'baseSeed' | 'chaosRun'>): number | null {
  return test.chaosRun?.baseSeed ?? test.baseSeed;
}

const REASON_LENGTH = 200;

/**
 * A failure's reason on one line: its message's first line, and for a matcher's message
 * (`expect(received).toBe(expected)`) its Expected and Received lines; null without a failure.
 */
export function failureReason(test: Pick<ReportTest, 'failure'>): string | null {
  if (test.failure === null || test.failure === undefined) return null;
  const lines = test.failure.message.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const first = lines[0];
  if (first === undefined) return null;
  let reason = first;
  if (/^expect[.(]/.test(first)) {
    const details = lines.filter((line) => /^(Expected|Received)\b[^:]*:/.test(line)).slice(0, 2);
    if (details.length > 0) reason = `${first}: ${details.join(', ')}`;
  }
  return reason.length > REASON_LENGTH ? `${reason.slice(0, REASON_LENGTH - 1)}…` : reason;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Per chaos test: its runs, pass rate and failing seeds; sorted by file, then name. */
export function chaosTestRates(tests: readonly ReportTest[]): ChaosTestRates[] {
  const groups = new Map<string, ReportTest[]>();
  for (const test of tests) {
    if (!test.chaos) continue;
    const key = `${test.file}\u0000${testName(test)}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [test]);
    else group.push(test);
  }
  const rates: ChaosTestRates[] = [];
  for (const group of groups.values()) {
    const first = group[0] as ReportTest;
    const ran = group.filter((test) => test.status !== 'skipped');
    const passed = ran.filter((test) => test.status === 'passed');
    const failingSeeds: FailingSeed[] = ran
      .filter((test) => test.status === 'failed')
      .map((test) => ({ run: test.run, baseSeed: replaySeed(test), seed: test.seed, fullName: test.fullName, replay: test.replay, reason: failureReason(test) }));
    rates.push({
      file: first.file,
      name: testName(first),
      priority: first.priority,
      runs: ran.length,
      passed: passed.length,
      failed: failingSeeds.length,
      skipped: group.length - ran.length,
      passedOnRetry: passed.filter((test) => (test.attempts ?? 1) > 1).length,
      passRate: ran.length === 0 ? null : passed.length / ran.length,
      failingSeeds,
    });
  }
  return rates.sort((a, b) => compare(a.file, b.file) || compare(a.name, b.name));
}

/** Whether the report holds several runs of one chaos test (CHAOS_RUNS or merged seeds): pass rates mean something. */
export function hasRepeatedRuns(rates: readonly ChaosTestRates[]): boolean {
  return rates.some((rate) => rate.runs > 1);
}

/** Tests that failed at least once, lowest pass rate first (then most runs, file, name). */
export function flakiest(rates: readonly ChaosTestRates[]): ChaosTestRates[] {
  return rates
    .filter((rate) => rate.failed > 0)
    .sort((a, b) => (a.passRate ?? 0) - (b.passRate ?? 0) || b.runs - a.runs || compare(a.file, b.file) || compare(a.name, b.name));
}

/** `3/4 (75%)`. */
export function rateText(rate: Pick<ChaosTestRates, 'passed' | 'runs' | 'passRate'>): string {
  return `${rate.passed}/${rate.runs} (${rate.passRate === null ? '-' : `${Math.round(rate.passRate * 100)}%`})`;
}
