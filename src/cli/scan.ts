/** `npx jest-chaos scan`: finds the failure scenarios of a project and which ones its chaos suites exercise (docs/scan.md). */
import path from 'node:path';
import { closest } from '../errors/suggest';
import { scan } from '../scan/analyse';
import { PRIORITIES, type Priority } from '../scan/priorities';
import { isScanError, ScanError } from '../scan/scan-error';
import { writeSkeletons } from '../scan/skeletons';
import { formatTable } from '../scan/table';
import { loadTypeScript } from '../scan/typescript';

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

export const SCAN_OPTIONS = ['--json', '--report', '--write', '--fail-under', '--priorities', '--cwd', '--help', '-h'] as const;

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

export function parseScanArgs(argv: readonly string[], cwd: string = process.cwd()): ScanArgs {
  let json = false;
  let report: string | undefined;
  let write: string | undefined;
  let failUnder: Priority | undefined;
  let priorities: string | undefined;
  let dir = cwd;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (what: string): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '' || (inline === undefined && next.startsWith('--'))) throw usageError(`option ${flag} needs ${what}`);
      return next;
    };
    switch (flag) {
      case '--json':
        json = true;
        break;
      case '--report':
        report = value('a chaos-report.json file');
        break;
      case '--write':
        write = value('a directory');
        break;
      case '--fail-under': {
        const given = value('a priority: A, B or C');
        const upper = given.toUpperCase();
        if (!(PRIORITIES as readonly string[]).includes(upper)) throw usageError(`option --fail-under is "${given}"; valid: A, B or C`);
        failUnder = upper as Priority;
        break;
      }
      case '--priorities':
        priorities = value('a JSON file');
        break;
      case '--cwd':
        dir = path.resolve(cwd, value('a directory'));
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default: {
        const near = closest(flag, SCAN_OPTIONS.filter((option) => option.startsWith('--')));
        throw usageError(`unknown ${arg.startsWith('-') ? 'option' : 'argument'} "${arg}"${near === undefined ? '' : ` (did you mean ${near}?)`}`);
      }
    }
  }
  return { json, report, write, failUnder, priorities, cwd: dir, help };
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
