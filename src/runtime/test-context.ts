import { AsyncLocalStorage } from 'node:async_hooks';
import { TestChaos } from './test-chaos';

/** Stands for one test file's execution: its top level, its hooks, and whatever they start. */
export class FileScope {
  constructor(readonly testPath: string) {}
}

/**
 * Which chaos test a request or a call belongs to. A chaos test's function runs inside `runInTest`, so
 * everything it starts (promises, timers, sockets, emitted events) carries the test along. The rest of a
 * test file's execution carries the file's scope (jest-chaos's setup file enters it before the test
 * framework loads the file), so a poller that an earlier file left running is told apart.
 */
const storage = new AsyncLocalStorage<TestChaos | FileScope>();
const running = new Set<TestChaos>();
let currentFile: FileScope | undefined;

export function runInTest<T>(test: TestChaos, fn: () => T): T {
  return storage.run(test, fn);
}

/**
 * The file whose tests run now. `enter` (from the setup file, synchronously before Jest loads the test
 * file) makes the rest of the file's execution carry the scope; it is a no-op without the setup file.
 */
export function beginFile(scope: FileScope): { enter(): void; end(): void } {
  currentFile = scope;
  return {
    enter: () => storage.enterWith(scope),
    end: () => {
      if (currentFile === scope) currentFile = undefined;
    },
  };
}

/** Marks a chaos test as running until the returned function is called. */
export function markRunning(test: TestChaos): () => void {
  running.add(test);
  return () => void running.delete(test);
}

/**
 * The chaos test that the current request or call belongs to, if any:
 * - the test whose body started it, while that body runs (never once it has ended);
 * - for a call made outside any test's body but within the running file (a local app's server started in
 *   beforeAll, a connection opened before the test: their events run in their own context), the only
 *   chaos test whose body runs now, when exactly one does and it is not concurrent;
 * - none for a call that an earlier file left running: it never draws from a later test's stream.
 */
export function activeTest(): TestChaos | undefined {
  const store = storage.getStore();
  if (store instanceof TestChaos) return store.disposed ? undefined : store;
  if (store !== undefined && store !== currentFile) return undefined;
  if (running.size !== 1) return undefined;
  const [only] = running;
  return only === undefined || only.concurrent || only.disposed ? undefined : only;
}
