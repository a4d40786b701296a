/**
 * `npx jest-chaos check`: everyday CI never runs chaos suites, so it compiles them with the project's own
 * Jest transform (ts-jest type errors included) and checks their pragmas, without running a test.
 */
import path from 'node:path';
import { FIXTURES } from '../support/run-jest';
import { runProcess, withoutRunVariables } from '../support/run-process';

jest.setTimeout(120_000);

const CLI = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

function check(fixture: string, args: readonly string[] = []) {
  return runProcess(process.execPath, [CLI, 'check', ...args], { cwd: path.join(FIXTURES, 'check', fixture), env: withoutRunVariables({ FORCE_COLOR: '0' }) });
}

test('a chaos suite with a type error and one with a broken pragma fail the check, each named with what is wrong', async () => {
  const run = await check('ts');
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('jest-chaos check: 2 chaos suites checked, 2 with errors.\n');
  expect(run.stderr).toContain("jest-chaos: broken-chaos.test.ts does not compile with the project's Jest transform:\nbroken-chaos.test.ts:9:32 - error TS2322: Type 'string' is not assignable to type 'number'.");
  expect(run.stderr).toContain('jest-chaos: invalid rule "http.timout api.example.com" in bad-pragma.test.ts:2: unknown http fault "timout".');
  // Ordinary suites are not its business, and nothing ran.
  expect(run.stderr).not.toContain('everyday');
  expect(run.output).not.toMatch(/Tests:|PASS|FAIL/);
});

test('a project whose chaos suites compile passes the check', async () => {
  const run = await check('clean');
  expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: 'jest-chaos check: 1 chaos suite checked, 0 with errors.\n', stderr: '' });
});

test('a mistake on the command line: exit code 2, the valid options and a did-you-mean; nothing is checked', async () => {
  const valid = 'Valid options: --cwd <dir>, --config <file>, --help (-h).';
  const help = 'Run `jest-chaos check --help` for what they do.\n';
  const typo = await check('clean', ['--confg', 'jest.config.js']);
  expect({ code: typo.code, stdout: typo.stdout, stderr: typo.stderr }).toEqual({
    code: 2,
    stdout: '',
    stderr: `jest-chaos: unknown option "--confg" in the jest-chaos check command line. ${valid} Did you mean "--config"? ${help}`,
  });
  const stray = await check('clean', ['src']);
  expect({ code: stray.code, stderr: stray.stderr }).toEqual({ code: 2, stderr: `jest-chaos: unexpected argument "src" in the jest-chaos check command line: it takes options only. ${valid} ${help}` });
  const missing = await check('clean', ['--cwd']);
  expect({ code: missing.code, stderr: missing.stderr }).toEqual({ code: 2, stderr: `jest-chaos: option --cwd in the jest-chaos check command line needs a value: --cwd <dir>. ${help}` });
});
