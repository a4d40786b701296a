/**
 * One situation, one error: a chaos test's request that nothing answers and the loopback guard forbids
 * fails with ERR_CHAOS_NET_CONNECT, whether its host was mocked with nock by an earlier test (nock's
 * ERR_NOCK_NO_MATCH becomes the cause), never mocked, or refused by nock.disableNetConnect(); the report
 * lists each as refused. Ordinary tests keep nock's own errors, as in plain Jest; a loopback host keeps
 * nock's error, as the guard lets loopback through. The fixture's tests assert what each request gets;
 * this test runs them on Jest 29 and 30, in a loopback-only network namespace.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, runJest, statuses } from '../support/run-jest';
import { MAJORS, runJestMajor } from '../support/jest-majors';

jest.setTimeout(240_000);

const FIXTURE = path.join(FIXTURES, 'one-error');

const CHAOS_TESTS = [
  'chaos: fetch: another path of a host with a pending scope',
  'chaos: axios: another path of a host with a pending scope',
  'chaos: http.get: another path of a host with a pending scope',
  'chaos: fetch: another path of a host whose scope was used up',
  'chaos: fetch: a host never mocked',
  "chaos: fetch: a loopback host with a pending scope keeps nock's error: the guard lets loopback through",
  'chaos: fetch: a host never mocked, net connect disabled',
];

const ORDINARY_TESTS = [
  'ordinary: a scope for api.example.com left pending',
  'ordinary: a scope for consumed.example.com used up',
  "ordinary: another path of a host with a pending scope gets nock's error, as in plain Jest",
  'ordinary: a host never mocked, net connect disabled',
];

/** Each request the guard refused, by test, from the run's chaos-report.json. */
function refusedByTest(): Record<string, readonly string[]> {
  const report = JSON.parse(readFileSync(path.join(FIXTURE, 'chaos-report.json'), 'utf8')) as { tests: { fullName: string; refused?: string[] }[] };
  return Object.fromEntries(report.tests.filter((test) => (test.refused ?? []).length > 0).map((test) => [test.fullName, test.refused ?? []]));
}

describe.each(MAJORS)('Jest %i, chaos on', (major) => {
  test('every request gets the one error its situation calls for, and the guard lists what it refused', async () => {
    const run = await runJestMajor(major, FIXTURE, [], { CHAOS_ENABLED: '1' }, { loopbackOnly: true });
    const expected = Object.fromEntries([...CHAOS_TESTS, ...ORDINARY_TESTS].map((name) => [name, 'passed']));
    expect(statuses(run)).toEqual(expected);
    expect(run.code).toBe(0);
    expect(refusedByTest()).toEqual({
      'chaos: fetch: another path of a host with a pending scope': ['GET http://api.example.com/other'],
      'chaos: axios: another path of a host with a pending scope': ['GET http://api.example.com/other'],
      'chaos: http.get: another path of a host with a pending scope': ['GET http://api.example.com/other'],
      'chaos: fetch: another path of a host whose scope was used up': ['GET http://consumed.example.com/again'],
      'chaos: fetch: a host never mocked': ['GET http://never.example.com/other'],
      'chaos: fetch: a host never mocked, net connect disabled': ['GET http://never.example.com/other'],
    });
  });
});

test('chaos off: the ordinary tests pass as in plain Jest, the chaos tests are skipped', async () => {
  const run = await runJest(FIXTURE, [], {}, { loopbackOnly: true });
  const expected = Object.fromEntries([...CHAOS_TESTS.map((name) => [name, 'pending']), ...ORDINARY_TESTS.map((name) => [name, 'passed'])]);
  expect(statuses(run)).toEqual(expected);
});
