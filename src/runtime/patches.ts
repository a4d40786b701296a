import { ChaosError } from '../errors/chaos-error';
import type { Disposer } from './scope';

const patched = new WeakMap<object, Set<PropertyKey>>();

/**
 * Replaces `target[key]` and returns the disposer that restores the original property descriptor.
 * Patching the same property twice before restoring it is an error, never a silent overwrite.
 */
export function patchProperty<T extends object, K extends keyof T>(target: T, key: K, value: T[K], label: string): Disposer {
  let keys = patched.get(target);
  if (keys === undefined) {
    keys = new Set();
    patched.set(target, keys);
  }
  if (keys.has(key)) {
    throw new ChaosError('ERR_CHAOS_PATCH', `cannot patch ${label} twice: it is already faulted in this test. Give each method one fault at a time (combine options on one rule instead).`);
  }
  const own = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: own?.enumerable ?? false });
  keys.add(key);
  return () => {
    if (own === undefined) delete target[key];
    else Object.defineProperty(target, key, own);
    keys.delete(key);
  };
}

/** True while jest-chaos holds a patch on `target[key]` (used by leak checks). */
export function isPatched(target: object, key: PropertyKey): boolean {
  return patched.get(target)?.has(key) ?? false;
}
