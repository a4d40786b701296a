/**
 * A `setupFiles` entry added by the preset and by `withChaos()`. It runs inside the test file's realm,
 * synchronously before Jest loads the test file: it enters the file's scope, so that everything the file
 * runs outside a chaos test's body carries it (src/runtime/test-context.ts), and it leaves there a loader that requires a module through the test file's own module registry, so that the
 * driver adapters patch the very `pg`, `mysql2`, `ioredis` or `redis` instance the code under test gets,
 * and a check of whether the file has loaded a module (its registry, `require.cache`), so that a driver the
 * file uses is counted in a chaos test's calls without loading one it does not.
 */
const LOADER_SLOT = Symbol.for('jest-chaos.require');

Object.defineProperty(globalThis, LOADER_SLOT, {
  configurable: true,
  enumerable: false,
  value: (modulePath: string): unknown => require(modulePath),
});

Object.defineProperty(globalThis, Symbol.for('jest-chaos.loaded'), {
  configurable: true,
  enumerable: false,
  value: (modulePath: string): boolean => modulePath in require.cache,
});

(globalThis as Record<symbol, (() => void) | undefined>)[Symbol.for('jest-chaos.enter-file')]?.();
