import { setImmediate as realImmediate } from 'node:timers';
import { ChaosError, withoutOwnFrames } from '../errors/chaos-error';
import type { TestChaos } from '../runtime/test-chaos';

const nativeThen = Promise.prototype.then;

/**
 * A promise that knows whether anything observed it. `catch`, `finally`, `await`, `Promise.resolve`,
 * `Promise.all` and `expect().rejects` all go through `then` (for `await` and `Promise.resolve`, because an
 * instance of a subclass is not a plain promise), so `then` marks it. What `then` returns is a plain promise
 * (`Symbol.species`), so a chain built on it behaves as it would on the real method's promise.
 */
export class ObservedPromise<T> extends Promise<T> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  observed = false;

  override then<R1 = T, R2 = never>(onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    this.observed = true;
    return super.then(onFulfilled, onRejected);
  }
}

interface Watched {
  readonly promise: ObservedPromise<unknown>;
  readonly explain: (reason: unknown) => string;
  rejected: boolean;
  reason: unknown;
}

/** The promises each test is watching; the check is registered with the test's first one. */
const watching = new WeakMap<TestChaos, Set<Watched>>();

/** The user's frames of the stack of `reason` (the fault's error is made inside the faulted call). */
function callerFrames(reason: unknown): string {
  const stack = typeof reason === 'object' && reason !== null ? (reason as { stack?: unknown }).stack : undefined;
  if (typeof stack !== 'string') return '';
  return withoutOwnFrames(stack)
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

/** One turn of the event loop, on Node's own timers (never the test's fake or virtual ones). */
const nextTurn = (): Promise<void> => new Promise((resolve) => realImmediate(resolve));

async function check(test: TestChaos): Promise<void> {
  const watched = watching.get(test);
  if (watched === undefined) return;
  // A call made just before the test ended may still be settling through its promise chain: let it.
  if ([...watched].some((entry) => !entry.rejected)) await nextTurn();
  watching.delete(test);
  for (const entry of watched) {
    if (!entry.rejected || entry.promise.observed) continue;
    const problem = new ChaosError('ERR_CHAOS_API', entry.explain(entry.reason));
    const frames = callerFrames(entry.reason);
    problem.stack = frames === '' ? `${problem.name}: ${problem.message}` : `${problem.name}: ${problem.message}\n${frames}`;
    test.problems.push(problem);
  }
}

/**
 * The last line of defence for a promise that jest-chaos returns in place of a method's: returns a promise
 * that settles as `source` does and never becomes a process-level unhandled rejection. When it rejected and
 * nothing observed it (no `then`, `catch` or `await`) by the time `test` ends, the test fails with
 * `explain(reason)` instead, in its own errors: never a later test, never the process.
 */
export function watchRejection<T>(test: TestChaos, source: Promise<T>, explain: (reason: unknown) => string): Promise<T> {
  const promise = new ObservedPromise<T>((resolve, reject) => void nativeThen.call(source, resolve, reject));
  // A test that has ended watches nothing more; the promise still never becomes an unhandled rejection.
  let watched = test.disposed ? undefined : watching.get(test);
  if (watched === undefined && !test.disposed) {
    watched = new Set();
    watching.set(test, watched);
    test.disposers.add(() => check(test));
  }
  const entry: Watched = { promise, explain, rejected: false, reason: undefined };
  watched?.add(entry);
  // The internal handler goes through the native `then`, so it neither marks the promise as observed nor
  // leaves its rejection unhandled for Node.
  nativeThen.call(
    promise,
    () => void watched?.delete(entry),
    (reason: unknown) => {
      entry.rejected = true;
      entry.reason = reason;
    },
  );
  return promise;
}
