/**
 * The JSON report (`chaos-report.json`): its TypeScript types and its JSON Schema. The schema is the
 * contract for tools that read the report; `schemaVersion` changes only when a field is removed or
 * changes meaning (adding a field keeps the version). Version 1 is frozen in schema-v1.ts.
 */

export const REPORT_SCHEMA_VERSION = 2;

export type Priority = 'A' | 'B' | 'C';
export type SkipReason = 'disabled' | 'tags';
export type SeedSource = 'CHAOS_SEED' | 'drawn' | 'none';

/** One injected fault, in the order it happened within its test. */
export interface ReportEvent {
  readonly seq: number;
  readonly rule: string;
  readonly domain: string;
  readonly kind: string;
  /** The request or call it hit: `GET https://host/path`, `pg query`, `db orders.find`. */
  readonly call: string;
  /** The dependency it hit: `host[:port]` for http, the driver (`pg`) or the seam (`orders`) for db and cache. */
  readonly target: string;
  readonly delayMs?: number;
}

export interface RuleHits {
  readonly rule: string;
  readonly hits: number;
}

/** Where the code under test came from and what ran it. */
export interface RunVersions {
  readonly node: string;
  /** Jest's version, or null when it could not be found. */
  readonly jest: string | null;
  readonly jestChaos: string;
}

/** One `jest` run (one shard of one seed): where the report's suites and tests came from. */
export interface ReportRun {
  /** The run's base seed: CHAOS_SEED, or the seed drawn by the runner; null when chaos was disabled. */
  readonly baseSeed: number | null;
  readonly seedSource: SeedSource;
  readonly enabled: boolean;
  /** CHAOS_TAGS as given, or null. */
  readonly tags: string | null;
  /** From `--shard=index/count`; null when the run was not sharded. */
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly startedAt: string;
  /** When the run ended (the reporter's end); null in reports upgraded from version 1. */
  readonly endedAt: string | null;
  readonly durationMs: number;
  /** For a merged report: the report file this run came from. */
  readonly source: string | null;
  /** CHAOS_STRICT was on: chaos tests with unmatched rules or refused requests failed. */
  readonly strict: boolean;
  /** CHAOS_RUNS: how many times each chaos test ran (1 without it). */
  readonly chaosRuns: number;
  /** The commit SHA: from git in rootDir, else GITHUB_SHA or CI_COMMIT_SHA; null when none is known. */
  readonly commit: string | null;
  /** The branch: from git, else GITHUB_HEAD_REF, GITHUB_REF_NAME or CI_COMMIT_REF_NAME; null when none is known. */
  readonly branch: string | null;
  /** null in reports upgraded from version 1. */
  readonly versions: RunVersions | null;
}

/** One test file of one run. */
export interface ReportSuite {
  /** Index of the run in `runs`. */
  readonly run: number;
  /** Path relative to the project's rootDir, with `/` separators. */
  readonly file: string;
  readonly chaos: boolean;
  /** `ran`: Jest loaded it; `skipped`: the runner did not load it; `error`: it failed before its tests ran. */
  readonly status: 'ran' | 'skipped' | 'error';
  readonly skipped: SkipReason | null;
  /** The file's base seed (its `@chaos-seed`, else the run's); null when the file did not run. */
  readonly baseSeed: number | null;
  /** True when the file pins its own seed with `@chaos-seed`. */
  readonly seedPinned: boolean;
  readonly priority: Priority | null;
  readonly tags: readonly string[];
  /** First lines of the error of a suite that failed to run. */
  readonly error: string | null;
}

/** Under `CHAOS_RUNS=N`: which run of its chaos test a test entry is. */
export interface ChaosRun {
  readonly index: number;
  readonly of: number;
  /** The test's full name without the ` [run i/N]` suffix. */
  readonly name: string;
  /** The base seed this run behaves under: `CHAOS_SEED=<it>` replays the run alone. */
  readonly baseSeed: number;
}

/** The first error of a failed test. */
export interface ReportFailure {
  readonly message: string;
  /** The first stack frame in the user's own code (`fn (path:line:col)`), or null. */
  readonly frame: string | null;
}

/** A dependency that a chaos test called, faulted or not. */
export interface CalledDependency {
  /** `host` (an HTTP origin), `driver`, `seam` or `socket` (a TCP endpoint). */
  readonly type: 'host' | 'driver' | 'seam' | 'socket';
  readonly domain: string;
  /** `https://api.example.com:443`, `pg`, `orders`, `127.0.0.1:6379`. */
  readonly name: string;
  readonly calls: number;
  /** For a seam: the methods called. */
  readonly methods?: readonly string[];
}

