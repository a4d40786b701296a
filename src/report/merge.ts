import { readFileSync } from 'node:fs';
import { assemble } from './build';
import { ReportError } from './report-error';
import { REPORT_SCHEMA_VERSION, reportSchema, type ChaosReport, type ReportRun, type ReportSuite, type ReportTest } from './schema';
import { REPORT_SCHEMA_VERSION_1, reportSchemaV1, type ChaosReportV1 } from './schema-v1';
import { upgradeV1 } from './upgrade';
import { validateAgainst } from './validate';

/** The schema versions that merge reads, oldest first. */
export const READABLE_SCHEMA_VERSIONS = [REPORT_SCHEMA_VERSION_1, REPORT_SCHEMA_VERSION] as const;

/** A report read from disk, with the name it was given on the command line. */
export interface LoadedReport {
  readonly file: string;
  readonly report: ChaosReport;
}

export interface MergeOptions {
  /** Merge runs of different base seeds (a seed matrix) instead of refusing. */
  readonly allowMixedSeeds: boolean;
  readonly generatedAt: string;
}

export interface MergeResult {
  readonly report: ChaosReport;
  /** Things the user should know that do not stop the merge (a file present in two reports). */
  readonly notes: readonly string[];
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `${line}:${position - before.lastIndexOf('\n')}`;
}

/** Reads and checks one report file; every problem is a ReportError naming the file. */
export function loadReport(file: string, readerVersion: string): LoadedReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ReportError('ERR_CHAOS_MERGE', `cannot read report ${file}: ${reason}. Pass the chaos-report.json files written by the jest-chaos reporter of each shard.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const where = position === null ? file : `${file}:${lineAndColumn(text, Number(position[1]))}`;
    throw new ReportError('ERR_CHAOS_MERGE', `invalid JSON in ${where}: ${(error as Error).message}. A report is the JSON file written by the jest-chaos reporter (chaos-report.json).`);
  }
  if (typeof value !== 'object' || value === null || !('schemaVersion' in value)) {
    throw new ReportError('ERR_CHAOS_MERGE', `not a jest-chaos report in ${file}: it has no "schemaVersion". A report is the JSON file written by the jest-chaos reporter (chaos-report.json).`);
  }
  const version = (value as { schemaVersion: unknown }).schemaVersion;
  if (version !== REPORT_SCHEMA_VERSION && version !== REPORT_SCHEMA_VERSION_1) {
    throw new ReportError(
      'ERR_CHAOS_MERGE',
      `unsupported report schemaVersion ${JSON.stringify(version)} in ${file}: jest-chaos ${readerVersion} reads schemaVersion ${READABLE_SCHEMA_VERSIONS.join(' and ')}. Merge with the jest-chaos version that wrote the reports.`,
    );
  }
  const problems = validateAgainst(version === REPORT_SCHEMA_VERSION ? reportSchema : reportSchemaV1, value);
  if (problems.length > 0) {
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
    throw new ReportError('ERR_CHAOS_MERGE', `invalid report ${file}: ${problems.slice(0, 3).join('; ')}${more}. Reports written by the jest-chaos reporter follow the schema in docs/report.md; was the file edited?`);
  }
  return { file, report: version === REPORT_SCHEMA_VERSION ? (value as ChaosReport) : upgradeV1(value as ChaosReportV1) };
}

/** "a in x.json, y.json; b in z.json" for values that should have been equal. */
function disagreement(groups: Map<string, string[]>, label: (key: string) => string): string {
  return [...groups].map(([key, files]) => `${label(key)} in ${files.join(', ')}`).join('; ');
}

function groupBy(inputs: readonly LoadedReport[], key: (report: ChaosReport) => readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const { file, report } of inputs) {
    for (const value of new Set(key(report))) groups.set(value, [...(groups.get(value) ?? []), file]);
  }
  return groups;
}

/**
 * Merges reports of several `jest` runs (shards, and with `allowMixedSeeds` several seeds) into one.
 * Runs are kept side by side; suites and tests keep the run they came from. When the same file of the
 * same base seed appears in two reports, the one given last wins and a note says so.
 */
export function mergeReports(inputs: readonly LoadedReport[], options: MergeOptions): MergeResult {
  const versions = groupBy(inputs, (report) => [report.jestChaosVersion]);
  if (versions.size > 1) {
    throw new ReportError(
      'ERR_CHAOS_MERGE',
      `reports from different jest-chaos versions: ${disagreement(versions, (v) => v)}. Seeds and fault schedules may change between versions: merge reports written by one version.`,
    );
  }
  const seeds = groupBy(inputs, (report) => report.runs.filter((run) => run.enabled && run.baseSeed !== null).map((run) => String(run.baseSeed)));
  if (seeds.size > 1 && !options.allowMixedSeeds) {
    throw new ReportError(
      'ERR_CHAOS_MERGE',
      `reports from different base seeds: ${disagreement(seeds, (seed) => `seed ${seed}`)}. Shards of one run share a seed (set CHAOS_SEED for every shard); to merge a matrix of seeds, pass --allow-mixed-seeds (each test keeps its own run's seed).`,
    );
  }

  const runs: ReportRun[] = [];
  const suites: (ReportSuite & { key: string })[] = [];
  const tests: (ReportTest & { key: string })[] = [];
  const owner = new Map<string, number>();
  const notes: string[] = [];
  for (const [index, { file, report }] of inputs.entries()) {
    const offset = runs.length;
    runs.push(...report.runs.map((run) => ({ ...run, source: run.source ?? file })));
    const seedOf = (run: number): string => String(report.runs[run]?.baseSeed ?? null);
    const claimed = new Set<string>();
    for (const suite of report.suites) claimed.add(`${seedOf(suite.run)}\u0000${suite.file}`);
    for (const test of report.tests) claimed.add(`${seedOf(test.run)}\u0000${test.file}`);
    for (const key of claimed) {
      const previous = owner.get(key);
      if (previous !== undefined && previous !== index) {
        const [seed, path] = key.split('\u0000');
        notes.push(`jest-chaos: ${path} (base seed ${seed}) is in ${inputs[previous]?.file ?? ''} and ${file}; kept the results of ${file}.`);
      }
      owner.set(key, index);
    }
    for (const suite of report.suites) suites.push({ ...suite, run: suite.run + offset, key: `${seedOf(suite.run)}\u0000${suite.file}\u0000${index}` });
    for (const test of report.tests) tests.push({ ...test, run: test.run + offset, key: `${seedOf(test.run)}\u0000${test.file}\u0000${index}` });
  }
  const kept = (entry: { key: string }): boolean => {
    const [seed, path, index] = entry.key.split('\u0000');
    return owner.get(`${seed}\u0000${path}`) === Number(index);
  };
  const strip = <T extends { key: string }>({ key: _key, ...rest }: T): Omit<T, 'key'> => rest;
  const version = inputs[0]?.report.jestChaosVersion ?? '0.0.0';
  return {
    report: assemble(version, options.generatedAt, runs, suites.filter(kept).map(strip), tests.filter(kept).map(strip)),
    notes,
  };
}
