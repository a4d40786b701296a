import type { FileRecord } from './records';
import { chaosTestRates } from './rates';
import { callTarget } from './targets';
import {
  REPORT_SCHEMA_VERSION,
  type ChaosReport,
  type ChaosTestRates,
  type Priority,
  type PriorityTotals,
  type ReportEvent,
  type ReportRun,
  type ReportSuite,
  type ReportTest,
  type ReportTotals,
  type RuleHits,
  type SkipReason,
} from './schema';

/** A file the runner did not hand to Jest, with what its docblock says. */
export interface SkippedSuiteInfo {
  readonly relativePath: string;
  readonly reason: SkipReason;
  readonly chaos: boolean;
  readonly seed: number | undefined;
  readonly priority: Priority | undefined;
  readonly tags: readonly string[];
}

/** A file that Jest reports as failed to run (its module threw, a hook of the file failed, its pragmas are wrong). */
export interface FailedSuiteInfo {
  readonly relativePath: string;
  readonly testPath: string;
  readonly chaos: boolean;
  /** `@chaos-priority` when the docblock names a valid one. */
  readonly priority: Priority | undefined;
  readonly error: string;
}

export interface ReportInput {
  readonly version: string;
  readonly run: Omit<ReportRun, 'source'>;
  readonly records: readonly FileRecord[];
  readonly skippedSuites: readonly SkippedSuiteInfo[];
  readonly failedSuites: readonly FailedSuiteInfo[];
  readonly generatedAt: string;
}

const PRIORITY_ORDER: readonly (Priority | null)[] = ['A', 'B', 'C', null];

/** Fault counts by rule, in order of first appearance. */
export function countByRule(events: readonly { readonly rule: string }[]): RuleHits[] {
  const hits = new Map<string, number>();
  for (const event of events) hits.set(event.rule, (hits.get(event.rule) ?? 0) + 1);
  return [...hits].map(([rule, count]) => ({ rule, hits: count }));
}

