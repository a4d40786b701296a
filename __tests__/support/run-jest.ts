import path from 'node:path';
import { runProcess } from './run-process';

const JEST_BIN = require.resolve('jest/bin/jest');
export const FIXTURES = path.join(__dirname, '..', 'e2e', 'fixtures');

export interface JestRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Jest's `--json` result, when it printed one. */
  readonly json: JestJson | undefined;
}

export interface JestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTestSuites: number;
  testResults: { name: string; status: string; message: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

/**
 * The command line that runs `command` in a network namespace of its own with only loopback up: what it
 * sends cannot leave the machine, whatever jest-chaos's guard does (root is needed, as in CI).
 */
export function loopbackOnly(command: string, args: readonly string[]): [string, string[]] {
  return ['unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', command, ...args]];
}

/**
 * Runs a real child `jest --ci` in a fixture project; `json` asks for `--json`; `loopbackOnly` runs it in
 * a loopback-only network namespace (for fixtures whose requests the guard must refuse).
 */
export async function runJest(fixture: string, args: readonly string[] = [], env: Record<string, string | undefined> = {}, options: { json?: boolean; loopbackOnly?: boolean } = {}): Promise<JestRun> {
  const cwd = path.isAbsolute(fixture) ? fixture : path.join(FIXTURES, fixture);
  const json = options.json ?? true;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', CHAOS_ENABLED: undefined, CHAOS_SEED: undefined, CHAOS_TAGS: undefined, JEST_CHAOS_DRAWN_SEED: undefined, JEST_CHAOS_RECORDS_DIR: undefined, JEST_WORKER_ID: undefined, GITHUB_STEP_SUMMARY: undefined };
  for (const [key, value] of Object.entries(env)) childEnv[key] = value;
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const jestArgs = [JEST_BIN, '--ci', ...(json ? ['--json'] : []), ...args];
  const [command, commandArgs] = options.loopbackOnly === true ? loopbackOnly(process.execPath, jestArgs) : [process.execPath, jestArgs];
  const { code, stdout, stderr } = await runProcess(command, commandArgs, { cwd, env: childEnv });
  return { code, stdout, stderr, json: json ? parseJestJson(stdout) : undefined };
}

/** Jest's `--json` result in what it printed, when it printed one. */
export function parseJestJson(stdout: string): JestJson | undefined {
  const start = stdout.indexOf('{');
  if (start === -1) return undefined;
  try {
    return JSON.parse(stdout.slice(start)) as JestJson;
  } catch {
    return undefined;
  }
}

/** Test name -> status, over every file of a run. */
export function statuses(run: JestRun): Record<string, string> {
  const result: Record<string, string> = {};
  for (const file of run.json?.testResults ?? []) for (const test of file.assertionResults) result[test.fullName] = test.status;
  return result;
}
