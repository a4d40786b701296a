import type { StoreKind, StoreRule } from '../rules/types';
import type { RuleState } from '../runtime/rule-state';
import type { TestChaos } from '../runtime/test-chaos';
import { originalOf, patchProperty } from '../runtime/patches';
import { genericStoreError } from './store-errors';

/** How a method reports failure: by throwing, by rejecting, or through a Node-style callback. */
export type CallStyle = 'auto' | 'sync' | 'promise' | 'callback';

/** The error a fired rule produces for one call (a driver adapter can shape it per driver). */
export type ErrorFactory = (kind: Exclude<StoreKind, 'latency'>, call: string) => unknown;

interface FaultedMethod {
  readonly states: RuleState<StoreRule>[];
  readonly makeError: ErrorFactory;
}

function isAsyncFunction(fn: Function): boolean {
  return fn.constructor?.name === 'AsyncFunction';
}

/** Faults one method of one object for the rest of a test; the patch is undone when the test ends. */
export class MethodFaults {
  private readonly faulted = new Map<object, Map<string, FaultedMethod>>();

  constructor(private readonly test: TestChaos) {}

  add(object: object, method: string, label: string, state: RuleState<StoreRule>, style: CallStyle, makeError: ErrorFactory = (kind, call) => genericStoreError(kind, call)): void {
    let methods = this.faulted.get(object);
    if (methods === undefined) {
      methods = new Map();
      this.faulted.set(object, methods);
    }
    const existing = methods.get(method);
    if (existing !== undefined) {
      existing.states.push(state);
      return;
    }
    const entry: FaultedMethod = { states: [state], makeError };
    methods.set(method, entry);
    const original = originalOf((object as Record<string, unknown>)[method]);
    if (typeof original !== 'function') throw new TypeError(`jest-chaos: ${label}.${method} is not a function`);
    const wrapped = this.wrap(original, entry, `${label}.${method}`, style);
    this.test.disposers.add(patchProperty(object as Record<string, unknown>, method, wrapped, `${label}.${method}`, this.test));
    this.test.disposers.add(() => void methods.delete(method));
  }

  private wrap(original: Function, entry: FaultedMethod, call: string, style: CallStyle): Function {
    const test = this.test;
    return function chaosFaulted(this: unknown, ...args: unknown[]): unknown {
      const callback = typeof args[args.length - 1] === 'function' ? (args[args.length - 1] as (error: unknown) => void) : undefined;
      const effective: CallStyle = style !== 'auto' ? style : callback !== undefined ? 'callback' : isAsyncFunction(original) ? 'promise' : 'promise';
      let delay = 0;
      for (const state of entry.states) {
        if (!state.fires()) continue;
        const { kind } = state.rule;
        const ms = state.delay();
        test.record(state, call, ms === 0 ? undefined : ms);
        if (kind === 'latency') {
          delay += ms;
          continue;
        }
        const error = entry.makeError(kind, call);
        if (effective === 'sync') throw error;
        const fail = async (): Promise<never> => {
          await test.wait(delay + ms);
          throw error;
        };
        if (effective === 'callback') {
          fail().catch((reason: unknown) => callback!(reason));
          return undefined;
        }
        return fail();
      }
      if (delay === 0 || effective === 'sync') return original.apply(this, args);
      const self = this;
      const later = test.wait(delay).then(() => original.apply(self, args));
      return effective === 'callback' ? undefined : later;
    };
  }
}
