/**
 * Strict mode: a chaos test whose rule matched no call, or whose request the loopback guard refused,
 * tested nothing. Without CHAOS_STRICT it passes; with it, it fails naming the rule or the request.
 * The fixture's refused request runs in a loopback-only network namespace: nothing can leave.
 */
import { runJest, statuses } from '../support/run-jest';

jest.setTimeout(120_000);

const NAMES = {
  unmatched: 'chaos: calls a host that no rule names',
  refused: 'chaos: falls back when a request nobody mocked is refused',
  notDrawn: 'chaos: a rule that matched and whose draw said no is not unmatched',
};

function messages(run: Awaited<ReturnType<typeof runJest>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const file of run.json?.testResults ?? []) for (const test of file.assertionResults) result[test.fullName] = test.failureMessages.join('\n');
  return result;
}

test('without CHAOS_STRICT the tests pass', async () => {
  const run = await runJest('strict', [], { CHAOS_ENABLED: '1' }, { loopbackOnly: true });
  expect(statuses(run)).toEqual({ [NAMES.unmatched]: 'passed', [NAMES.refused]: 'passed', [NAMES.notDrawn]: 'passed' });
});

test('CHAOS_STRICT=1 fails the tests that tested nothing, naming the rule or the request', async () => {
  const run = await runJest('strict', [], { CHAOS_ENABLED: '1', CHAOS_STRICT: '1' }, { loopbackOnly: true });
  expect(statuses(run)).toEqual({ [NAMES.unmatched]: 'failed', [NAMES.refused]: 'failed', [NAMES.notDrawn]: 'passed' });
  const text = messages(run);
  expect(text[NAMES.unmatched]).toContain('jest-chaos: strict mode: rule "http.timeout other.example.com" (unmatched.test.js:2) matched no call in this test, so it tested nothing.');
  expect(text[NAMES.refused]).toContain('jest-chaos: strict mode: the loopback guard refused GET http://unmocked.example.com/profile in this test (ERR_CHAOS_NET_CONNECT), and the test went on.');
  expect(run.code).toBe(1);
});
