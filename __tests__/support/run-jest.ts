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

/** Runs a real child `jest --ci` in a fixture project; `json` asks for `--json`. */
export async function runJest(fixture: string, args: readonly string[] = [], env: Record<string, string | undefined> = {}, options: { json?: boolean } = {}): Promise<JestRun> {
  const cwd = path.isAbsolute(fixture) ? fixture : path.join(FIXTURES, fixture);
  const json = options.json ?? true;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', CHAOS_ENABLED: undefined, CHAOS_SEED: undefined, CHAOS_TAGS: undefined, JEST_CHAOS_DRAWN_SEED: undefined, JEST_CHAOS_RECORDS_DIR: undefined, JEST_WORKER_ID: undefined, GITHUB_STEP_SUMMARY: undefined };
  for (const [key, value] of Object.entries(env)) childEnv[key] = value;
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const { code, stdout, stderr } = await runProcess(process.execPath, [JEST_BIN, '--ci', ...(json ? ['--json'] : []), ...args], { cwd, env: childEnv });
  let parsed: JestJson | undefined;
  const start = json ? stdout.indexOf('{') : -1;
  if (start !== -1) {
    try {
      parsed = JSON.parse(stdout.slice(start)) as JestJson;
    } catch {
      parsed = undefined;
    }
  }
  return { code, stdout, stderr, json: parsed };
}

/** Test name -> status, over every file of a run. */
export function statuses(run: JestRun): Record<string, string> {
  const result: Record<string, string> = {};
  for (const file of run.json?.testResults ?? []) for (const test of file.assertionResults) result[test.fullName] = test.status;
  return result;
}