export interface ReportTest {
  readonly run: number;
  readonly file: string;
  readonly fullName: string;
  readonly chaos: boolean;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why jest-chaos skipped it; null when it ran or was skipped by the test itself (`.skip`, `-t`). */
  readonly skipped: SkipReason | null;
  /** How many times Jest ran it (`jest.retryTimes`; the status is the last attempt's); null when not recorded. */
  readonly attempts: number | null;
  /** Wall time of the test, hooks included; null when not recorded. */
  readonly durationMs: number | null;
  /** The first error of a failed test; null otherwise. */
  readonly failure: ReportFailure | null;
  /** The file's base seed. */
  readonly baseSeed: number | null;
  /** The test's own seed (derived from the base seed, file and full name); null when it did not run with chaos. */
  readonly seed: number | null;
  /** Under CHAOS_RUNS: which run this is; null otherwise. */
  readonly chaosRun: ChaosRun | null;
  readonly rules: readonly string[];
  /** Faults injected in this test, by rule. */
  readonly faults: readonly RuleHits[];
  readonly events: readonly ReportEvent[];
  readonly replay: string | null;
  readonly priority: Priority | null;
  readonly tags: readonly string[];
  /** Rules of the test that no call matched (a rule that matched and whose `p` draw said no is not here). */
  readonly unmatched: readonly string[];
  /** Requests that the loopback guard refused during the test (`GET http://host/path`). */
  readonly refused: readonly string[];
  /**
   * The dependencies the test called, faulted or not, at most 32; absent for a test that called nothing and in
   * reports written before the field existed.
   */
  readonly called?: readonly CalledDependency[];
  /** Calls to dependencies beyond those listed in `called`. */
  readonly calledOther?: number;
}

/** A failing run of a chaos test: the seed to replay it with, and how. */
export interface FailingSeed {
  /** Index of the test entry's run in `runs`. */
  readonly run: number;
  /** `CHAOS_SEED` of the replay command. */
  readonly baseSeed: number | null;
  /** The test's own seed in that run. */
  readonly seed: number | null;
  readonly fullName: string;
  readonly replay: string | null;
  /** The first line of its failure message, or null. */
  readonly reason: string | null;
}

/** One chaos test over every run and seed of the report: file + name without the ` [run i/N]` suffix. */
export interface ChaosTestRates {
  readonly file: string;
  readonly name: string;
  readonly priority: Priority | null;
  /** Runs that ran (not skipped). */
  readonly runs: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Runs that passed after a retry (`attempts` > 1); counted in `passed`. */
  readonly passedOnRetry: number;
  /** passed / runs, from 0 to 1; null when no run ran. */
  readonly passRate: number | null;
  /** Every failing run, in report order. */
  readonly failingSeeds: readonly FailingSeed[];
}

export interface PriorityTotals {
  readonly priority: Priority | null;
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface ReportTotals {
  readonly suites: { readonly ran: number; readonly skippedDisabled: number; readonly notSelected: number; readonly errored: number };
  /** Chaos test entries (one per run under CHAOS_RUNS, one per seed after a merge). */
  readonly tests: { readonly total: number; readonly passed: number; readonly failed: number; readonly skipped: number; readonly skippedDisabled: number; readonly notSelected: number };
  /** Chaos tests as `chaosTests` counts them: each once over all its runs and seeds. */
  readonly chaosTests: { readonly total: number; readonly ran: number; readonly allPassed: number; readonly someFailed: number; readonly allFailed: number };
  /** Faults injected over all tests, most hits first. */
  readonly faults: readonly RuleHits[];
  /** Chaos tests by `@chaos-priority`, A, B, C, then unprioritised (null); only groups with tests. */
  readonly byPriority: readonly PriorityTotals[];
}

export interface ChaosReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly jestChaosVersion: string;
  readonly generatedAt: string;
  readonly runs: readonly ReportRun[];
  readonly totals: ReportTotals;
  /** Chaos suites (files with `@chaos`), files that hold chaos tests, and files that failed to run. */
  readonly suites: readonly ReportSuite[];
  /** Every test of the recorded files, chaos or not. */
  readonly tests: readonly ReportTest[];
  /** Each chaos test once, with its runs, pass rate and failing seeds; sorted by file and name. */
  readonly chaosTests: readonly ChaosTestRates[];
}

