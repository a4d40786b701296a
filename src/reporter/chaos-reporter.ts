import { appendFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AggregatedResult, TestContext } from '@jest/reporters';
import type { Config } from '@jest/types';
import { RECORDS_DIR_VARIABLE, type FileRecord } from '../report/records';
import { buildReport, type FailedSuiteInfo } from '../report/build';
import { ReportError } from '../report/report-error';
import type { ChaosReport, Priority, ReportRun } from '../report/schema';
import { formatMarkdown, formatSummary, useColor } from '../report/summary';
import { packageVersion } from '../report/version';
import { runVersions, sourceInfo } from '../report/run-info';
import { parseRuns } from '../runtime/runs';
import { htmlBeside, writeAtomically, writeReportFile } from '../report/write';
import { renderHtml } from '../report/html';
import { closest } from '../errors/suggest';
import { readDocblock } from '../pragma/docblock';
import { resetRunState, runState } from '../runner/run-state';
import { prepareRun } from '../runner/prepare-run';
import { readSettings, type ChaosSettings } from '../settings/env';
import { noTestSelectedError } from '../selection/check-tags';

export { reportSchema, REPORT_SCHEMA_VERSION } from '../report/schema';
export type { ChaosReport, ReportRun, ReportSuite, ReportTest, ReportEvent, RuleHits } from '../report/schema';

/** Options of `['jest-chaos/reporter', { ... }]`. */
export interface ChaosReporterOptions {
  /** Where to write the JSON report, relative to rootDir; `false` writes none. Default `chaos-report.json`. */
  outputFile?: string | false;
  /**
   * Where to write the HTML report, relative to rootDir; `false` writes none. Default: beside the JSON
   * report, `.json` replaced by `.html` (none when outputFile is false).
   */
  html?: string | false;
}

export const DEFAULT_OUTPUT_FILE = 'chaos-report.json';

interface CheckedOptions {
  readonly outputFile: string | false;
  readonly html: string | false;
}

const OPTIONS_HELP =
  'Valid: { outputFile: "<path relative to rootDir>" or false (no JSON report), html: "<path relative to rootDir>" or false (no HTML report) }; both are optional.';

function optionsError(message: string): ReportError {
  return new ReportError('ERR_CHAOS_REPORT_OPTIONS', `${message} for jest-chaos/reporter in the Jest config "reporters". ${OPTIONS_HELP}`);
}

function pathOption(name: string, value: unknown): string | false | undefined {
  if (value === undefined || value === false) return value;
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw optionsError(`invalid ${name} ${JSON.stringify(value)}`);
}

function checkOptions(options: unknown): CheckedOptions {
  if (options === undefined || options === null) return { outputFile: DEFAULT_OUTPUT_FILE, html: htmlBeside(DEFAULT_OUTPUT_FILE) };
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ReportError('ERR_CHAOS_REPORT_OPTIONS', `invalid options for jest-chaos/reporter in the Jest config "reporters": expected an object, got ${JSON.stringify(options)}. ${OPTIONS_HELP}`);
  }
  const { outputFile, html, ...rest } = options as { outputFile?: unknown; html?: unknown };
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    const near = unknown.map((key) => closest(key, ['outputFile', 'html'])).find((name) => name !== undefined);
    throw optionsError(`unknown option ${unknown.map((key) => `"${key}"`).join(', ')}${near === undefined ? '' : ` (did you mean "${near}"?)`}`);
  }
  const json = pathOption('outputFile', outputFile) ?? DEFAULT_OUTPUT_FILE;
  const page = pathOption('html', html);
  return { outputFile: json, html: page ?? (json === false ? false : htmlBeside(json)) };
}

