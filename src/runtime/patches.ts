import { ChaosError } from '../errors/chaos-error';
import type { Disposer } from './scope';
import { activeTest } from './test-context';

/** Marks jest-chaos's dispatchers, and leads to the value they stand in for. */
const ORIGINAL = Symbol('jest-chaos.original');

type Dispatcher = ((this: unknown, ...args: unknown[]) => unknown) & { [ORIGINAL]: unknown };

/** One patched property: what it held before, and each owner's replacement. */
interface Slot {
  readonly descriptor: PropertyDescriptor | undefined;
  readonly original: unknown;
  readonly layers: Map<object, unknown>;
  readonly installed: unknown;
}

const slots = new WeakMap<object, Map<PropertyKey, Slot>>();

/** The value a property holds without jest-chaos, looking through its dispatchers. */
export function originalOf(value: unknown): unknown {
  let current = value;
  while (typeof current === 'function' && ORIGINAL in current) current = (current as Dispatcher)[ORIGINAL];
  return current;
}

function install(target: object, key: PropertyKey, value: unknown, label: string, enumerable: boolean): void {
  try {
    Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable });
  } catch (error) {
    throw new ChaosError(
      'ERR_CHAOS_PATCH',
      `cannot fault ${label}: the object is frozen, sealed or the property is not configurable (${(error as Error).message}). Fault a method of an object that can be changed, for example the instance your code calls through, or wrap the frozen object in one.`,
    );
  }
}

/**
 * Replaces `target[key]` for one owner (a chaos test) and returns the disposer that takes the owner's
 * replacement away. A method is patched once, by a dispatcher that calls the replacement of the test the
 * call belongs to (see test-context.ts) and the original for every other call, so concurrent tests each
 * see their own faults. When the last owner is gone the original property descriptor is put back, unless
 * something else (a spy) has replaced the dispatcher since: the dispatcher then stays, calling the original.
 * One owner patching the same property twice is an error, never a silent overwrite.
 */
export function patchProperty<T extends object, K extends keyof T>(target: T, key: K, value: T[K], label: string, owner: object): Disposer {
  let keys = slots.get(target);
  if (keys === undefined) {
    keys = new Map();
    slots.set(target, keys);
  }
  let slot = keys.get(key);
  if (slot?.layers.has(owner) === true) {
    throw new ChaosError('ERR_CHAOS_PATCH', `cannot patch ${label} twice: it is already faulted in this test. Give each method one fault at a time (combine options on one rule instead).`);
  }
  if (slot === undefined) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    const original = originalOf(target[key]);
    const layers = new Map<object, unknown>();
    // `arguments`, not a rest parameter: no array is made per call of a method called on every command.
    const dispatcher = function chaosDispatch(this: unknown): unknown {
      const test = activeTest();
      const layer = test === undefined ? undefined : layers.get(test);
      return Reflect.apply((layer ?? original) as Function, this, arguments);
    } as Dispatcher;
    dispatcher[ORIGINAL] = original;
    const installed = typeof original === 'function' ? dispatcher : value;
    install(target, key, installed, label, descriptor?.enumerable ?? false);
    slot = { descriptor, original, layers, installed };
    keys.set(key, slot);
  } else if (typeof slot.original !== 'function') {
    throw new ChaosError('ERR_CHAOS_PATCH', `cannot patch ${label} for two tests at once: it is not a method.`);
  }
  const current = slot;
  current.layers.set(owner, value);
  return () => {
    current.layers.delete(owner);
    if (current.layers.size > 0 || keys.get(key) !== current) return;
    keys.delete(key);
    if ((target as Record<PropertyKey, unknown>)[key] !== current.installed) return;
    if (current.descriptor === undefined) delete target[key];
    else Object.defineProperty(target, key, current.descriptor);
  };
}

/**
 * Replaces `target[key]` for as long as the worker lives (nock's prototypes, its net-connect functions)
 * and returns the disposer that puts the original property descriptor back.
 */
export function replaceProperty(target: object, key: PropertyKey, value: unknown): () => void {
  const own = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: own?.enumerable ?? false });
  return () => {
    if (own === undefined) delete (target as Record<PropertyKey, unknown>)[key];
    else Object.defineProperty(target, key, own);
  };
}
