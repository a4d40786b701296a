import { AsyncLocalStorage } from 'node:async_hooks';
import type { TestChaos } from './test-chaos';

/**
 * Which chaos test a request or a call belongs to. A chaos test's function runs inside `runInTest`, so
 * everything it starts (promises, timers, sockets, emitted events) carries the test along. A call that
 * carries no test (a connection's callback that lost the async context) belongs to the only chaos test
 * running, when exactly one runs and it is not concurrent; a call that carries a test that has ended
 * (a request left running by an earlier test or file) belongs to none.
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

/** The chaos test that the current call belongs to, if any. */
export function activeTest(): TestChaos | undefined {
  const store = storage.getStore();
  if (store !== undefined) return store.disposed ? undefined : store;
  if (running.size !== 1) return undefined;
  const [only] = running;
  return only === undefined || only.concurrent || only.disposed ? undefined : only;
}
