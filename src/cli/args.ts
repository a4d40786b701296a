/**
 * The command lines of `jest-chaos init`, `merge` and `scan`: node:util's parseArgs, with mistakes
 * reported as jest-chaos errors that name the option, list the valid ones and suggest the nearest.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../errors/suggest';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What parseArgs returns for the command line: typed values, positionals and tokens. */
type ParsedCommandLine<T extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: boolean; tokens: true }>>;

export interface CommandLine<T extends OptionsConfig> {
  /** The command as users type it: `jest-chaos init`. */
  readonly command: string;
  readonly options: T;
  /** What each string option takes, as the help shows it: `{ cwd: '<dir>' }`. */
  readonly placeholders: { readonly [K in keyof T]?: string };
  /** Whether the command takes arguments that are not options (merge's report files). */
  readonly positionals: boolean;
  /** The command's own error type, for its exit code. */
  readonly error: (message: string) => Error;
}

/** `--cwd <dir>, --dry-run, --help (-h)`: every option of the command, as the help shows it. */
export function validOptions<T extends OptionsConfig>(line: CommandLine<T>): string {
  return Object.entries(line.options)
    .map(([name, option]) => {
      const placeholder = line.placeholders[name as keyof T];
      return `--${name}${placeholder === undefined ? '' : ` ${placeholder}`}${option.short === undefined ? '' : ` (-${option.short})`}`;
    })
    .join(', ');
}

/** The first mistake in `argv`, as a sentence, or undefined when parseArgs in strict mode accepts it. */
function mistake<T extends OptionsConfig>(argv: readonly string[], line: CommandLine<T>): string | undefined {
  const where = `in the ${line.command} command line`;
  const valid = `Valid options: ${validOptions(line)}.`;
  const { tokens } = parseArgs({ args: [...argv], options: line.options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional' && !line.positionals) return `unexpected argument "${token.value}" ${where}: it takes options only. ${valid}`;
    if (token.kind !== 'option') continue;
    const option = line.options[token.name];
    if (option === undefined) {
      const near = token.rawName.startsWith('--') ? didYouMean(token.rawName, Object.keys(line.options).map((name) => `--${name}`)) : '';
      return `unknown option "${token.rawName}" ${where}. ${valid}${near}`;
    }
    const shown = `--${token.name}`;
    if (option.type === 'boolean' && token.value !== undefined) return `option ${shown} ${where} takes no value, but got "${token.value}". ${valid}`;
    // A value that looks like an option (`--cwd --force`) is the next option, not the value: the value is missing.
    if (option.type === 'string' && (token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('-') && token.value !== '-'))) {
      return `option ${shown} ${where} needs a value: ${shown} ${line.placeholders[token.name as keyof T] ?? '<value>'}.`;
    }
  }
  return undefined;
}

/** parseArgs in strict mode, or the command's error for the first mistake. */
export function parseCommandLine<T extends OptionsConfig>(argv: readonly string[], line: CommandLine<T>): ParsedCommandLine<T> {
  const found = mistake(argv, line);
  if (found !== undefined) throw line.error(`jest-chaos: ${found}`);
  return parseArgs({ args: [...argv], options: line.options, strict: true, allowPositionals: line.positionals, tokens: true });
}
