/**
 * A run that asks for chaos tests turns chaos on (issue 9, point 5): `jest -t chaos` and
 * `CHAOS_TAGS=chaos` run the chaos tests when CHAOS_ENABLED is unset, say why on their first line, and
 * are an error naming the conflict when CHAOS_ENABLED=0 is set. Each run gets a fresh cache folder and
 * two workers, so that the chaos tests run in worker processes: they see the runner's decision.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runJestMajor, type JestMajor } from '../support/jest-majors';
import { statuses, type JestRun } from '../support/run-jest';

jest.setTimeout(120_000);

const FIXTURE = 'implied-enable';
const CHAOS_TESTS = ['chaos: inline refused', 'chaos: refused upstream'];

const caches: string[] = [];
afterAll(() => {
  for (const dir of caches) rmSync(dir, { recursive: true, force: true });
});

async function run(major: JestMajor, args: readonly string[], env: Record<string, string> = {}): Promise<JestRun> {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-implied-'));
  caches.push(cache);
  return runJestMajor(major, FIXTURE, ['--maxWorkers=2', `--cacheDirectory=${cache}`, ...args], env);
}

function passed(result: JestRun): string[] {
  return Object.entries(statuses(result))
    .filter(([, status]) => status === 'passed')
    .map(([name]) => name)
    .sort();
}

function firstLine(result: JestRun): string {
  return result.stderr.split('\n')[0] ?? '';
}

describe.each([30, 29] as const)('Jest %i', (major) => {
  test('-t chaos with CHAOS_ENABLED unset runs the chaos tests and says why on its first line', async () => {
    const result = await run(major, ['-t', 'chaos']);
    expect([result.code, passed(result)]).toEqual([0, CHAOS_TESTS]);
    expect(firstLine(result)).toBe('jest-chaos: chaos enabled for this run because --testNamePattern "chaos" asks for chaos tests and CHAOS_ENABLED is unset.');
    expect(result.stderr).toMatch(/jest-chaos: chaos enabled with base seed \d+ \(drawn\)/);
  });

  test('--testNamePattern=^chaos: and CHAOS_TAGS=chaos ask for chaos tests too', async () => {
    const byPattern = await run(major, ['--testNamePattern=^chaos: ']);
    expect([byPattern.code, passed(byPattern)]).toEqual([0, CHAOS_TESTS]);
    const byTags = await run(major, [], { CHAOS_TAGS: 'chaos and not smoke' });
    expect([byTags.code, passed(byTags)]).toEqual([0, CHAOS_TESTS]);
    expect(firstLine(byTags)).toBe('jest-chaos: chaos enabled for this run because CHAOS_TAGS="chaos and not smoke" asks for chaos tests and CHAOS_ENABLED is unset.');
  });

  test('CHAOS_ENABLED=0 with -t chaos is an error that names the conflict; no test runs', async () => {
    const result = await run(major, ['-t', 'chaos'], { CHAOS_ENABLED: '0' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'jest-chaos: conflicting settings in the environment: CHAOS_ENABLED=0 turns chaos off, but --testNamePattern "chaos" asks for chaos tests (it matches the "chaos: " prefix of their names), which would all be skipped. Unset CHAOS_ENABLED or set it to 1 to run them, or change the pattern.',
    );
    expect(result.json?.numPassedTests ?? 0).toBe(0);
  });
});

test('CHAOS_ENABLED=off with CHAOS_TAGS=chaos is an error that names the conflict', async () => {
  const result = await run(30, [], { CHAOS_ENABLED: 'off', CHAOS_TAGS: 'chaos' });
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain(
    'jest-chaos: conflicting settings in the environment: CHAOS_ENABLED=off turns chaos off, but CHAOS_TAGS="chaos" asks for chaos tests (no test without the tag "chaos" matches it), which would all be skipped. Unset CHAOS_ENABLED or set it to 1 to run them, or change CHAOS_TAGS.',
  );
  expect(result.json?.numPassedTests ?? 0).toBe(0);
});

test('a pattern or an expression that does not ask for chaos tests leaves chaos off, and says nothing about it', async () => {
  const byPattern = await run(30, ['-t', 'plain']);
  expect([byPattern.code, passed(byPattern)]).toEqual([0, ['plain']]);
  expect(byPattern.stderr).not.toContain('chaos enabled');
  const everything = await run(30, ['-t', '.*']);
  expect(statuses(everything)['chaos: inline refused']).toBe('pending');
  expect(everything.stderr).not.toContain('chaos enabled');
  const byTags = await run(30, [], { CHAOS_TAGS: 'chaos or smoke' });
  expect([byTags.code, passed(byTags)]).toEqual([0, ['plain']]);
  expect(byTags.stderr).not.toContain('chaos enabled');
});

test('--listTests -t chaos lists the chaos suites that the run would load', async () => {
  const result = await run(30, ['--listTests', '-t', 'chaos']);
  expect(result.stdout).toContain('chaos-suite.test.js');
});
