/**
 * How a faulted seam reports failure, reached as a user reaches it: a fixture project with the preset whose
 * tests register seams (chaos.register) and stub methods (chaos.stub) of every style, under every supported
 * Jest major. The contract's synchronous seam throws and its caller falls back to the replica; async seams
 * reject; declared callback seams call back; latency keeps each shape; a delay that outlasts its test never
 * settles; an unobserved rejection fails its own test; mistakes name the file and line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { jest29Home, MAJORS, runJestMajor } from '../support/jest-majors';
import { FIXTURES, statuses, type JestRun } from '../support/run-jest';

jest.setTimeout(120_000);

const FIXTURE = path.join(FIXTURES, 'seams');

const EXPECTED: Record<string, 'passed' | 'failed'> = {
  // sync-seam.test.js: the contract's example, registered without a style.
  'chaos: db.down: the call throws, the replica serves': 'passed',
  'chaos: db.lost, db.error: thrown with their codes': 'passed',
  'chaos: db.timeout ms=40: the call blocks, then throws': 'passed',
  'chaos: db.latency ms=40: the call blocks, then returns, still synchronously': 'passed',
  'chaos: refused: a latency longer than a synchronous call may block': 'failed',
  'after the chaos tests the method is the original again': 'passed',
  // async-seam.test.js
  'chaos: an async seam rejects; its promise can be awaited later in the test': 'passed',
  "chaos: style: 'promise' on a method that returns a promise": 'passed',
  'chaos: a latency keeps a promise a promise': 'passed',
  "chaos: transaction(fn) under 'auto' is a promise, not a callback: fn is never called with the error": 'passed',
  "chaos: each(rows, fn) under 'auto' is a plain function: it throws, fn is never called": 'passed',
  'chaos: failing: a rejection that nothing observes fails its own test': 'failed',
  'chaos: after it: the next test is unaffected': 'passed',
  'chaos: failing: an unobserved rejection made as a synchronous test body returns': 'failed',
  // callback-seam.test.js
  'chaos: the error goes to the callback, after the call returned': 'passed',
  'chaos: a latency calls back with the real value': 'passed',
  'chaos: a call without a callback gets a rejected promise': 'passed',
  'chaos: a timeout that outlasts its test never calls back': 'passed',
  'chaos: later: the callback of the timed-out call was never called': 'passed',
  // stub-style.test.js
  'chaos: a synchronous method throws under the default style': 'passed',
  "chaos: { style: 'promise' } for a method that returns a promise without async": 'passed',
  "chaos: { style: 'callback' } hands the error to the callback": 'passed',
  "chaos: { style: 'sync' } with a short latency blocks and returns": 'passed',
  'chaos: a fire-and-forget call whose timeout outlasts the test': 'passed',
  'chaos: the next test outlives that timeout untouched': 'passed',
  'chaos: failing: an unobserved rejection of a stub fails its own test': 'failed',
  'mistakes are reported at the call chaos: an unknown style, with a did-you-mean': 'passed',
  'mistakes are reported at the call chaos: an unknown option, with a did-you-mean': 'passed',
  'mistakes are reported at the call chaos: a latency too long for a synchronous method': 'passed',
  'mistakes are reported at the call chaos: a frozen object': 'passed',
  'mistakes are reported at the call chaos: a frozen instance of a class: fault the prototype instead': 'passed',
  'mistakes are reported at the call chaos: a non-configurable method': 'passed',
  // seam-calls.test.js
  'chaos: a stub of one seam method leaves the rest counted': 'passed',
};

/** The message each failing test must carry (and the code frame Jest shows for it, where there is one). */
const MESSAGES: Record<string, readonly string[]> = {
  'chaos: refused: a latency longer than a synchronous call may block': [
    'jest-chaos: db.latency primary ms=2000 in sync-seam.test.js:50 (chaos.test "refused: a latency longer than a synchronous call may block") cannot delay the seam db primary.getPrimaryConnection by up to 2000 ms: the method is synchronous, and a synchronous call waits by blocking the whole process, which jest-chaos does for at most 1000 ms per call. Use ms=1000 or less, or, if the method returns a promise, register it with style: \'promise\'.',
  ],
  'chaos: failing: a rejection that nothing observes fails its own test': [
    'jest-chaos: the seam db orders.query returned a rejected promise that nothing handled (db orders.query failed with a server error, injected by db.error orders). Await the call or attach .catch() to it.',
    'async-seam.test.js:54:',
  ],
  'chaos: failing: an unobserved rejection made as a synchronous test body returns': [
    'jest-chaos: the seam db orders.query returned a rejected promise that nothing handled (connect ECONNREFUSED (db orders.query), injected by db.down orders). Await the call or attach .catch() to it.',
    'async-seam.test.js:63:',
  ],
  'chaos: failing: an unobserved rejection of a stub fails its own test': [
    "jest-chaos: the method Object.send stubbed at stub-style.test.js:53 returned a rejected promise that nothing handled (connect ECONNREFUSED (Object.send), injected by db.down stub). Await the call or attach .catch() to it; if the method is synchronous, pass { style: 'sync' } to chaos.stub().",
    'stub-style.test.js:54:',
  ],
};

function describeRun(run: JestRun): string {
  const failures = (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).filter((text) => text !== '');
  return `exit ${String(run.code)}\n${failures.join('\n').slice(0, 6000)}\n${run.stderr.slice(-3000)}`;
}

beforeAll(async () => {
  await jest29Home();
}, 600_000);

describe.each(MAJORS.map((major) => [major]))('Jest %i', (major) => {
  let run: JestRun;

  beforeAll(async () => {
    run = await runJestMajor(major, FIXTURE, [], { CHAOS_ENABLED: '1', CHAOS_SEED: '7' });
  }, 120_000);

  test('every test has the status its style gives it', () => {
    expect([statuses(run), run.json === undefined ? describeRun(run) : 'json']).toEqual([EXPECTED, 'json']);
    expect(run.code).toBe(1);
  });

  test('the report counts the seams a test called and did not fault; a stubbed method is the stub\'s', () => {
    const report = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'chaos-report.json'), 'utf8')) as { tests: Array<{ file: string; called?: unknown }> };
    expect(report.tests.find((test) => test.file === 'seam-calls.test.js')?.called).toEqual([
      { type: 'seam', domain: 'db', name: 'users', calls: 2, methods: ['get', 'put'] },
      { type: 'seam', domain: 'db', name: 'orders', calls: 2, methods: ['list'] },
    ]);
  });

  test('each failing test fails with its own jest-chaos message', () => {
    const messages = Object.fromEntries((run.json?.testResults ?? []).flatMap((file) => file.assertionResults.filter((test) => test.status === 'failed').map((test) => [test.fullName, test.failureMessages.join('\n')])));
    expect(Object.keys(messages).sort()).toEqual(Object.keys(MESSAGES).sort());
    for (const [name, parts] of Object.entries(MESSAGES)) for (const part of parts) expect([name, messages[name]]).toEqual([name, expect.stringContaining(part)]);
  });
});
