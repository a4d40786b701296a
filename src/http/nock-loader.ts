import { createRequire } from 'node:module';
import path from 'node:path';
import { replaceProperty } from '../runtime/patches';

/** The part of nock's API that jest-chaos drives. */
export interface Nock {
  (basePath: string | RegExp, options?: object): object;
  cleanAll(): void;
  removeInterceptor(interceptor: object): boolean;
  abortPendingRequests(): void;
  enableNetConnect(matcher?: string | RegExp | ((host: string) => boolean)): void;
  disableNetConnect(): void;
  pendingMocks(): string[];
  activeMocks(): string[];
  isActive(): boolean;
  activate(): void;
  restore(): void;
  emitter: NodeJS.EventEmitter;
}

/** nock majors whose interception jest-chaos hooks into (both build on @mswjs/interceptors). */
export const SUPPORTED_NOCK = /^1[45]\./;

export interface LoadedNock {
  readonly nock: Nock;
  readonly version: string;
  /** True when the project's own nock was used rather than the one that ships with jest-chaos. */
  readonly fromProject: boolean;
  /** Takes back what loading it changed (the Promise.withResolvers polyfill), if anything. */
  readonly dispose?: () => void;
}

/** Node 20 lacks Promise.withResolvers, which nock 15's interceptors call. */
function polyfillWithResolvers(): (() => void) | undefined {
  const P = Promise as PromiseConstructor & { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return undefined;
  return replaceProperty(Promise, 'withResolvers', function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  });
}

function interop(loaded: unknown): Nock {
  return (typeof loaded === 'function' ? loaded : (loaded as { default: Nock }).default) as Nock;
}

/**
 * Loads the project's nock when its version is supported, else the one jest-chaos depends on.
 * Called once per worker, and only when a test needs HTTP interception.
 */
export function loadNock(rootDir: string): LoadedNock {
  const projectRequire = createRequire(path.join(rootDir, 'package.json'));
  try {
    const entry = projectRequire.resolve('nock');
    const version = (projectRequire('nock/package.json') as { version: string }).version;
    if (SUPPORTED_NOCK.test(version)) {
      const unpolyfill = polyfillWithResolvers();
      try {
        return { nock: interop(projectRequire('nock')), version, fromProject: entry !== require.resolve('nock'), ...(unpolyfill === undefined ? {} : { dispose: unpolyfill }) };
      } catch (error) {
        unpolyfill?.();
        throw error;
      }
    }
  } catch {
    // No nock in the project: use ours.
  }
  const version = (require('nock/package.json') as { version: string }).version;
  return { nock: interop(require('nock')), version, fromProject: false };
}
