import { setImmediate as realImmediate } from 'node:timers';
import type { Disposer } from '../runtime/scope';

/** Errors that jest-chaos injected as faults: shaped like Node's own, they stay foreign to the test realm. */
const injected = new WeakSet<object>();
/** Errors that nock raised in the worker, where plain Jest would have raised them in the test's realm. */
const nockErrors = new WeakSet<object>();

export function markInjected<E extends object>(error: E): E {
  injected.add(error);
  return error;
}

export function isInjected(value: unknown): boolean {
  return typeof value === 'object' && value !== null && injected.has(value);
}

/**
 * Hands `reason` to a request on a turn of its own, as Node reports a network failure from its event loop.
 * `errorWith` is the interceptor's own method, bound: nothing of jest-chaos is on the stack when it runs,
 * so the error that the client builds from the reason (axios's AxiosError, got's RequestError) holds no
 * frame of jest-chaos, as the one it builds from a real failure holds none.
 */
export function deliverApart(errorWith: (reason: unknown) => unknown, reason: unknown): void {
  realImmediate(errorWith, reason);
}

/** An error being handed to an interceptor that runs in the test file's realm (see handOver). */
let crossing: unknown;

/**
 * Runs `fn` (which gives `error` to msw's interceptors, loaded in the test file's realm) while that realm's
 * `Error` recognises `error`: those interceptors drop a reason that fails `reason instanceof Error`. Only
 * for the duration of the call: the test itself still sees the error as foreign, like Node's own.
 */
export function handOver<T>(error: unknown, fn: () => T): T {
  crossing = error;
  try {
    return fn();
  } finally {
    crossing = undefined;
  }
}

/** Remembers an error that nock handed to a request (no match, net connect not allowed, replyWithError). */
export function markNockError(value: unknown): void {
  if (typeof value === 'object' && value !== null && !injected.has(value)) nockErrors.add(value);
}

/**
 * Makes `error instanceof Error` hold in the test file's realm for the errors nock raises, as it does in
 * plain Jest, where each test file loads nock into its own realm. The errors themselves are not copied:
 * the interceptors check them against the worker's Error. Only `Error` itself answers for them, not its
 * subclasses; every other value is checked as usual. Returns the disposer that takes the check away.
 */
export function recognizeNockErrors(realm: typeof globalThis): Disposer {
  const realmError = realm.Error;
  const own = Object.getOwnPropertyDescriptor(realmError, Symbol.hasInstance);
  const ordinary = Function.prototype[Symbol.hasInstance];
  Object.defineProperty(realmError, Symbol.hasInstance, {
    configurable: true,
    writable: true,
    value: function hasInstance(this: unknown, value: unknown): boolean {
      if (ordinary.call(this, value)) return true;
      return this === realmError && typeof value === 'object' && value !== null && (nockErrors.has(value) || value === crossing);
    },
  });
  return () => {
    if (own === undefined) delete (realmError as unknown as Record<symbol, unknown>)[Symbol.hasInstance];
    else Object.defineProperty(realmError, Symbol.hasInstance, own);
  };
}

/**
 * nock's own refusal of a request: no mock matches it though its host has some (`ERR_NOCK_NO_MATCH`), or
 * `nock.disableNetConnect()` forbids it (`NetConnectNotAllowedError`).
 */
export function isNockRefusal(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { code, name } = value as { code?: unknown; name?: unknown };
  return code === 'ERR_NOCK_NO_MATCH' || name === 'NetConnectNotAllowedError';
}
