import { parseRule } from '../rules/parse';
import type { StoreRule } from '../rules/types';
import { realmClock } from '../runtime/clock';
import { TestChaos } from '../runtime/test-chaos';
import { runInTest } from '../runtime/test-context';
import type { CallStyle } from './call-style';
import { MethodFaults } from './method-faults';
import { MAX_SYNC_DELAY_MS } from './sync-delay';
import { ObservedPromise } from './unobserved-rejection';

type Method = (...args: any[]) => unknown;

/** One chaos test that faults `object[method]` with `rules`, and a way to call the method inside it. */
function faulted<T extends Record<string, Method>>(object: T, method: keyof T & string, rules: readonly string[], style: CallStyle = 'auto') {
  const test = new TestChaos(1, 'unit', realmClock(globalThis));
  const faults = new MethodFaults(test);
  for (const rule of rules) faults.add(object, method, 'db primary', test.createState(parseRule(rule, 'method-faults.test.ts') as StoreRule), style);
  const call = (...args: unknown[]): unknown => runInTest(test, () => object[method]!(...args));
  return { test, call };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PENDING = Symbol('pending');
/** What a promise has settled to after `ms`, or PENDING. */
const settledWithin = (promise: unknown, ms: number) => Promise.race([Promise.resolve(promise).then((value) => ({ value }), (error: unknown) => ({ error })), sleep(ms).then(() => PENDING)]);

const syncDb = () => ({ getPrimaryConnection: (id?: number) => ({ id, servedBy: 'primary' }) });
const asyncDb = () => ({ query: async (sql: string) => [{ sql }] });
const callbackDb = () => ({ get: (key: string, callback: (error: unknown, value?: string) => void) => void setImmediate(() => callback(null, `value of ${key}`)) });

describe('sync style: what the caller sees', () => {
  test.each([
    ['db.down primary', 'ECONNREFUSED'],
    ['db.lost primary', 'ECONNRESET'],
    ['db.timeout primary', 'ETIMEDOUT'],
    ['db.error primary', 'ERR_SERVER'],
  ])('%s: thrown from the call', async (rule, code) => {
    const { test, call } = faulted(syncDb(), 'getPrimaryConnection', [rule]);
    expect(() => call()).toThrow(expect.objectContaining({ code }));
    await test.dispose();
  });

  test('a latency blocks the call, which returns its value synchronously', async () => {
    const { test, call } = faulted(syncDb(), 'getPrimaryConnection', ['db.latency primary ms=25']);
    const start = Date.now();
    expect(call(4)).toEqual({ id: 4, servedBy: 'primary' });
    expect(Date.now() - start).toBeGreaterThanOrEqual(24);
    await test.dispose();
  });

  test('a timeout with ms blocks, then throws', async () => {
    const { test, call } = faulted(syncDb(), 'getPrimaryConnection', ['db.timeout primary ms=25']);
    const start = Date.now();
    expect(() => call()).toThrow(expect.objectContaining({ code: 'ETIMEDOUT' }));
    expect(Date.now() - start).toBeGreaterThanOrEqual(24);
    await test.dispose();
  });

  test(`a delay above ${MAX_SYNC_DELAY_MS} ms is refused when the rule is applied, not when the call blocks`, () => {
    expect(() => faulted(syncDb(), 'getPrimaryConnection', ['db.latency primary ms=500-1500'])).toThrow(
      "jest-chaos: db.latency primary ms=500-1500 in method-faults.test.ts cannot delay the seam db primary.getPrimaryConnection by up to 1500 ms: the method is synchronous, and a synchronous call waits by blocking the whole process, which jest-chaos does for at most 1000 ms per call. Use ms=1000 or less, or, if the method returns a promise, register it with style: 'promise'.",
    );
  });

  test("'auto' does not treat a trailing function argument as a callback", async () => {
    const visit = jest.fn();
    const { test, call } = faulted({ each: (rows: number[], fn: (row: number) => void) => rows.forEach(fn) }, 'each', ['db.down primary']);
    expect(() => call([1, 2], visit)).toThrow(expect.objectContaining({ code: 'ECONNREFUSED' }));
    await sleep(5);
    expect(visit).not.toHaveBeenCalled();
    await test.dispose();
  });
});

describe('promise style: what the caller sees', () => {
  test.each([
    ['db.down primary', 'ECONNREFUSED'],
    ['db.lost primary', 'ECONNRESET'],
    ['db.timeout primary ms=5', 'ETIMEDOUT'],
    ['db.error primary', 'ERR_SERVER'],
  ])('%s: a rejected promise', async (rule, code) => {
    const { test, call } = faulted(asyncDb(), 'query', [rule]);
    const result = call('SELECT 1');
    expect(result).toBeInstanceOf(ObservedPromise);
    await expect(result).rejects.toMatchObject({ code });
    await test.dispose();
    expect(test.problems).toEqual([]);
  });

  test('a latency resolves with the real result', async () => {
    const { test, call } = faulted(asyncDb(), 'query', ['db.latency primary ms=10']);
    await expect(call('SELECT 2')).resolves.toEqual([{ sql: 'SELECT 2' }]);
    await test.dispose();
  });

  test("'promise' declared for a function that is not async", async () => {
    const { test, call } = faulted({ fetchRows: () => Promise.resolve([1]) }, 'fetchRows', ['db.down primary'], 'promise');
    await expect(call()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await test.dispose();
  });

  test("an async transaction(fn) under 'auto' rejects; fn is not a callback and is never called", async () => {
    const work = jest.fn();
    const { test, call } = faulted({ transaction: async (fn: (tx: object) => unknown) => fn({}) }, 'transaction', ['db.down primary']);
    await expect(call(work)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(work).not.toHaveBeenCalled();
    await test.dispose();
  });

  test("the real method's own rejection after a latency, unobserved, fails the test and names the latency", async () => {
    const { test, call } = faulted({ query: async () => Promise.reject(new Error('relation "users" does not exist')) }, 'query', ['db.latency primary ms=1']);
    call();
    await sleep(20);
    await test.dispose();
    expect(test.problems.map((problem) => problem.message)).toEqual([
      'jest-chaos: the seam db primary.query returned a rejected promise that nothing handled (relation "users" does not exist, its own failure after db.latency primary ms=1 delayed it). Await the call or attach .catch() to it.',
    ]);
  });

  test("a declared style adds how to declare the method synchronous", async () => {
    const { test, call } = faulted({ query: () => Promise.resolve(1) }, 'query', ['db.down primary'], 'promise');
    call();
    await sleep(5);
    await test.dispose();
    expect(test.problems[0]?.message).toBe(
      "jest-chaos: the seam db primary.query returned a rejected promise that nothing handled (connect ECONNREFUSED (db primary.query), injected by db.down primary). Await the call or attach .catch() to it; if the method is synchronous, register it with style: 'sync'.",
    );
  });
});

describe('callback style: what the caller sees', () => {
  test.each([
    ['cache.down primary', 'ECONNREFUSED'],
    ['cache.lost primary', 'ECONNRESET'],
    ['cache.timeout primary ms=5', 'ETIMEDOUT'],
    ['cache.error primary', 'ERR_SERVER'],
  ])('%s: the error goes to the callback, after the call returned', async (rule, code) => {
    const { test, call } = faulted(callbackDb(), 'get', [rule], 'callback');
    let calledBack = false;
    const error = new Promise((resolve) => {
      expect(
        call('k', (reason: unknown) => {
          calledBack = true;
          resolve(reason);
        }),
      ).toBeUndefined();
      expect(calledBack).toBe(false);
    });
    await expect(error).resolves.toMatchObject({ code });
    await test.dispose();
  });

  test('a latency calls the real method, which calls back with its value', async () => {
    const { test, call } = faulted(callbackDb(), 'get', ['cache.latency primary ms=5'], 'callback');
    await expect(new Promise((resolve) => call('k', (error: unknown, value: unknown) => resolve(error ?? value)))).resolves.toBe('value of k');
    await test.dispose();
  });

  test('a call without a callback gets a rejected promise', async () => {
    const { test, call } = faulted(callbackDb(), 'get', ['cache.down primary'], 'callback');
    await expect(call('k')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await test.dispose();
  });
});

describe('a delay that outlasts its test', () => {
  test('a promise fault never settles', async () => {
    const { test, call } = faulted(asyncDb(), 'query', ['db.timeout primary ms=30']);
    const result = call('SELECT 1');
    await test.dispose();
    expect(await settledWithin(result, 80)).toBe(PENDING);
    expect(test.problems).toEqual([]);
  });

  test('a callback fault never calls back', async () => {
    const callback = jest.fn();
    const { test, call } = faulted(callbackDb(), 'get', ['cache.down primary ms=30'], 'callback');
    call('k', callback);
    await test.dispose();
    await sleep(80);
    expect(callback).not.toHaveBeenCalled();
  });

  test('a latency never reaches the real method', async () => {
    // A jest.fn() is not declared async, whatever it returns: 'auto' would block it as a synchronous call.
    const query = jest.fn(async () => 1);
    const { test, call } = faulted({ query }, 'query', ['db.latency primary ms=30'], 'promise');
    const result = call();
    await test.dispose();
    expect(await settledWithin(result, 80)).toBe(PENDING);
    expect(query).not.toHaveBeenCalled();
  });
});

test('the method is the original again when the test ends', async () => {
  const db = syncDb();
  const original = db.getPrimaryConnection;
  const { test } = faulted(db, 'getPrimaryConnection', ['db.down primary']);
  expect(db.getPrimaryConnection).not.toBe(original);
  await test.dispose();
  expect(db.getPrimaryConnection).toBe(original);
});
