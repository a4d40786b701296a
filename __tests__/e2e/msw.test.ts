/**
 * jest-chaos next to msw 2 and 3 (`setupServer` from `msw/node`): chaos rules come before msw's handlers
 * (a faulted request never reaches them, an unfaulted one gets msw's answer), msw's
 * `onUnhandledRequest` keeps working, and the loopback guard names msw. Ordinary tests in the same files
 * end as under plain Jest. The fixture's files are ESM (msw's dependencies are ESM only), run in Jest's
 * ESM mode, through fetch, axios and http.get.
 */
import { MAJORS, runJestMajor } from '../support/jest-majors';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JestRun } from '../support/run-jest';

const ESM = { NODE_OPTIONS: '--experimental-vm-modules' };
const CHAOS = { ...ESM, CHAOS_ENABLED: '1', CHAOS_SEED: '7' };

function failures(run: JestRun): string {
  const messages = (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).filter((text) => text !== '');
  return `exit ${String(run.code)}\n${messages.join('\n').slice(0, 6000)}\n${run.stderr.slice(-3000)}`;
}

/** `<file> <full name>` -> status: both fixture files hold tests of the same names. */
function statuses(run: JestRun): Record<string, string> {
  const result: Record<string, string> = {};
  for (const file of run.json?.testResults ?? []) for (const test of file.assertionResults) result[`${path.basename(file.name)} ${test.fullName}`] = test.status;
  return result;
}

/** Ordinary tests only: a chaos test's name holds ` chaos: `. */
function ordinary(run: JestRun): Record<string, string> {
  return Object.fromEntries(Object.entries(statuses(run)).filter(([name]) => !name.includes(' chaos: ')));
}

let plain: JestRun;

beforeAll(async () => {
  plain = await runJestMajor(30, 'msw', [], ESM, { config: 'jest.plain.config.js', loopbackOnly: true });
}, 300_000);

test('under plain Jest, the ordinary tests of the fixture pass (the reference)', () => {
  const tests = ordinary(plain);
  expect(Object.keys(tests).length).toBeGreaterThanOrEqual(10);
  expect(Object.entries(tests).filter(([, status]) => status !== 'passed' && status !== 'pending')).toEqual([]);
  expect(tests['msw3.test.mjs this file runs msw 3']).toBe('passed');
  expect(tests['msw2.test.mjs this file runs msw 2']).toBe('passed');
});

describe.each(MAJORS)('Jest %i', (major) => {
  let run: JestRun;

  beforeAll(async () => {
    run = await runJestMajor(major, 'msw', [], CHAOS, { loopbackOnly: true });
  }, 300_000);

  test('every test passes with chaos on: faults before msw, msw answers the rest, the guard names msw', () => {
    expect(run.code).toBe(0);
    const tests = statuses(run);
    const failed = Object.entries(tests).filter(([, status]) => status === 'failed');
    expect(failed.length === 0 ? '' : failures(run)).toBe('');
    const names = ['a faulted request never reaches msw', 'a refused request never reaches msw', "an unfaulted request gets msw's answer", 'latency delays the request, then msw answers', "an unmocked request fails under msw's onUnhandledRequest: error"];
    for (const file of ['msw2.test.mjs', 'msw3.test.mjs']) {
      for (const client of ['fetch', 'axios', 'http.get']) {
        for (const name of names) expect([`${file} ${client} chaos: ${name}`, tests[`${file} ${client} chaos: ${name}`]]).toEqual([`${file} ${client} chaos: ${name}`, 'passed']);
      }
      expect(tests[`${file} msw letting unhandled requests through chaos: the loopback guard refuses an unmocked host and names msw`]).toBe('passed');
    }
    expect(tests['pragma.test.mjs chaos: a rule of the file pragma answers fetch before msw']).toBe('passed');
    for (const name of ['chaos: the first call gets a 503 before msw sees it', 'chaos: a builder refuses the host', 'msw answers as usual']) expect(tests[`docs-example.test.mjs ${name}`]).toBe('passed');
    expect(tests['pragma.test.mjs chaos: a rule of the file pragma answers axios before msw']).toBe('passed');
  });

  test('ordinary tests end as under plain Jest', () => {
    expect(ordinary(run)).toEqual(ordinary(plain));
  });
});

test('the example of docs/http-faults.md is the fixture file that these runs run', () => {
  const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'http-faults.md'), 'utf8');
  const marker = '<!-- copied from __tests__/e2e/fixtures/msw/docs-example.test.mjs, compared by __tests__/e2e/msw.test.ts -->\n```js\n';
  const at = doc.indexOf(marker);
  expect(at).toBeGreaterThan(-1);
  const block = doc.slice(at + marker.length, doc.indexOf('```\n', at + marker.length));
  expect(block).toBe(readFileSync(path.join(__dirname, 'fixtures', 'msw', 'docs-example.test.mjs'), 'utf8'));
});
