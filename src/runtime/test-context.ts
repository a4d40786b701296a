import { AsyncLocalStorage } from 'node:async_hooks';
import type { TestChaos } from './test-chaos';

/**
 * Which chaos test a request or a call belongs to. A chaos test's function runs inside `runInTest`, so
 * everything it starts (promises, timers, sockets, emitted events) carries the test along. A call that
 * carries a test that has ended (a request left running by an earlier test) belongs to none.
 */
const storage = new AsyncLocalStorage<TestChaos>();
const running = new Set<TestChaos>();

export function runInTest<T>(test: TestChaos, fn: () => T): T {
  return storage.run(test, fn);
}

/** Marks a chaos test as running until the returned function is called. */
export function markRunning(test: TestChaos): () => void {
  running.add(test);
  return () => void running.delete(test);
}

/**
 * The chaos test whose async context the current call runs in, if it still runs. HTTP requests are
 * attributed this way only: a request started outside any test (at a file's top level, in a hook, by a
 * timer an earlier file left running) never draws from a test's seeded stream.
 */
export function contextTest(): TestChaos | undefined {
  const store = storage.getStore();
  return store === undefined || store.disposed ? undefined : store;
}

/**
 * The chaos test that a driver or seam call belongs to: the test of its async context, or, for a call
 * that carries no test (a callback of a connection opened before the test, whose events run in the
 * connection's context), the only chaos test running when exactly one runs and it is not concurrent.
 */
export function activeTest(): TestChaos | undefined {
  const store = storage.getStore();
  if (store !== undefined) return store.disposed ? undefined : store;
  if (running.size !== 1) return undefined;
  const [only] = running;
  return only === undefined || only.concurrent || only.disposed ? undefined : only;
}
