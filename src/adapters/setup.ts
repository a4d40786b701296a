/**
 * A `setupFiles` entry added by the preset and by `withChaos()`. It runs inside the test file's realm and
 * leaves there a loader that requires a module through the test file's own module registry, so that the
 * driver adapters patch the very `pg`, `mysql2`, `ioredis` or `redis` instance the code under test gets.
 */
const LOADER_SLOT = Symbol.for('jest-chaos.require');

Object.defineProperty(globalThis, LOADER_SLOT, {
  configurable: true,
  enumerable: false,
  value: (modulePath: string): unknown => require(modulePath),
});
