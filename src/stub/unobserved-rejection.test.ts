import { isChaosError } from '../errors/chaos-error';
import { realmClock } from '../runtime/clock';
import { TestChaos } from '../runtime/test-chaos';
import { ObservedPromise, watchRejection } from './unobserved-rejection';

const newTest = () => new TestChaos(1, 'unit', realmClock(globalThis));
const turn = () => new Promise((resolve) => setImmediate(resolve));
const explain = (reason: unknown) => `the seam db primary.query returned a rejected promise that nothing handled (${(reason as Error).message})`;

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED (db primary.query)'), { code: 'ECONNREFUSED' });
}

/** Fails the test if Node reports an unhandled rejection while `fn` and two turns of the event loop run. */
async function withoutUnhandledRejections(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await fn();
    await turn();
    await turn();
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

describe('watchRejection', () => {
  test('a rejection that nothing observed fails its test when the test ends, never the process', async () => {
    const test = newTest();
    const unhandled = await withoutUnhandledRejections(async () => {
      watchRejection(test, Promise.reject(refused()), explain);
    });
    expect(unhandled).toEqual([]);
    expect(test.problems).toEqual([]);
    await test.dispose();
    expect(test.problems.map((problem) => problem.message)).toEqual(['jest-chaos: the seam db primary.query returned a rejected promise that nothing handled (connect ECONNREFUSED (db primary.query))']);
    expect(isChaosError(test.problems[0])).toBe(true);
    expect((test.problems[0] as { code?: string }).code).toBe('ERR_CHAOS_API');
  });

  test("the problem's stack holds the user's frames of the rejected error (the call that made it), for Jest's code frame", async () => {
    const test = newTest();
    const error = refused();
    error.stack = ['Error: connect ECONNREFUSED (db primary.query)', '    at findAccount (/app/src/accounts.js:12:15)', '    at Object.<anonymous> (/app/node_modules/some-lib/index.js:3:1)', '    at node:internal/process/task_queues:95:5'].join('\n');
    watchRejection(test, Promise.reject(error), explain);
    await turn();
    await test.dispose();
    expect(test.problems[0]?.stack).toBe(`ChaosError: ${test.problems[0]?.message}\n    at findAccount (/app/src/accounts.js:12:15)`);
  });

  test('a rejection still on its way through its promise chain when the test ends is caught too', async () => {
    const test = newTest();
    watchRejection(test, Promise.resolve().then(() => Promise.reject(refused())), explain);
    await test.dispose();
    expect(test.problems).toHaveLength(1);
  });

  test.each([
    ['await', async (promise: Promise<unknown>) => void (await promise.catch(() => undefined))],
    ['await in try/catch', async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch {
        // handled
      }
    }],
    ['.catch()', async (promise: Promise<unknown>) => void promise.catch(() => undefined)],
    ['.then(undefined, onRejected)', async (promise: Promise<unknown>) => void promise.then(undefined, () => undefined)],
    ['.finally() (the chain after it is the caller\'s own)', async (promise: Promise<unknown>) => void promise.finally(() => undefined).catch(() => undefined)],
    ['Promise.allSettled', async (promise: Promise<unknown>) => void (await Promise.allSettled([promise]))],
    ['Promise.race', async (promise: Promise<unknown>) => void (await Promise.race([promise, 1]))],
    ['expect().rejects', async (promise: Promise<unknown>) => void (await expect(promise).rejects.toThrow('ECONNREFUSED'))],
    ['observed late, after it rejected', async (promise: Promise<unknown>) => {
      await turn();
      await promise.catch(() => undefined);
    }],
  ])('observed through %s: no problem', async (_how, observe) => {
    const test = newTest();
    const unhandled = await withoutUnhandledRejections(() => observe(watchRejection(test, Promise.reject(refused()), explain)));
    await test.dispose();
    expect([unhandled, test.problems]).toEqual([[], []]);
  });

  test('a promise that resolves, or never settles, is no problem', async () => {
    const test = newTest();
    watchRejection(test, Promise.resolve(1), explain);
    watchRejection(test, new Promise(() => undefined), explain);
    await turn();
    await test.dispose();
    expect(test.problems).toEqual([]);
  });

  test('settles as its source does', async () => {
    const test = newTest();
    await expect(watchRejection(test, Promise.resolve('row'), explain)).resolves.toBe('row');
    const error = refused();
    await expect(watchRejection(test, Promise.reject(error), explain)).rejects.toBe(error);
    await test.dispose();
    expect(test.problems).toEqual([]);
  });

  test('what then() returns is a plain promise: a chain behaves as on the real method', async () => {
    const test = newTest();
    const watched = watchRejection(test, Promise.resolve(1), explain);
    expect(watched).toBeInstanceOf(ObservedPromise);
    const derived = watched.then((value) => value + 1);
    expect(Object.getPrototypeOf(derived)).toBe(Promise.prototype);
    await expect(derived).resolves.toBe(2);
    await test.dispose();
  });

  test('one check per test, whatever the number of promises; each unobserved rejection is one problem', async () => {
    const test = newTest();
    for (let i = 0; i < 3; i++) watchRejection(test, Promise.reject(refused()), explain);
    watchRejection(test, Promise.reject(refused()), explain).catch(() => undefined);
    await turn();
    await test.dispose();
    expect(test.problems).toHaveLength(3);
  });

  test('a promise made for a test that has ended is not watched, and is never unhandled', async () => {
    const test = newTest();
    await test.dispose();
    const unhandled = await withoutUnhandledRejections(async () => {
      watchRejection(test, Promise.reject(refused()), explain);
    });
    expect([unhandled, test.problems]).toEqual([[], []]);
  });
});
