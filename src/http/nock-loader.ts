import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ChaosError } from '../errors/chaos-error';
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
 * The version of the nock package whose entry file is `entry`, read from its package.json on disk: nock 15.0.1
 * and later do not export `nock/package.json`, so it cannot be required.
 */
export function nockVersionAt(entry: string): string {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === 'nock' && typeof manifest.version === 'string') return manifest.version;
  }
  throw new Error(`no package.json of nock above ${entry}`);
}

function unusableNock(entry: string, why: string): ChaosError {
  return new ChaosError(
    'ERR_CHAOS_CONFIG',
    `this project's nock (${entry}) cannot be used: ${why}. jest-chaos works with nock 14 and 15; install one of them (npm i -D nock@14), or remove the project's nock to use the one that ships with jest-chaos.`,
  );
}

/**
 * Loads the project's nock, else the one jest-chaos depends on. A project's nock that jest-chaos cannot
 * drive is an error, never a silent second copy: the project's own scopes would not see the faults.
 * Called once per worker, and only when a test needs HTTP interception.
 */
export function loadNock(rootDir: string): LoadedNock {
  const projectRequire = createRequire(path.join(rootDir, 'package.json'));
  let entry: string | undefined;
  try {
    entry = projectRequire.resolve('nock');
  } catch {
    // No nock in the project: use ours.
  }
  if (entry !== undefined && entry !== require.resolve('nock')) {
    const version = nockVersionAt(entry);
    if (!SUPPORTED_NOCK.test(version)) throw unusableNock(entry, `it is nock ${version}`);
    const unpolyfill = polyfillWithResolvers();
    try {
      return { nock: interop(projectRequire('nock')), version, fromProject: true, ...(unpolyfill === undefined ? {} : { dispose: unpolyfill }) };
    } catch (error) {
      unpolyfill?.();
      throw unusableNock(entry, `loading nock ${version} failed with ${(error as Error).message}`);
    }
  }
  const ours = require.resolve('nock');
  return { nock: interop(require('nock')), version: nockVersionAt(ours), fromProject: false };
}
