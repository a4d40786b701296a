import path from 'node:path';
import { parseArgs } from 'node:util';

/** Where the run's `--config` goes to the workers, for the replay commands they print. */
export const CONFIG_ARGUMENT_VARIABLE = 'JEST_CHAOS_CONFIG_ARGUMENT';

/** Whether `script` is Jest's command line (`jest`, `jest.js` of jest or jest-cli), not a program that runs Jest through its API. */
function isJestCommand(script: string | undefined): boolean {
  if (script === undefined) return false;
  const base = path.basename(script);
  return base === 'jest' || (base === 'jest.js' && /[\\/](?:jest|jest-cli)[\\/]bin[\\/]jest\.js$/.test(script));
}

/**
 * The `--config` (`-c`) that the `jest` command of this process was given, as written, or undefined: a
 * replay command must name it, or it would run the project's default config instead. Only the value is
 * read; every other option of Jest's is left to Jest.
 */
export function configArgument(argv: readonly string[] = process.argv): string | undefined {
  if (!isJestCommand(argv[1])) return undefined;
  const { tokens } = parseArgs({ args: argv.slice(2), options: { config: { type: 'string', short: 'c' } }, strict: false, allowPositionals: true, tokens: true });
  let config: string | undefined;
  for (const token of tokens) if (token.kind === 'option' && token.name === 'config' && typeof token.value === 'string') config = token.value;
  return config;
}
