/**
 * The check behind `<!-- checked: commands -->`: each command line of a shell block goes through what
 * would parse it for real. `npx jest` arguments through Jest's own CLI parser, the CHAOS_* variables through
 * jest-chaos's settings, `npx jest-chaos <command>` through the command's parser (with --help, so that it
 * parses and stops), `npm run`/`npm test` against the scripts of package.json, `npm i` against the packages
 * this repository tests with, `node <file>` against the file and the options it reads, `cd` against the tree.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildArgv } from 'jest-cli';
import { main } from '../../src/cli/main';
import { readSettings } from '../../src/settings/env';
import { parseRuns } from '../../src/runtime/runs';
import { TEST_NAME_PATTERN_VARIABLE } from '../../src/selection/chaos-request';
import { REPO } from './doc-blocks';

/** The variables jest-chaos reads (docs/selection-and-tags.md, docs/seeds-and-replay.md). */
const CHAOS_VARIABLES = ['CHAOS_ENABLED', 'CHAOS_SEED', 'CHAOS_TAGS', 'CHAOS_STRICT', 'CHAOS_RUNS'];

/** Splits one line as sh does, for the subset docs use: quotes, `\` escapes, `#` comments, `&&`, `|`, `;`, `>`. */
export function shellWords(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | undefined;
  const end = (): void => {
    if (word !== undefined) commands[commands.length - 1]!.push(word);
    word = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === "'" || char === '"') {
      const close = line.indexOf(char, i + 1);
      if (close === -1) throw new Error(`unclosed ${char} quote`);
      word = (word ?? '') + line.slice(i + 1, close);
      i = close;
    } else if (char === '\\') {
      word = (word ?? '') + (line[++i] ?? '');
    } else if (/\s/.test(char)) {
      end();
    } else if (char === '#' && word === undefined) {
      break;
    } else if (char === '&' || char === '|' || char === ';') {
      end();
      if (line[i + 1] === char) i++;
      commands.push([]);
    } else if (char === '>') {
      // A redirection: the file name that follows is not an argument.
      end();
      const rest = /^>?\s*\S+/.exec(line.slice(i + 1));
      i += rest?.[0].length ?? 0;
    } else {
      word = (word ?? '') + char;
    }
  }
  end();
  return commands.filter((command) => command.length > 0);
}

/** `--name=value` as two words, so that a misspelt name is not hidden behind its value (Jest only checks bare names). */
const splitInline = (args: readonly string[]): string[] => args.flatMap((arg) => (/^--[^=]+=/.test(arg) ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg]));

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error)).trim();

async function checkJest(args: readonly string[], env: Record<string, string>): Promise<string | undefined> {
  let pattern: string | undefined;
  try {
    const argv = await buildArgv(splitInline(args));
    pattern = argv.testNamePattern;
  } catch (error) {
    return message(error);
  }
  try {
    readSettings({ ...env, ...(pattern === undefined ? {} : { [TEST_NAME_PATTERN_VARIABLE]: pattern }) });
    parseRuns(env.CHAOS_RUNS);
  } catch (error) {
    return message(error);
  }
  return undefined;
}

