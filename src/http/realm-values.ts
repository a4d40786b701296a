import { replaceProperty } from '../runtime/patches';
/**
 * A test file runs in its own vm context, but the nock it gets is the worker's (so that jest-chaos and the
 * test drive the same instance). nock tells patterns from strings with `instanceof RegExp`, which is false
 * for a RegExp created in the test's context: `nock(host).get(/items/)` would never match. These helpers
 * rebuild such patterns in nock's context at the API's entry points.
 */

function isForeignRegExp(value: unknown): value is RegExp {
  return typeof value === 'object' && value !== null && !(value instanceof RegExp) && Object.prototype.toString.call(value) === '[object RegExp]';
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null) return true;
  return Object.getPrototypeOf(proto) === null && (proto as { constructor?: { name?: string } }).constructor?.name === 'Object';
}

/** `value` with every RegExp from another context, at any depth of plain objects and arrays, rebuilt here. */
export function localRegExps<T>(value: T, depth = 0): T {
  if (isForeignRegExp(value)) return new RegExp(value.source, value.flags) as T;
  if (depth > 8 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const mapped = value.map((item: unknown) => localRegExps(item, depth + 1));
    return (mapped.some((item, i) => item !== value[i]) ? mapped : value) as T;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const mapped = localRegExps(item, depth + 1);
    if (mapped === item) continue;
    copy ??= { ...(value as Record<string, unknown>) };
    copy[key] = mapped;
  }
  return (copy ?? value) as T;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Makes `proto[name]` rebuild foreign patterns in its arguments before nock sees them (once per
 * prototype). Each replacement's disposer goes to `undo`.
 */
export function localizeArguments(proto: Record<string, unknown>, names: readonly string[], undo: (() => void)[]): void {
  for (const name of names) {
    const original = proto[name];
    if (typeof original !== 'function' || (original as { localized?: boolean }).localized === true) continue;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      return (original as Method).apply(this, args.map((arg) => localRegExps(arg)));
    };
    Object.defineProperty(wrapped, 'localized', { value: true });
    Object.defineProperty(wrapped, 'name', { value: name });
    undo.push(replaceProperty(proto, name, wrapped));
  }
}
