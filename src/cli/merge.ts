/** `jest-chaos merge`: merges the JSON reports of several shards (and seeds) into one. */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { loadReport, mergeReports, type LoadedReport } from '../report/merge';
import { isReportError, ReportError } from '../report/report-error';
import { failedChaosTests, formatMarkdown, formatSummary, useColor } from '../report/summary';
import { packageVersion } from '../report/version';
import { htmlBeside, serializeReport, writeAtomically, writeReportFile } from '../report/write';
import { renderHtml } from '../report/html';
import { parseCommandLine, type CommandLine } from './args';

/** Exit codes: documented in docs/report.md. */
export const EXIT_OK = 0;
export const EXIT_FAILED_TESTS = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage: jest-chaos merge <report.json...> [options]

Merges the chaos reports of several jest runs (one per --shard, and per seed of a seed matrix) into
one report, writes it, and prints the chaos summary of the whole.

Options:
  -o, --output <file>     where to write the merged report (default: chaos-report.json)
      --html <file>       where to write the HTML report (default: beside the merged report,
                          .json replaced by .html)
      --no-html           write no HTML report
      --json              print the merged report on stdout instead of the summary
      --allow-mixed-seeds merge reports of different base seeds (a seed matrix); each test keeps
                          its own run's seed. Without it, different seeds are an error.
      --fail-on-failures  exit with 1 when a chaos test failed or a chaos suite failed to run
                          (a test that passed on a retry, jest.retryTimes, passed)
  -h, --help              show this help

Exit codes: 0 merged, 1 merged with failures (only with --fail-on-failures), 2 bad arguments or reports.
With GITHUB_STEP_SUMMARY set, the summary is also appended to it as Markdown.`;

interface MergeArgs {
  readonly files: string[];
  readonly output: string;
  /** Where to write the HTML report; false for none; undefined for beside the output. */
  readonly html: string | false | undefined;
  readonly json: boolean;
  readonly allowMixedSeeds: boolean;
  readonly failOnFailures: boolean;
  readonly help: boolean;
}

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  html: { type: 'string' },
  'no-html': { type: 'boolean' },
  json: { type: 'boolean' },
  'allow-mixed-seeds': { type: 'boolean' },
  'fail-on-failures': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usageError(message: string): ReportError {
  return new ReportError('ERR_CHAOS_MERGE', `${message}. Run \`jest-chaos merge --help\` for the options.`);
}

const MERGE_COMMAND_LINE: CommandLine<typeof OPTIONS> = {
  command: 'jest-chaos merge',
  options: OPTIONS,
  placeholders: { output: '<file>', html: '<file>' },
  positionals: true,
  error: (message) => new ReportError('ERR_CHAOS_MERGE', message),
};

export function parseMergeArgs(argv: readonly string[]): MergeArgs {
  const { values, positionals, tokens } = parseCommandLine(argv, MERGE_COMMAND_LINE);
  // Of --html <file> and --no-html, the last one given wins.
  const html = tokens.findLast((token) => token.kind === 'option' && (token.name === 'html' || token.name === 'no-html'));
  return {
    files: positionals,
    output: values.output ?? 'chaos-report.json',
    html: html?.kind === 'option' && html.name === 'no-html' ? false : values.html,
    json: values.json === true,
    allowMixedSeeds: values['allow-mixed-seeds'] === true,
    failOnFailures: values['fail-on-failures'] === true,
    help: values.help === true,
  };
}

export async function run(argv: readonly string[]): Promise<number> {
  try {
    return merge(argv);
  } catch (error) {
    // Exit 1 means "chaos tests failed" to CI: anything that went wrong with the merge itself is 2.
    const message = isReportError(error) ? error.message : `jest-chaos: merge failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    process.stderr.write(`${message}\n`);
    return EXIT_USAGE;
  }
}

function merge(argv: readonly string[]): number {
  const args = parseMergeArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (args.files.length === 0) throw usageError('no reports to merge: pass the chaos-report.json of each shard');
  const version = packageVersion();
  const seen = new Set<string>();
  const inputs: LoadedReport[] = [];
  for (const file of args.files) {
    const resolved = path.resolve(file);
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    inputs.push(loadReport(file, version));
  }
  const { report, notes } = mergeReports(inputs, { allowMixedSeeds: args.allowMixedSeeds, generatedAt: new Date().toISOString() });
  for (const note of notes) process.stderr.write(`${note}\n`);
  try {
    writeReportFile(path.resolve(args.output), report);
  } catch (error) {
    throw new ReportError('ERR_CHAOS_MERGE', `cannot write the merged report to ${args.output}: ${(error as Error).message}. Pass a writable path with --output`);
  }
  const htmlFile = args.html === undefined ? htmlBeside(args.output) : args.html;
  if (htmlFile !== false) {
    const jsonName = path.relative(path.dirname(path.resolve(htmlFile)), path.resolve(args.output)).split(path.sep).join('/');
    try {
      writeAtomically(path.resolve(htmlFile), renderHtml(report, jsonName));
    } catch (error) {
      throw new ReportError('ERR_CHAOS_MERGE', `cannot write the HTML report to ${htmlFile}: ${(error as Error).message}. Pass a writable path with --html, or --no-html`);
    }
  }
  if (args.json) {
    process.stdout.write(serializeReport(report));
  } else {
    const lines = formatSummary(report, { color: useColor(process.stdout.isTTY) }, args.output, htmlFile === false ? undefined : htmlFile);
    process.stdout.write(`${lines.length > 0 ? lines.join('\n') : `jest-chaos: merged ${inputs.length} reports into ${args.output}; no chaos tests in them.`}\n`);
  }
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile !== undefined && summaryFile !== '') appendFileSync(summaryFile, formatMarkdown(report));
  const failures = failedChaosTests(report).length + report.totals.suites.errored;
  return args.failOnFailures && failures > 0 ? EXIT_FAILED_TESTS : EXIT_OK;
}