function byFileThenName(a: { file: string; fullName?: string; run: number }, b: { file: string; fullName?: string; run: number }): number {
  return compare(a.file, b.file) || compare(a.fullName ?? '', b.fullName ?? '') || a.run - b.run;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds one run's report from the environment's per-file records and what the runner and Jest saw. */
export function buildReport(input: ReportInput): ChaosReport {
  const { run } = input;
  const failedByPath = new Map(input.failedSuites.map((failure) => [failure.testPath, failure]));
  const suites: ReportSuite[] = [];
  const tests: ReportTest[] = [];
  for (const record of input.records) {
    const hasChaos = record.chaosSuite || record.tests.some((test) => test.chaos);
    const failure = failedByPath.get(record.testPath);
    failedByPath.delete(record.testPath);
    if (hasChaos || failure?.chaos === true) {
      suites.push({
        run: 0,
        file: record.relativePath,
        chaos: record.chaosSuite,
        status: failure === undefined ? 'ran' : 'error',
        skipped: null,
        baseSeed: record.seedPinned || run.enabled ? record.baseSeed : null,
        seedPinned: record.seedPinned,
        priority: record.priority ?? null,
        tags: [...record.tags],
        error: failure?.error ?? null,
      });
    }
    for (const test of record.tests) {
      const events: ReportEvent[] = (test.events ?? []).map((event) => ({ ...event, target: callTarget(event.domain, event.call).name }));
      const tags = test.chaos && !record.tags.includes('chaos') ? [...record.tags, 'chaos'] : [...record.tags];
      tests.push({
        run: 0,
        file: record.relativePath,
        fullName: test.fullName,
        chaos: test.chaos,
        status: test.status,
        skipped: test.skipped ?? null,
        attempts: test.status === 'skipped' ? 0 : (test.attempts ?? null),
        durationMs: test.durationMs ?? null,
        failure: test.failure === undefined ? null : { message: test.failure.message, frame: test.failure.frame ?? null },
        baseSeed: test.seed === undefined ? null : record.baseSeed,
        seed: test.seed ?? null,
        chaosRun: test.chaosRun === undefined ? null : { ...test.chaosRun },
        rules: [...(test.rules ?? [])],
        faults: countByRule(events),
        events,
        replay: test.replay ?? null,
        priority: record.priority ?? null,
        tags,
        unmatched: [...(test.unmatched ?? [])],
        refused: [...(test.refused ?? [])],
        ...(test.called === undefined ? {} : { called: test.called.map((entry) => ({ ...entry })) }),
        ...(test.calledOther === undefined ? {} : { calledOther: test.calledOther }),
      });
    }
  }
  for (const failure of failedByPath.values()) {
    if (!failure.chaos) continue;
    suites.push({ run: 0, file: failure.relativePath, chaos: true, status: 'error', skipped: null, baseSeed: null, seedPinned: false, priority: failure.priority ?? null, tags: ['chaos'], error: failure.error });
  }
  for (const skipped of input.skippedSuites) {
    suites.push({
      run: 0,
      file: skipped.relativePath,
      chaos: skipped.chaos,
      status: 'skipped',
      skipped: skipped.reason,
      baseSeed: skipped.seed ?? null,
      seedPinned: skipped.seed !== undefined,
      priority: skipped.priority ?? null,
      tags: [...skipped.tags],
      error: null,
    });
  }
  return assemble(input.version, input.generatedAt, [{ ...run, source: null }], suites, tests);
}

/** Sorts suites and tests and computes the totals: shared by a run's report and a merged one. */
export function assemble(version: string, generatedAt: string, runs: readonly ReportRun[], suites: ReportSuite[], tests: ReportTest[]): ChaosReport {
  suites.sort(byFileThenName);
  tests.sort(byFileThenName);
  const chaosTests = chaosTestRates(tests);
  return { schemaVersion: REPORT_SCHEMA_VERSION, jestChaosVersion: version, generatedAt, runs, totals: computeTotals(suites, tests, chaosTests), suites, tests, chaosTests };
}

export function computeTotals(suites: readonly ReportSuite[], tests: readonly ReportTest[], rates: readonly ChaosTestRates[] = chaosTestRates(tests)): ReportTotals {
  const chaosTests = tests.filter((test) => test.chaos);
  const ran = chaosTests.filter((test) => test.status !== 'skipped');
  const faults = new Map<string, number>();
  for (const test of ran) for (const { rule, hits } of test.faults) faults.set(rule, (faults.get(rule) ?? 0) + hits);
  const byPriority: PriorityTotals[] = [];
  for (const priority of PRIORITY_ORDER) {
    const group = chaosTests.filter((test) => test.priority === priority);
    if (group.length === 0) continue;
    byPriority.push({
      priority,
      tests: group.length,
      passed: group.filter((test) => test.status === 'passed').length,
      failed: group.filter((test) => test.status === 'failed').length,
      skipped: group.filter((test) => test.status === 'skipped').length,
    });
  }
  return {
    suites: {
      ran: suites.filter((suite) => suite.chaos && suite.status === 'ran').length,
      skippedDisabled: suites.filter((suite) => suite.skipped === 'disabled').length,
      notSelected: suites.filter((suite) => suite.skipped === 'tags').length,
      errored: suites.filter((suite) => suite.status === 'error').length,
    },
    tests: {
      total: chaosTests.length,
      passed: ran.filter((test) => test.status === 'passed').length,
      failed: ran.filter((test) => test.status === 'failed').length,
      skipped: chaosTests.length - ran.length,
      skippedDisabled: chaosTests.filter((test) => test.skipped === 'disabled').length,
      notSelected: chaosTests.filter((test) => test.skipped === 'tags').length,
    },
    chaosTests: {
      total: rates.length,
      ran: rates.filter((rate) => rate.runs > 0).length,
      allPassed: rates.filter((rate) => rate.runs > 0 && rate.failed === 0).length,
      someFailed: rates.filter((rate) => rate.failed > 0 && rate.passed > 0).length,
      allFailed: rates.filter((rate) => rate.runs > 0 && rate.passed === 0).length,
    },
    faults: [...faults].map(([rule, hits]) => ({ rule, hits })).sort((a, b) => b.hits - a.hits || compare(a.rule, b.rule)),
    byPriority,
  };
}