type JsonSchema = { readonly [key: string]: unknown };

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const count: JsonSchema = { type: 'integer', minimum: 0 };
const seed: JsonSchema = { type: 'integer', minimum: 0, maximum: 0xffffffff };
const priority: JsonSchema = nullable({ enum: ['A', 'B', 'C'] });
const skipReason: JsonSchema = nullable({ enum: ['disabled', 'tags'] });
const strings: JsonSchema = { type: 'array', items: { type: 'string' } };
const text: JsonSchema = { type: 'string' };
const object = (properties: Record<string, JsonSchema>, optional: readonly string[] = []): JsonSchema => ({
  type: 'object',
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  properties,
  additionalProperties: false,
});
const ruleHits: JsonSchema = { type: 'array', items: object({ rule: text, hits: { type: 'integer', minimum: 1 } }) };

/** JSON Schema (draft 2020-12) of the report; also exported as `reportSchema` from `jest-chaos/reporter`. */
export const reportSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:jest-chaos:report:2',
  title: 'jest-chaos report',
  ...object({
    schemaVersion: { const: REPORT_SCHEMA_VERSION },
    jestChaosVersion: text,
    generatedAt: text,
    runs: {
      type: 'array',
      minItems: 1,
      items: object({
        baseSeed: nullable(seed),
        seedSource: { enum: ['CHAOS_SEED', 'drawn', 'none'] },
        enabled: { type: 'boolean' },
        tags: nullable(text),
        shard: nullable(object({ index: { type: 'integer', minimum: 1 }, count: { type: 'integer', minimum: 1 } })),
        startedAt: text,
        endedAt: nullable(text),
        durationMs: count,
        source: nullable(text),
        strict: { type: 'boolean' },
        chaosRuns: { type: 'integer', minimum: 1 },
        commit: nullable(text),
        branch: nullable(text),
        versions: nullable(object({ node: text, jest: nullable(text), jestChaos: text })),
      }),
    },
    totals: object({
      suites: object({ ran: count, skippedDisabled: count, notSelected: count, errored: count }),
      tests: object({ total: count, passed: count, failed: count, skipped: count, skippedDisabled: count, notSelected: count }),
      chaosTests: object({ total: count, ran: count, allPassed: count, someFailed: count, allFailed: count }),
      faults: ruleHits,
      byPriority: { type: 'array', items: object({ priority, tests: count, passed: count, failed: count, skipped: count }) },
    }),
    suites: {
      type: 'array',
      items: object({
        run: count,
        file: text,
        chaos: { type: 'boolean' },
        status: { enum: ['ran', 'skipped', 'error'] },
        skipped: skipReason,
        baseSeed: nullable(seed),
        seedPinned: { type: 'boolean' },
        priority,
        tags: strings,
        error: nullable(text),
      }),
    },
    tests: {
      type: 'array',
      items: object({
        run: count,
        file: text,
        fullName: text,
        chaos: { type: 'boolean' },
        status: { enum: ['passed', 'failed', 'skipped'] },
        skipped: skipReason,
        attempts: nullable(count),
        durationMs: nullable({ type: 'number', minimum: 0 }),
        failure: nullable(object({ message: text, frame: nullable(text) })),
        baseSeed: nullable(seed),
        seed: nullable(seed),
        chaosRun: nullable(object({ index: { type: 'integer', minimum: 1 }, of: { type: 'integer', minimum: 1 }, name: text, baseSeed: seed })),
        rules: strings,
        faults: ruleHits,
        events: {
          type: 'array',
          items: object(
            { seq: { type: 'integer', minimum: 1 }, rule: text, domain: text, kind: text, call: text, target: text, delayMs: { type: 'number', minimum: 0 } },
            ['delayMs'],
          ),
        },
        replay: nullable(text),
        priority,
        tags: strings,
        unmatched: strings,
        refused: strings,
        called: {
          type: 'array',
          items: object(
            { type: { enum: ['host', 'driver', 'seam', 'socket'] }, domain: text, name: text, calls: { type: 'integer', minimum: 1 }, methods: strings },
            ['methods'],
          ),
        },
        calledOther: { type: 'integer', minimum: 1 },
      }, ['called', 'calledOther']),
    },
    chaosTests: {
      type: 'array',
      items: object({
        file: text,
        name: text,
        priority,
        runs: count,
        passed: count,
        failed: count,
        skipped: count,
        passedOnRetry: count,
        passRate: nullable({ type: 'number', minimum: 0, maximum: 1 }),
        failingSeeds: {
          type: 'array',
          items: object({ run: count, baseSeed: nullable(seed), seed: nullable(seed), fullName: text, replay: nullable(text), reason: nullable(text) }),
        },
      }),
    },
  }),
} as const;
