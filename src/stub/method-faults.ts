import { setImmediate as realImmediate } from 'node:timers';
import { ChaosError } from '../errors/chaos-error';
import type { StoreKind, StoreRule } from '../rules/types';
import type { RuleState } from '../runtime/rule-state';
import type { TestChaos } from '../runtime/test-chaos';
import { originalOf, patchProperty } from '../runtime/patches';
import { resolveStyle, type CallStyle, type ResolvedStyle } from './call-style';
import { genericStoreError } from './store-errors';
import { blockFor, MAX_SYNC_DELAY_MS } from './sync-delay';
import { watchRejection } from './unobserved-rejection';

export type { CallStyle } from './call-style';

/** The error a fired rule produces for one call (a driver adapter can shape it per driver). */
export type ErrorFactory = (kind: Exclude<StoreKind, 'latency'>, call: string) => unknown;

/** How messages name a faulted method, and what they tell the user to do about its style. */
export interface FaultSubject {
  /** `the seam db primary.getPrimaryConnection`, `the method Object.get stubbed at orders.test.js:12`. */
  readonly what: string;
  /** How to declare the method synchronous: `register it with style: 'sync'`. */
  readonly declareSync: string;
  /** How to declare that it returns a promise: `register it with style: 'promise'`. */
  readonly declarePromise: string;
}

export interface FaultOptions {
  readonly makeError?: ErrorFactory;
  /** Defaults to a registered seam named by the label. */
  readonly subject?: FaultSubject;
}

interface FaultedMethod {
  readonly states: RuleState<StoreRule>[];
  readonly makeError: ErrorFactory;
  readonly style: ResolvedStyle;
  /** The style was given (register's or stub's `style`), not decided by 'auto'. */
  readonly declared: boolean;
  readonly subject: FaultSubject;
}

/**
 * What a call of a faulted method that outlasted its test settles to: nothing, ever. A new promise each time,
 * not a shared one, so that a hung call and whatever waits on it can be collected with the test.
 */
function never(): Promise<never> {
  return new Promise<never>(() => undefined);
}

function reasonText(reason: unknown): string {
  if (typeof reason === 'object' && reason !== null && typeof (reason as { message?: unknown }).message === 'string') return (reason as { message: string }).message;
  return typeof reason === 'string' ? JSON.stringify(reason) : String(reason);
}

/** Throws `error` on a turn of its own: a callback that throws does so as it would from real I/O. */
function rethrowLater(error: unknown): void {
  realImmediate(() => {
    throw error;
  });
}

function registeredSubject(label: string, method: string): FaultSubject {
  return {
    what: `the seam ${label}.${method}`,
    declareSync: "register it with style: 'sync'",
    declarePromise: "register it with style: 'promise'",
  };
}

/**
 * Faults methods of objects for the rest of one test; each patch is undone when the test ends.
 *
 * What the caller sees depends on the method's style (call-style.ts), and keeps the method's shape:
 * - sync: the fault is thrown; a delay (latency, `ms`) blocks the call (sync-delay.ts), as a slow
 *   synchronous driver does, at most MAX_SYNC_DELAY_MS;
 * - promise: a promise that rejects with the fault, or resolves with the original's result after a
 *   latency. It never becomes an unhandled rejection (unobserved-rejection.ts);
 * - callback: the error is passed to the call's trailing function; a call without one gets a promise.
 *
 * A delay that outlasts its test leaves the call pending for good: it never rejects, never calls back and
 * never reaches the original afterwards, so nothing of the test happens after it.
 */
export class MethodFaults {
  private readonly faulted = new Map<object, Map<string, FaultedMethod>>();

  constructor(private readonly test: TestChaos) {}

