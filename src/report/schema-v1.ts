/**
 * Schema version 1 of the JSON report, frozen: `jest-chaos merge` still reads reports of this version
 * (see upgrade.ts). Do not change it; the current schema is in schema.ts.
 */
import type { Priority, ReportRun, ReportSuite, RuleHits, SkipReason } from './schema';

export const REPORT_SCHEMA_VERSION_1 = 1;

/** A test as version 1 wrote it. */
export interface ReportTestV1 {
  readonly run: number;
  readonly file: string;
  readonly fullName: string;
  readonly chaos: boolean;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly skipped: SkipReason | null;
  readonly baseSeed: number | null;
  readonly seed: number | null;
  readonly rules: readonly string[];
  readonly faults: readonly RuleHits[];
  readonly events: readonly { readonly seq: number; readonly rule: string; readonly domain: string; readonly kind: string; readonly call: string; readonly delayMs?: number }[];
  readonly replay: string | null;
  readonly priority: Priority | null;
  readonly tags: readonly string[];
  readonly unmatched?: readonly string[];
  readonly refused?: readonly string[];
}

/** A report as version 1 wrote it. */
export interface ChaosReportV1 {
  readonly schemaVersion: 1;
  readonly jestChaosVersion: string;
  readonly generatedAt: string;
  readonly runs: readonly Pick<ReportRun, 'baseSeed' | 'seedSource' | 'enabled' | 'tags' | 'shard' | 'startedAt' | 'durationMs' | 'source' | 'strict'>[];
  readonly suites: readonly ReportSuite[];
  readonly tests: readonly ReportTestV1[];
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

/** JSON Schema (draft 2020-12) of version 1 of the report. */
export const reportSchemaV1 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:jest-chaos:report:1',
  title: 'jest-chaos report',
  ...object({
    schemaVersion: { const: REPORT_SCHEMA_VERSION_1 },
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