/** `jest-chaos <command> ...args --help`: the command's parser reads the arguments and the help stops it there. */
async function checkCli(args: readonly string[]): Promise<string | undefined> {
  const write = process.stdout.write;
  const writeError = process.stderr.write;
  let printed = '';
  process.stdout.write = process.stderr.write = ((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await main([...args, '--help']);
    return code === 0 ? undefined : `exit code ${code}: ${printed.trim()}`;
  } catch (error) {
    return message(error);
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeError;
  }
}

function packageJson(dir: string): { name?: string; scripts?: Record<string, string>; devDependencies?: Record<string, string>; peerDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as ReturnType<typeof packageJson>;
}

/** What is wrong with one command run in `cwd`, or undefined; `cd` moves `state.cwd`. */
async function checkCommand(words: readonly string[], state: { cwd: string }): Promise<string | undefined> {
  const env: Record<string, string> = {};
  let at = 0;
  for (; at < words.length && /^[A-Z_][A-Z0-9_]*=/.test(words[at]!); at++) {
    const word = words[at]!;
    env[word.slice(0, word.indexOf('='))] = word.slice(word.indexOf('=') + 1);
  }
  const unknown = Object.keys(env).filter((name) => name.startsWith('CHAOS_') && !CHAOS_VARIABLES.includes(name));
  if (unknown.length > 0) return `unknown variable ${unknown.join(', ')}; jest-chaos reads ${CHAOS_VARIABLES.join(', ')}`;
  const [command, ...args] = words.slice(at);
  const where = path.relative(REPO, state.cwd) || '.';
  if (command === 'cd' && args.length === 1) {
    const dir = path.resolve(state.cwd, args[0]!);
    if (!existsSync(dir)) return `cd ${args[0]}: no such directory in the repository`;
    state.cwd = dir;
    return undefined;
  }
  if (command === 'npx' && args[0] === 'jest') return checkJest(args.slice(1), env);
  if (command === 'npx' && args[0] === 'jest-chaos') return checkCli(args.slice(1));
  if (command === 'npm' && args.length === 1 && args[0] === 'ci') return existsSync(path.join(state.cwd, 'package-lock.json')) ? undefined : `npm ci: ${where} has no package-lock.json`;
  if (command === 'npm' && (args[0] === 'test' || args[0] === 'run')) {
    const script = args[0] === 'test' ? 'test' : args[1];
    const scripts = packageJson(state.cwd).scripts ?? {};
    const body = script === undefined ? undefined : scripts[script];
    if (body === undefined) return `npm ${args.join(' ')}: ${where}/package.json has no script "${script}" (scripts: ${Object.keys(scripts).join(', ')})`;
    // Arguments after `--` go to the script: to a `node <file>` script, as to that command.
    const passed = args.indexOf('--') === -1 ? [] : args.slice(args.indexOf('--') + 1);
    const node = /^node (\S+)$/.exec(body);
    if (passed.length > 0 && node === null) return `npm ${args.join(' ')}: the script "${script}" (${body}) is not a node script whose options this check can read`;
    return node === null ? undefined : checkCommand(['node', node[1]!, ...passed], state);
  }
  if (command === 'npm' && (args[0] === 'i' || args[0] === 'install') && args[1] === '-D') {
    const own = packageJson(REPO);
    const tested = [own.name, ...Object.keys(own.devDependencies ?? {}), ...Object.keys(own.peerDependencies ?? {})];
    const strangers = args.slice(2).filter((name) => !tested.includes(name));
    return strangers.length === 0 ? undefined : `npm ${args.join(' ')}: ${strangers.join(', ')} is neither jest-chaos nor a package this repository tests with`;
  }
  if (command === 'node' && args[0] !== undefined) {
    const file = path.join(state.cwd, args[0]);
    if (!existsSync(file)) return `node ${args[0]}: no such file in ${where}`;
    const source = readFileSync(file, 'utf8');
    const unread = args.slice(1).filter((arg) => arg.startsWith('-') && !source.includes(`'${arg}'`));
    return unread.length === 0 ? undefined : `node ${args[0]}: the script reads no option ${unread.join(', ')}`;
  }
  return `"${words.join(' ')}" is no command this check knows: npm ci, npm test, npm run <script>, npm i -D <packages>, npx jest, npx jest-chaos, node <file>, cd <dir>`;
}

/** The problems of a commands block, each as `line <n>: <what>` (n counted from the block's first line). */
export async function checkCommands(text: string): Promise<string[]> {
  const state = { cwd: REPO };
  const problems: string[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    let commands: string[][];
    try {
      commands = shellWords(lines[n]!);
    } catch (error) {
      problems.push(`line ${n + 1}: ${message(error)}`);
      continue;
    }
    for (const words of commands) {
      const problem = await checkCommand(words, state);
      if (problem !== undefined) problems.push(`line ${n + 1}: ${problem}`);
    }
  }
  return problems;
}