  add(object: object, method: string, label: string, state: RuleState<StoreRule>, style: CallStyle, options: FaultOptions = {}): void {
    let methods = this.faulted.get(object);
    if (methods === undefined) {
      methods = new Map();
      this.faulted.set(object, methods);
    }
    const existing = methods.get(method);
    if (existing !== undefined) {
      checkSyncDelay(existing, state);
      existing.states.push(state);
      return;
    }
    const original = originalOf((object as Record<string, unknown>)[method]);
    if (typeof original !== 'function') throw new ChaosError('ERR_CHAOS_API', `${label}.${method} is not a function, so it cannot be faulted. Name a method of the object.`);
    const entry: FaultedMethod = {
      states: [],
      makeError: options.makeError ?? ((kind, call) => genericStoreError(kind, call)),
      style: resolveStyle(style, original),
      declared: style !== 'auto',
      subject: options.subject ?? registeredSubject(label, method),
    };
    checkSyncDelay(entry, state);
    entry.states.push(state);
    const wrapped = this.wrap(original, entry, `${label}.${method}`);
    this.test.disposers.add(patchProperty(object as Record<string, unknown>, method, wrapped, `${label}.${method}`, this.test));
    methods.set(method, entry);
    this.test.disposers.add(() => void methods.delete(method));
  }

  private wrap(original: Function, entry: FaultedMethod, call: string): Function {
    const test = this.test;
    const { style, subject } = entry;
    // 'auto' chose a promise because the method is declared async: no style to correct then.
    const styleHint = entry.declared ? `; if the method is synchronous, ${subject.declareSync}` : '';
    const unhandled = (cause: string) => (reason: unknown) =>
      `${subject.what} returned a rejected promise that nothing handled (${reasonText(reason)}, ${cause}). Await the call or attach .catch() to it${styleHint}.`;

    return function chaosFaulted(this: unknown, ...args: unknown[]): unknown {
      const last = args[args.length - 1];
      const callback = style === 'callback' && typeof last === 'function' ? (last as (error: unknown) => void) : undefined;
      const asPromise = style === 'promise' || (style === 'callback' && callback === undefined);
      let delay = 0;
      let latencyRule: string | undefined;
      for (const state of entry.states) {
        if (!state.fires()) continue;
        const { kind, source } = state.rule;
        const ms = state.delay();
        test.record(state, call, ms === 0 ? undefined : ms);
        if (kind === 'latency') {
          delay += ms;
          latencyRule ??= source;
          continue;
        }
        const error = entry.makeError(kind, call);
        const total = delay + ms;
        if (style === 'sync') {
          blockFor(total);
          throw error;
        }
        if (callback !== undefined) {
          void test.wait(total).then((live) => {
            if (!live) return;
            try {
              callback(error);
            } catch (thrown) {
              rethrowLater(thrown);
            }
          });
          return undefined;
        }
        const failing = test.wait(total).then((live) => (live ? Promise.reject(error) : never()));
        return watchRejection(test, failing, unhandled(`injected by ${source}`));
      }
      if (delay === 0) return original.apply(this, args);
      if (style === 'sync') {
        blockFor(delay);
        return original.apply(this, args);
      }
      const self = this;
      if (!asPromise) {
        void test.wait(delay).then((live) => {
          if (!live) return;
          try {
            original.apply(self, args);
          } catch (thrown) {
            rethrowLater(thrown);
          }
        });
        return undefined;
      }
      const later = test.wait(delay).then((live) => (live ? original.apply(self, args) : never()));
      return watchRejection(test, later, unhandled(`its own failure after ${latencyRule ?? 'a latency'} delayed it`));
    };
  }
}

/** A synchronous method can wait only by blocking the process: refuse a delay longer than that may take. */
function checkSyncDelay(entry: FaultedMethod, state: RuleState<StoreRule>): void {
  if (entry.style !== 'sync') return;
  const { rule } = state;
  if (rule.options.ms.max <= MAX_SYNC_DELAY_MS) return;
  throw new ChaosError(
    'ERR_CHAOS_API',
    `${rule.source} in ${rule.origin} cannot delay ${entry.subject.what} by up to ${rule.options.ms.max} ms: the method is synchronous, and a synchronous call waits by blocking the whole process, which jest-chaos does for at most ${MAX_SYNC_DELAY_MS} ms per call. Use ms=${MAX_SYNC_DELAY_MS} or less, or, if the method returns a promise, ${entry.subject.declarePromise}.`,
  );
}
