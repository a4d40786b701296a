import type { Via } from './faults';

/**
 * msw's request interception, as a test file's realm holds it. msw (`setupServer` from `msw/node`) runs
 * in the test file's realm, on its own copy of @mswjs/interceptors, and answers a request before nock's
 * interceptors of the worker see it (fetch) or takes it over when nock lets it through (http). jest-chaos
 * puts its rules in front of msw's handlers on msw's own interceptors instead, and its loopback guard
 * behind them.
 *
 * - msw 2 (@mswjs/interceptors 0.41): each applied interceptor is stored on the realm's global under
 *   `Symbol.for(<name>)`; its `emitter` is Node-style (`prependListener`, `addListener`).
 * - msw 3 (@mswjs/interceptors 0.45): every HTTP request, fetch's and http's alike, is parsed off its socket
 *   by one request source, kept in the realm's `__MSW_INTERCEPTORS_REGISTRY` map under
 *   `Symbol.for('node-http-request-source')` (`readyState` `'ACTIVE'`), which forwards it to msw's fetch
 *   and ClientRequest interceptors by its `initiator` (a `Request` for fetch). Its `emitter` is rettime's
 *   (`earlyOn` prepends, `on` appends, listeners are awaited one after the other).
 */

/** What a request listener of either version receives (msw 3 passes an event object with the same fields). */
export interface MswRequestEvent {
  readonly request: Request;
  /** msw 3: what made the request (a `Request` for fetch, a `ClientRequest` for http). */
  readonly initiator?: unknown;
  readonly controller: { respondWith(response: Response): unknown; errorWith(reason?: unknown): unknown; readonly readyState?: number };
}

export type MswListener = (event: MswRequestEvent) => Promise<void>;

/** One of msw's running interceptors: how to put a listener first or last on it, and take it away. */
export interface MswInterceptor {
  /** The emitter that the listeners go on: one hook per emitter, however many tests run. */
  readonly key: object;
  /** Which client API a request came through. */
  readonly via: (event: MswRequestEvent) => Via;
  /** @mswjs/interceptors 0.45 and later: faults reach fetch through its socket, undici wraps the cause. */
  readonly socketLevel: boolean;
  prepend(listener: MswListener): void;
  append(listener: MswListener): void;
  remove(listener: MswListener): void;
}

interface NodeStyleEmitter {
  prependListener(event: 'request', listener: MswListener): unknown;
  addListener(event: 'request', listener: MswListener): unknown;
  removeListener(event: 'request', listener: MswListener): unknown;
}

interface RettimeEmitter {
  earlyOn(event: 'request', listener: MswListener): unknown;
  on(event: 'request', listener: MswListener): unknown;
  removeListener(event: 'request', listener: MswListener): unknown;
}

const LEGACY_NAMES = [
  ['client-request-interceptor', 'http'],
  ['fetch-interceptor', 'fetch'],
] as const;

const REQUEST_SOURCE = Symbol.for('node-http-request-source');

function isFunction(value: unknown): value is (...args: never[]) => unknown {
  return typeof value === 'function';
}

function nodeStyle(emitter: unknown, via: Via): MswInterceptor | undefined {
  const viaOf = (): Via => via;
  const candidate = emitter as Partial<NodeStyleEmitter> | undefined;
  if (!isFunction(candidate?.prependListener) || !isFunction(candidate.addListener) || !isFunction(candidate.removeListener)) return undefined;
  const e = candidate as NodeStyleEmitter;
  return {
    key: e,
    via: viaOf,
    socketLevel: false,
    prepend: (listener) => void e.prependListener('request', listener),
    append: (listener) => void e.addListener('request', listener),
    remove: (listener) => void e.removeListener('request', listener),
  };
}

function rettime(emitter: unknown, realm: typeof globalThis): MswInterceptor | undefined {
  const via = (event: MswRequestEvent): Via => (typeof realm.Request === 'function' && event.initiator instanceof realm.Request ? 'fetch' : 'http');
  const candidate = emitter as Partial<RettimeEmitter> | undefined;
  if (!isFunction(candidate?.earlyOn) || !isFunction(candidate.on) || !isFunction(candidate.removeListener)) return undefined;
  const e = candidate as RettimeEmitter;
  return {
    key: e,
    via,
    socketLevel: true,
    prepend: (listener) => void e.earlyOn('request', listener),
    append: (listener) => void e.on('request', listener),
    remove: (listener) => void e.removeListener('request', listener),
  };
}

/** msw's interceptors that are applied in `realm` now (none when msw is not listening). */
export function mswInterceptors(realm: typeof globalThis): MswInterceptor[] {
  const found: MswInterceptor[] = [];
  const global = realm as unknown as Record<PropertyKey, unknown> & { __MSW_INTERCEPTORS_REGISTRY?: unknown };
  const registry = global.__MSW_INTERCEPTORS_REGISTRY;
  for (const [name, via] of LEGACY_NAMES) {
    const legacy = global[Symbol.for(name)] as { emitter?: unknown } | undefined;
    const hook = legacy === undefined ? undefined : nodeStyle(legacy.emitter, via);
    if (hook !== undefined) found.push(hook);
  }
  if (isFunction((registry as Partial<Map<symbol, unknown>> | undefined)?.get)) {
    const source = (registry as Map<symbol, { readyState?: unknown; emitter?: unknown }>).get(REQUEST_SOURCE);
    const hook = source?.readyState === 'ACTIVE' ? rettime(source.emitter, realm) : undefined;
    if (hook !== undefined) found.push(hook);
  }
  return found;
}
