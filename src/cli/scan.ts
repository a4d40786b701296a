/** `npx jest-chaos scan`: finds the failure scenarios of a project and which ones its chaos suites exercise (docs/scan.md). */
import path from 'node:path';
import { scan } from '../scan/analyse';
import { PRIORITIES, type Priority } from '../scan/priorities';
import { isScanError, ScanError } from '../scan/scan-error';
import { writeSkeletons } from '../scan/skeletons';
import { formatTable } from '../scan/table';
import { loadTypeScript } from '../scan/typescript';
import { parseCommandLine, type CommandLine } from './args';

/** Exit codes (docs/scan.md). */
export const EXIT_OK = 0;
export const EXIT_UNTESTED = 1;
export const EXIT_USAGE = 2;

export const SCAN_USAGE = `Usage: jest-chaos scan [options]

Finds where the project reaches its dependencies (HTTP hosts, databases, caches, brokers, registered
seams), which fault kinds its chaos suites already exercise, and ranks the missing scenarios A, B or C.

Options:
  --json                  print the result as JSON (schema in docs/scan.md) instead of the table
  --report <file>         also count the faults that fired in this chaos-report.json
  --write <dir>           write a skeleton chaos suite per missing scenario into <dir> (never overwrites)
  --fail-under <A|B|C>    exit 1 when a scenario of this priority or higher is untested
  --priorities <file>     priority signals as JSON (default: package.json "jest-chaos".scan.priorities)
  --cwd <dir>             the project directory (default: the current directory)
  -h, --help              print this help

Exit codes: 0 done, 1 untested scenarios under --fail-under, 2 bad options or an unreadable project.`;

const OPTIONS = {
  json: { type: 'boolean' },
  report: { type: 'string' },
  write: { type: 'string' },
  'fail-under': { type: 'string' },
  priorities: { type: 'string' },
  cwd: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ScanArgs {
  readonly json: boolean;
  readonly report: string | undefined;
  readonly write: string | undefined;
  readonly failUnder: Priority | undefined;
  readonly priorities: string | undefined;
  readonly cwd: string;
  readonly help: boolean;
}

function usageError(message: string): ScanError {
  return new ScanError(`${message}. Run \`jest-chaos scan --help\` for the options.`);
}

const SCAN_COMMAND_LINE: CommandLine<typeof OPTIONS> = {
  command: 'jest-chaos scan',
  options: OPTIONS,
  placeholders: { report: '<file>', write: '<dir>', 'fail-under': '<A|B|C>', priorities: '<file>', cwd: '<dir>' },
  positionals: false,
  error: (message) => new ScanError(message),
};

export function parseScanArgs(argv: readonly string[], cwd: string = process.cwd()): ScanArgs {
  const { values } = parseCommandLine(argv, SCAN_COMMAND_LINE);
  const given = values['fail-under'];
  const failUnder = given?.toUpperCase();
  if (failUnder !== undefined && !(PRIORITIES as readonly string[]).includes(failUnder)) throw usageError(`option --fail-under is "${given}"; valid: A, B or C`);
  return {
    json: values.json === true,
    report: values.report,
    write: values.write,
    failUnder: failUnder as Priority | undefined,
    priorities: values.priorities,
    cwd: path.resolve(cwd, values.cwd ?? '.'),
    help: values.help === true,
  };
}

export async function run(argv: readonly string[]): Promise<number> {
  try {
    const args = parseScanArgs(argv);
    if (args.help) {
      process.stdout.write(`${SCAN_USAGE}\n`);
      return EXIT_OK;
    }
    const result = await scan({ cwd: args.cwd, ...(args.report === undefined ? {} : { report: args.report }), ...(args.priorities === undefined ? {} : { priorities: args.priorities }) });
    process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : formatTable(result));
    // With --json, stdout holds only the JSON: everything else goes to stderr.
    const say = (text: string): void => void (args.json ? process.stderr : process.stdout).write(`${text}\n`);
    if (args.write !== undefined) {
      const dir = path.resolve(args.cwd, args.write);
      const outcomes = writeSkeletons(loadTypeScript(args.cwd), result, dir);
      const written = outcomes.filter((outcome) => outcome.written);
      const kept = outcomes.filter((outcome) => !outcome.written);
      const lines = [`jest-chaos scan --write: ${written.length} skeleton suites written to ${path.relative(args.cwd, dir) || '.'}${kept.length > 0 ? `, ${kept.length} left as they were (the file exists)` : ''}.`];
      for (const outcome of outcomes) lines.push(`  ${outcome.written ? 'wrote' : 'kept '} ${path.relative(args.cwd, outcome.file)}`);
      say(lines.join('\n'));
    }
    if (args.failUnder !== undefined) {
      const limit = PRIORITIES.indexOf(args.failUnder);
      const untested = result.scenarios.filter((scenario) => PRIORITIES.indexOf(scenario.priority) <= limit);
      if (untested.length > 0) {
        const names = untested.slice(0, 5).map((scenario) => `${scenario.priority} ${scenario.rule}`);
        process.stderr.write(
          `jest-chaos: ${untested.length} scenario${untested.length === 1 ? '' : 's'} of priority ${args.failUnder === 'A' ? 'A' : `${args.failUnder} or higher`} untested (--fail-under ${args.failUnder}): ${names.join(', ')}${untested.length > 5 ? ` and ${untested.length - 5} more` : ''}. Add chaos suites for them (jest-chaos scan --write <dir> starts them).\n`,
        );
        return EXIT_UNTESTED;
      }
    }
    return EXIT_OK;
  } catch (error) {
    process.stderr.write(`${isScanError(error) ? error.message : `jest-chaos: scan failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`}\n`);
    return EXIT_USAGE;
  }
}
