/**
 * The JSON report (`chaos-report.json`): its TypeScript types and its JSON Schema. The schema is the
 * contract for tools that read the report; `schemaVersion` changes only when a field is removed or
 * changes meaning (adding a field keeps the version).
 */

export const REPORT_SCHEMA_VERSION = 1;

export type Priority = 'A' | 'B' | 'C';
export type SkipReason = 'disabled' | 'tags';
export type SeedSource = 'CHAOS_SEED' | 'drawn' | 'none';

/** One injected fault, in the order it happened within its test. */
export interface ReportEvent {
  readonly seq: number;
  readonly rule: string;
  readonly domain: string;
  readonly kind: string;
  readonly call: string;
  readonly delayMs?: number;
}

export interface RuleHits {
  readonly rule: string;
  readonly hits: number;
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
  readonly durationMs: number;
  /** For a merged report: the report file this run came from. */
  readonly source: string | null;
  /**
   * CHAOS_STRICT was on: chaos tests with unmatched rules or refused requests failed. Absent in reports of
   * versions before it was added.
   */
  readonly strict?: boolean;
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

export interface ReportTest {
  readonly run: number;
  readonly file: string;
  readonly fullName: string;
  readonly chaos: boolean;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why jest-chaos skipped it; null when it ran or was skipped by the test itself (`.skip`, `-t`). */
  readonly skipped: SkipReason | null;
  /** The file's base seed. */
  readonly baseSeed: number | null;
  /** The test's own seed (derived from the base seed, file and full name); null when it did not run with chaos. */
  readonly seed: number | null;
  readonly rules: readonly string[];
  /** Faults injected in this test, by rule. */
  readonly faults: readonly RuleHits[];
  readonly events: readonly ReportEvent[];
  readonly replay: string | null;
  readonly priority: Priority | null;
  readonly tags: readonly string[];
  /**
   * Rules of the test that no call matched (a rule that matched and whose `p` draw said no is not here).
   * Absent in reports of versions before it was added; always written now.
   */
  readonly unmatched?: readonly string[];
  /** Requests that the loopback guard refused during the test (`GET http://host/path`). Same as `unmatched`. */
  readonly refused?: readonly string[];
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
  /** Chaos tests only. */
  readonly tests: { readonly total: number; readonly passed: number; readonly failed: number; readonly skipped: number; readonly skippedDisabled: number; readonly notSelected: number };
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
}

type JsonSchema = { readonly [key: string]: unknown };

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const count: JsonSchema = { type: 'integer', minimum: 0 };
const seed: JsonSchema = { type: 'integer', minimum: 0, maximum: 0xffffffff };
const priority: JsonSchema = nullable({ enum: ['A', 'B', 'C'] });
const skipReason: JsonSchema = nullable({ enum: ['disabled', 'tags'] });
const strings: JsonSchema = { type: 'array', items: { type: 'string' } };
const object = (properties: Record<string, JsonSchema>, optional: readonly string[] = []): JsonSchema => ({
  type: 'object',
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  properties,
  additionalProperties: false,
});
const ruleHits: JsonSchema = { type: 'array', items: object({ rule: { type: 'string' }, hits: { type: 'integer', minimum: 1 } }) };

/** JSON Schema (draft 2020-12) of the report; also exported as `reportSchema` from `jest-chaos/reporter`. */
export const reportSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/jest-chaos/jest-chaos/blob/main/docs/report.md#schema-version-1',
  title: 'jest-chaos report',
  ...object({
    schemaVersion: { const: REPORT_SCHEMA_VERSION },
    jestChaosVersion: { type: 'string' },
    generatedAt: { type: 'string' },
    runs: {
      type: 'array',
      minItems: 1,
      items: object({
        baseSeed: nullable(seed),
        seedSource: { enum: ['CHAOS_SEED', 'drawn', 'none'] },
        enabled: { type: 'boolean' },
        tags: nullable({ type: 'string' }),
        shard: nullable(object({ index: { type: 'integer', minimum: 1 }, count: { type: 'integer', minimum: 1 } })),
        startedAt: { type: 'string' },
        durationMs: count,
        source: nullable({ type: 'string' }),
        strict: { type: 'boolean' },
      }, ['strict']),
    },
    totals: object({
      suites: object({ ran: count, skippedDisabled: count, notSelected: count, errored: count }),
      tests: object({ total: count, passed: count, failed: count, skipped: count, skippedDisabled: count, notSelected: count }),
      faults: ruleHits,
      byPriority: { type: 'array', items: object({ priority, tests: count, passed: count, failed: count, skipped: count }) },
    }),
    suites: {
      type: 'array',
      items: object({
        run: count,
        file: { type: 'string' },
        chaos: { type: 'boolean' },
        status: { enum: ['ran', 'skipped', 'error'] },
        skipped: skipReason,
        baseSeed: nullable(seed),
        seedPinned: { type: 'boolean' },
        priority,
        tags: strings,
        error: nullable({ type: 'string' }),
      }),
    },
    tests: {
      type: 'array',
      items: object({
        run: count,
        file: { type: 'string' },
        fullName: { type: 'string' },
        chaos: { type: 'boolean' },
        status: { enum: ['passed', 'failed', 'skipped'] },
        skipped: skipReason,
        baseSeed: nullable(seed),
        seed: nullable(seed),
        rules: strings,
        faults: ruleHits,
        events: {
          type: 'array',
          items: object(
            { seq: { type: 'integer', minimum: 1 }, rule: { type: 'string' }, domain: { type: 'string' }, kind: { type: 'string' }, call: { type: 'string' }, delayMs: { type: 'number', minimum: 0 } },
            ['delayMs'],
          ),
        },
        replay: nullable({ type: 'string' }),
        priority,
        tags: strings,
        unmatched: strings,
        refused: strings,
      }, ['unmatched', 'refused']),
    },
  }),
} as const;
