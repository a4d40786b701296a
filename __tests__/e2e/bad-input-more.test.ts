/**
 * The second part of the bad-input corpus (see bad-input-corpus.test.ts for the first): each case runs
 * through a real child Jest and must fail with a `jest-chaos:` message that names the place, says what is
 * valid and suggests the near miss, without a stack of jest-chaos's own code or a raw JavaScript error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES, runJest, statuses, type JestRun } from '../support/run-jest';
import type { FileCase } from './fixtures/corpus/file-cases';
import type { RunCase } from './fixtures/corpus/run-cases';
import { builderCases, envCases, fileCases, goodFiles, storeCases } from './fixtures/bad-input-more/cases';

jest.setTimeout(60_000);

const PRESET = path.resolve(__dirname, '../../jest-preset.js');
const CRASH = [/[\\/]dist[\\/](src|environments)[\\/]/, /\bat (?:new )?(?:FileChaos|ChaosEnvironment|parseRule|parseSuite|RuleBuilder|Parser)\b/, /TypeError:|ReferenceError:|RangeError:|Cannot read properties|Maximum call stack/];

function expectNoCrash(text: string): void {
  for (const pattern of CRASH) expect(text).not.toMatch(pattern);
}

function messageOf(run: JestRun, fileName: string): { status: string; message: string } {
  const result = run.json?.testResults.find((file) => path.basename(file.name) === fileName);
  if (result === undefined) return { status: 'missing', message: '' };
  const failures = result.assertionResults.flatMap((test) => test.failureMessages);
  return { status: result.status, message: [result.message, ...failures].join('\n') };
}

function checkCase(run: JestRun, c: FileCase): void {
  const { status, message } = messageOf(run, c.file);
  expect(status).toBe('failed');
  expect(message).toContain('jest-chaos: ');
  expect(message).toContain(`${c.file}:${c.line}`);
  for (const part of c.expect) expect(message).toContain(part);
  if (c.suggest !== undefined) expect(message).toContain(`Did you mean "${c.suggest}"?`);
  expectNoCrash(message);
}

let project: string;
let fileRun: JestRun;

beforeAll(async () => {
  project = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-corpus-more-'));
  writeFileSync(path.join(project, 'jest.config.js'), `module.exports = { preset: ${JSON.stringify(PRESET)}, rootDir: __dirname, testMatch: ['**/*.test.js'] };\n`);
  for (const [file, source] of Object.entries(goodFiles)) writeFileSync(path.join(project, file), source);
  for (const c of [...fileCases, ...storeCases, ...builderCases]) writeFileSync(path.join(project, c.file), c.source);
  fileRun = await runJest(project, ['--maxWorkers=2'], { CHAOS_ENABLED: '1', CHAOS_SEED: '11' });
});

afterAll(() => {
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

test('every file was run and reported; the files with accepted input pass', () => {
  expect(fileRun.json?.testResults).toHaveLength(fileCases.length + storeCases.length + builderCases.length + Object.keys(goodFiles).length);
  const names = statuses(fileRun);
  expect(names['chaos: p=1e0 is p=1']).toBe('passed');
  expect(names['chaos: the longest delay Node keeps is accepted; p=1e-9999 is 0']).toBe('passed');
});

describe.each([...fileCases, ...storeCases].map((c): [string, FileCase] => [c.file, c]))('%s', (_file, c) => {
  test('fails with place, reason, valid choices', () => checkCase(fileRun, c));
});

describe.each(builderCases.map((c): [string, FileCase] => [c.file, c]))('%s', (_file, c) => {
  test('fails with place, reason, valid choices', () => checkCase(fileRun, c));
});

describe('environment variables', () => {
  let runs: Map<RunCase, JestRun>;

  beforeAll(async () => {
    runs = new Map();
    const queue = [...envCases];
    const worker = async (): Promise<void> => {
      for (let c = queue.shift(); c !== undefined; c = queue.shift()) runs.set(c, await runJest(path.join(FIXTURES, 'bad-input-more', c.fixture), [], c.env));
    };
    await Promise.all([worker(), worker()]);
  });

  test.each(envCases.map((c): [string, RunCase] => [c.name, c]))('%s', (_name, c) => {
    const run = runs.get(c)!;
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code).not.toBe(0);
    expect(output).toContain('jest-chaos: ');
    for (const part of c.expect) expect(output).toContain(part);
    if (c.suggest !== undefined) expect(output).toContain(c.suggest);
    expectNoCrash(output);
    expect(run.json?.numPassedTests ?? 0).toBe(0);
  });
});
