/**
 * Reads a report of schema version 1 as version 2: what version 1 did not record is null (attempts,
 * durations, failures, the commit, the versions) or empty (unmatched rules, refused requests), event
 * targets are derived from their calls, and CHAOS_RUNS runs are recognised by their ` [run i/N]` name.
 */
import { assemble } from './build';
import type { ChaosReportV1, ReportTestV1 } from './schema-v1';
import type { ChaosReport, ChaosRun, ReportRun, ReportTest } from './schema';
import { callTarget } from './targets';

const RUN_SUFFIX = / \[run (\d+)\/(\d+)\]$/;

/** The CHAOS_RUNS run that a version 1 name carries; its base seed is read from its replay command. */
function chaosRunOf(test: ReportTestV1): ChaosRun | null {
  const match = RUN_SUFFIX.exec(test.fullName);
  if (match === null) return null;
  const replaySeed = /CHAOS_SEED=(\d+)/.exec(test.replay ?? '')?.[1];
  return { index: Number(match[1]), of: Number(match[2]), name: test.fullName.slice(0, match.index), baseSeed: replaySeed === undefined ? (test.baseSeed ?? 0) : Number(replaySeed) };
}

function upgradeTest(test: ReportTestV1): ReportTest {
  return {
    run: test.run,
    file: test.file,
    fullName: test.fullName,
    chaos: test.chaos,
    status: test.status,
    skipped: test.skipped,
    attempts: null,
    durationMs: null,
    failure: null,
    baseSeed: test.baseSeed,
    seed: test.seed,
    chaosRun: test.chaos ? chaosRunOf(test) : null,
    rules: [...test.rules],
    faults: test.faults.map((hits) => ({ ...hits })),
    events: test.events.map((event) => ({ ...event, target: callTarget(event.domain, event.call).name })),
    replay: test.replay,
    priority: test.priority,
    tags: [...test.tags],
    unmatched: [...(test.unmatched ?? [])],
    refused: [...(test.refused ?? [])],
  };
}

export function upgradeV1(report: ChaosReportV1): ChaosReport {
  const tests = report.tests.map(upgradeTest);
  const runsOf = (index: number): number => Math.max(1, ...tests.filter((test) => test.run === index).map((test) => test.chaosRun?.of ?? 1));
  const runs: ReportRun[] = report.runs.map((run, index) => ({
    baseSeed: run.baseSeed,
    seedSource: run.seedSource,
    enabled: run.enabled,
    tags: run.tags,
    shard: run.shard,
    startedAt: run.startedAt,
    endedAt: null,
    durationMs: run.durationMs,
    source: run.source,
    strict: run.strict ?? false,
    chaosRuns: runsOf(index),
    commit: null,
    branch: null,
    versions: null,
  }));
  return assemble(report.jestChaosVersion, report.generatedAt, runs, report.suites.map((suite) => ({ ...suite, tags: [...suite.tags] })), tests);
}
