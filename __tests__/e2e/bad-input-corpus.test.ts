/**
 * The bad-input corpus: malformed pragmas, rules, builder calls, environment variables and options, each
 * run through a real child Jest the way a user meets them. Every case must fail the run with a
 * `jest-chaos:` message that names the place, says what is valid, suggests the near miss, and shows no
 * stack of jest-chaos's own code; the good files of the same run must still run.
 *
 * File cases are written from the table into one temporary project and run in a single child Jest;
 * environment and option cases need a process each and run two at a time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES, runJest, statuses, type JestRun } from '../support/run-jest';
import { cases as fileCases, type FileCase } from './fixtures/corpus/file-cases';
import { envCases, optionCases, type RunCase } from './fixtures/corpus/run-cases';

jest.setTimeout(60000);

const PRESET = path.resolve(__dirname, '../../jest-preset.js');
const GOOD_FILES = ['good-a.test.js', 'good-b.test.js'];

/** Signs that an error escaped as a crash: a stack through jest-chaos's own files, or a raw JS error. */
const CRASH = [/[\\/]dist[\\/](src|environments)[\\/]/, /\bat (?:new )?(?:FileChaos|ChaosEnvironment|parseRule|parseSuite|RuleBuilder)\b/, /TypeError:|ReferenceError:|Cannot read properties/];

function expectNoCrash(text: string): void {
  for (const pattern of CRASH) expect(text).not.toMatch(pattern);
}

/** The single message for one case: the test file's own failure text. */
function messageOf(run: JestRun, fileName: string): { status: string; message: string } {
  const result = run.json?.testResults.find((file) => path.basename(file.name) === fileName);
  if (result === undefined) return { status: 'missing', message: '' };
  const failures = result.assertionResults.flatMap((test) => test.failureMessages);
  return { status: result.status, message: [result.message, ...failures].join('\n') };
}

let project: string;
let fileRun: JestRun;

beforeAll(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-corpus-'));
  // The project lives outside this repository, where Jest cannot resolve the preset's bare 'ts-jest': name it by path.
  const transform = { '^.+\\.[cm]?tsx?$': require.resolve('ts-jest') };
  writeFileSync(
    path.join(project, 'jest.config.js'),
    `module.exports = { preset: ${JSON.stringify(PRESET)}, rootDir: __dirname, testMatch: ['**/*.test.js'], transform: ${JSON.stringify(transform)} };\n`,
  );
  for (const good of GOOD_FILES) writeFileSync(path.join(project, good), `test('${good} runs', () => { expect(1 + 1).toBe(2); });\n`);
  for (const c of fileCases) writeFileSync(path.join(project, c.file), c.source);
  fileRun = await runJest(project, ['--maxWorkers=2'], { CHAOS_ENABLED: '1', CHAOS_SEED: '11' });
});

afterAll(() => {
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

test('the corpus has at least 50 file cases with unique files', () => {
  expect(fileCases.length).toBeGreaterThanOrEqual(50);
  expect(new Set(fileCases.map((c) => c.file)).size).toBe(fileCases.length);
});

test('the file batch fails as a whole, but every file was run and reported, good files included', () => {
  expect(fileRun.code).toBe(1);
  expect(fileRun.json?.testResults).toHaveLength(fileCases.length + GOOD_FILES.length);
  const names = statuses(fileRun);
  for (const good of GOOD_FILES) expect(names[`${good} runs`]).toBe('passed');
});

describe.each(fileCases.map((c): [string, FileCase] => [c.file, c]))('%s', (_file, c) => {
  test(`fails with place, reason, valid choices${c.suggest === undefined ? '' : ' and a suggestion'}`, () => {
    const { status, message } = messageOf(fileRun, c.file);
    expect(status).toBe('failed');
    expect(message).toContain('jest-chaos: ');
    expect(message).toContain(`${c.file}:${c.line}`);
    // Each case lists the reason and what is valid (or what to do).
    for (const part of c.expect) expect(message).toContain(part);
    if (c.suggest !== undefined) expect(message).toContain(`Did you mean "${c.suggest}"?`);
    expectNoCrash(message);
  });
});

/** Runs the cases two at a time (the machine has two cores; each run is one short Jest process). */
async function runAll(list: readonly RunCase[]): Promise<Map<RunCase, JestRun>> {
  const results = new Map<RunCase, JestRun>();
  const queue = [...list];
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      results.set(c, await runJest(path.join(FIXTURES, 'corpus', c.fixture), [], { CHAOS_ENABLED: '1', CHAOS_SEED: '11', ...c.env }));
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

describe('environment variables and environment options', () => {
  const all = [...envCases, ...optionCases];
  let runs: Map<RunCase, JestRun>;

  beforeAll(async () => {
    runs = await runAll(all);
  });

  test('the corpus covers every variable', () => {
    for (const variable of ['CHAOS_ENABLED', 'CHAOS_SEED', 'CHAOS_TAGS']) expect(envCases.some((c) => variable in c.env)).toBe(true);
  });

  test.each(all.map((c): [string, RunCase] => [c.name, c]))('%s', (_name, c) => {
    const run = runs.get(c)!;
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code).not.toBe(0);
    expect(output).toContain('jest-chaos: ');
    for (const part of c.expect) expect(output).toContain(part);
    if (c.suggest !== undefined) expect(output).toContain(c.suggest);
    expectNoCrash(output);
    // Bad settings stop the run before any test: nothing passes on a misread setting.
    expect(run.json?.numPassedTests ?? 0).toBe(0);
  });
});