function readRecords(dir: string | undefined): FileRecord[] {
  if (dir === undefined) return [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const records: FileRecord[] = [];
  for (const name of names.filter((entry) => entry.endsWith('.json'))) {
    try {
      records.push(JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as FileRecord);
    } catch {
      // A worker killed while writing leaves a partial record: that file's tests show as not recorded.
    }
  }
  return records;
}

const ANSI_PATTERN = /\u001b\[[0-9;]*m/g;

/** A file that Jest could not run, as the report shows it. */
function failedSuite(testPath: string, message: string, rootDirs: readonly string[]): FailedSuiteInfo {
  const rootDir = rootDirs.filter((dir) => testPath.startsWith(dir + path.sep)).sort((a, b) => b.length - a.length)[0] ?? path.dirname(testPath);
  let chaos = false;
  let priority: Priority | undefined;
  try {
    const entries = readDocblock(readFileSync(testPath, 'utf8'));
    chaos = entries.some((entry) => entry.name === 'chaos' || entry.name.startsWith('chaos-'));
    const declared = entries.find((entry) => entry.name === 'chaos-priority')?.value;
    if (declared === 'A' || declared === 'B' || declared === 'C') priority = declared;
  } catch {
    chaos = false;
  }
  const error = message.replace(ANSI_PATTERN, '').trim().split('\n').slice(0, 3).join('\n');
  return { testPath, relativePath: path.relative(rootDir, testPath).split(path.sep).join('/'), chaos, priority, error };
}

/** CHAOS_STRICT, or `testEnvironmentOptions.chaos.strict: true` in one of the run's projects. */
function strictRun(settings: ChaosSettings, contexts: Set<TestContext> | undefined): boolean {
  if (settings.strict) return true;
  return [...(contexts ?? [])].some((context) => (context.config.testEnvironmentOptions as { chaos?: { strict?: unknown } } | undefined)?.chaos?.strict === true);
}

/** CHAOS_RUNS as the environment read it (an invalid value already stopped the run). */
function chaosRuns(): number {
  try {
    return parseRuns(process.env.CHAOS_RUNS);
  } catch {
    return 1;
  }
}

function runInfo(settings: ChaosSettings, globalConfig: Config.GlobalConfig, startTime: number, strict: boolean): Omit<ReportRun, 'source'> {
  const seedSource = !settings.enabled || settings.seed === undefined ? 'none' : settings.seedDrawn ? 'drawn' : 'CHAOS_SEED';
  const tags = process.env.CHAOS_TAGS?.trim();
  const shard = globalConfig.shard;
  const started = startTime > 0 ? startTime : Date.now();
  const ended = Date.now();
  const { commit, branch } = sourceInfo(globalConfig.rootDir);
  return {
    baseSeed: seedSource === 'none' ? null : (settings.seed ?? null),
    seedSource,
    enabled: settings.enabled,
    tags: tags === undefined || tags === '' ? null : tags,
    shard: shard === undefined ? null : { index: shard.shardIndex, count: shard.shardCount },
    startedAt: new Date(started).toISOString(),
    endedAt: new Date(ended).toISOString(),
    durationMs: Math.max(0, ended - started),
    strict,
    chaosRuns: settings.enabled ? chaosRuns() : 1,
    commit,
    branch,
    versions: runVersions(packageVersion()),
  };
}

/**
 * Prepares the run as the chaos runner does (one base seed for every file, the records folder), prints
 * the chaos summary after Jest's own, writes the JSON and HTML reports of a run with chaos enabled and,
 * on GitHub Actions, appends a Markdown section to the job's step summary.
 */
export default class ChaosReporter {
  private readonly outputFile: string | false;
  private readonly html: string | false;
  /** The summary, held until Jest has printed its own. */
  private pending: string | undefined;
  /** What fails the run although no test failed: a CHAOS_TAGS selection that ran no test. */
  private runError: Error | undefined;

  constructor(
    private readonly globalConfig: Config.GlobalConfig,
    options?: ChaosReporterOptions,
  ) {
    const checked = checkOptions(options);
    this.outputFile = checked.outputFile;
    this.html = checked.html;
  }

  /** Prepares the run before Jest starts any worker, so that configs without the chaos runner draw one seed too. */
  onRunStart(): void {
    resetRunState();
    this.runError = undefined;
    prepareRun(this.globalConfig);
  }

  onRunComplete(contexts: Set<TestContext> | undefined, results: AggregatedResult): void {
    const dir = process.env[RECORDS_DIR_VARIABLE];
    try {
      this.report(contexts, results, dir);
    } finally {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    }
  }

  private report(contexts: Set<TestContext> | undefined, results: AggregatedResult, dir: string | undefined): void {
    const state = runState();
    // A bad CHAOS_* variable already stopped the run with its own message.
    if (state.settingsError !== undefined) return;
    let settings: ChaosSettings;
    try {
      settings = readSettings();
    } catch {
      return;
    }
    const rootDirs = [...(contexts ?? [])].map((context) => context.config.rootDir);
    const failedSuites = results.testResults
      .filter((result) => result.testExecError !== undefined && result.testExecError !== null)
      .map((result) => failedSuite(result.testFilePath, result.testExecError?.message ?? result.failureMessage ?? '', rootDirs.length > 0 ? rootDirs : [this.globalConfig.rootDir]));
    const report = buildReport({
      version: packageVersion(),
      run: runInfo(settings, this.globalConfig, results.startTime, strictRun(settings, contexts)),
      records: readRecords(dir),
      skippedSuites: state.skippedSuites,
      failedSuites,
      generatedAt: new Date().toISOString(),
    });

    // With chaos disabled nothing chaos-related ran: the summary line is all there is to say, and a
    // report of an earlier chaos run stays as it was (docs/report.md).
    const written = settings.enabled ? this.writeJson(report) : undefined;
    const page = settings.enabled ? this.writeHtml(report, written) : undefined;
    this.writeStepSummary(report);
    const lines = formatSummary(report, { color: useColor(process.stderr.isTTY) }, written, page);
    if (settings.tags !== undefined && this.globalConfig.passWithNoTests !== true) {
      this.runError = noTestSelectedError(settings.tags, results.testResults.length, results.numPassedTests + results.numFailedTests, report.tests);
      if (this.runError !== undefined) lines.push(...(lines.length > 0 ? [''] : []), this.runError.message);
    }
    if (lines.length === 0) return;
    // Jest adds its summary reporter after every configured one. It asks each reporter for its last
    // error right after all of them finished their onRunComplete: that is the moment to print. The
    // timer covers a Jest that does not ask.
    this.pending = `\n${lines.join('\n')}\n`;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.pending === undefined) return;
    process.stderr.write(this.pending);
    this.pending = undefined;
  }

  /**
   * Called by Jest after every reporter's onRunComplete; prints the chaos summary below Jest's. An error
   * returned here fails the run (exit code 1).
   */
  getLastError(): Error | undefined {
    this.flush();
    return this.runError;
  }

  /** Writes the JSON report; returns its path relative to rootDir, or undefined when none was written. */
  private writeJson(report: ChaosReport): string | undefined {
    if (this.outputFile === false) return undefined;
    const file = path.resolve(this.globalConfig.rootDir, this.outputFile);
    try {
      writeReportFile(file, report);
    } catch (error) {
      process.stderr.write(`jest-chaos: cannot write the chaos report to ${file}: ${(error as Error).message}. Set the reporter option outputFile to a writable path, or false.\n`);
      return undefined;
    }
    return this.shown(file);
  }

  /** Writes the HTML report; returns its path relative to rootDir, or undefined when none was written. */
  private writeHtml(report: ChaosReport, jsonShown: string | undefined): string | undefined {
    if (this.html === false) return undefined;
    const file = path.resolve(this.globalConfig.rootDir, this.html);
    const jsonName = jsonShown === undefined || this.outputFile === false ? undefined : path.relative(path.dirname(file), path.resolve(this.globalConfig.rootDir, this.outputFile)).split(path.sep).join('/');
    try {
      writeAtomically(file, renderHtml(report, jsonName));
    } catch (error) {
      process.stderr.write(`jest-chaos: cannot write the HTML chaos report to ${file}: ${(error as Error).message}. Set the reporter option html to a writable path, or false.\n`);
      return undefined;
    }
    return this.shown(file);
  }

  /** A written file as the summary names it: relative to rootDir when inside it. */
  private shown(file: string): string {
    const relative = path.relative(this.globalConfig.rootDir, file);
    return relative.startsWith('..') ? file : relative.split(path.sep).join('/');
  }

  private writeStepSummary(report: ChaosReport): void {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (file === undefined || file === '' || headlineIsEmpty(report)) return;
    try {
      appendFileSync(file, formatMarkdown(report));
    } catch (error) {
      process.stderr.write(`jest-chaos: cannot append to GITHUB_STEP_SUMMARY (${file}): ${(error as Error).message}.\n`);
    }
  }
}

/** Nothing chaos-related happened: no summary, no step-summary section. */
function headlineIsEmpty(report: ChaosReport): boolean {
  return formatSummary(report, { color: false }).length === 0;
}
