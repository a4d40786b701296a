/**
 * Chaos suites do not rot in everyday CI (issue 9, point 8): a plain `npx jest` does not load chaos suites,
 * but it still reads their pragmas, and a broken one fails the run with file:line, whatever CHAOS_TAGS
 * selects. A chaos suite whose pragmas are fine stays unloaded.
 */
import { runJest, statuses, type JestRun } from '../support/run-jest';

jest.setTimeout(60_000);

const FIXTURE = 'pragma-check';

function fileMessage(run: JestRun, name: string): { status: string; message: string } | undefined {
  const file = run.json?.testResults.find((result) => result.name.endsWith(`/${name}`));
  return file === undefined ? undefined : { status: file.status, message: file.message };
}

describe.each([
  ['chaos disabled', {}],
  ['chaos disabled, CHAOS_TAGS selecting only ordinary files', { CHAOS_TAGS: 'smoke' }],
])('%s', (_name, env: Record<string, string>) => {
  let run: JestRun;
  beforeAll(async () => {
    run = await runJest(FIXTURE, [], env);
  });

  test('the run fails, naming each broken pragma with file:line, what is wrong and what is valid', () => {
    expect(run.code).toBe(1);
    expect(fileMessage(run, 'kind-typo.test.js')).toEqual({
      status: 'failed',
      message: expect.stringContaining('jest-chaos: invalid rule "http.timout api.example.com" in kind-typo.test.js:2: unknown http fault "timout". Valid: timeout, hang, refused, reset, dns, status, latency, malformed. Did you mean "timeout"?'),
    });
    expect(fileMessage(run, 'seed.test.js')?.message).toContain('jest-chaos: invalid pragma in seed.test.js:5: @chaos-seed "-1" is negative; a seed is a whole number from 0 to 4294967295.');
  });

  test('a broken suite is checked, not loaded; a fine chaos suite is not loaded at all; ordinary tests run', () => {
    const messages = (run.json?.testResults ?? []).map((file) => file.message).join('\n');
    expect(messages).not.toContain('is checked, never loaded');
    expect(fileMessage(run, 'fine-suite.test.js')).toBeUndefined();
    expect(statuses(run)).toEqual({ everyday: 'passed' });
  });
});
