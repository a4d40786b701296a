/**
 * Turns a thrown value into a plain, comparable description of its shape: class, prototype chain,
 * own keys, the identifying fields drivers set, and `cause` / AggregateError `errors[]` one level down.
 * Values that change between runs (closed ports, connection ids) are replaced by `<port>` / `<id>`.
 */
import { types } from 'node:util';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Literals that differ between runs, replaced when a shape is recorded. */
export interface Volatile {
  readonly ports: readonly number[];
  readonly ids: readonly (number | string)[];
}

export const NO_VOLATILE: Volatile = { ports: [], ids: [] };

export interface ErrorShape {
  /** `constructor.name`. */
  class: string;
  /** Constructor names from the value up to (not including) `Object`, e.g. `["ReplyError", "RedisError", "Error"]`. */
  chain: string[];
  /** `util.types.isNativeError`: true for any Error created by a constructor that extends Error, in any realm. */
  nativeError: boolean;
  /** Own property names except `stack`, sorted. */
  keys: string[];
  name: string;
  message: string;
  code?: Json;
  errno?: Json;
  syscall?: Json;
  address?: Json;
  port?: Json;
  severity?: Json;
  sqlState?: Json;
  sqlMessage?: Json;
  fatal?: Json;
  /** Other identifying fields when present (mysql2 `errorno`, pg `detail`/`hint`/`position`, ioredis `command`, ...). */
  extra?: { [key: string]: Json };
  cause?: ErrorShape | Json;
  errors?: (ErrorShape | Json)[];
}

const TOP_FIELDS = ['code', 'errno', 'syscall', 'address', 'port', 'severity', 'sqlState', 'sqlMessage', 'fatal'] as const;

/**
 * Further fields kept by value when present. pg's `file`, `line`, `routine` and `length` depend on the
 * server build and are only listed in `keys`.
 */
const EXTRA_FIELDS = [
  'errorno',
  'sql',
  'detail',
  'hint',
  'position',
  'where',
  'schema',
  'table',
  'column',
  'constraint',
  'command',
  'previousErrors',
  'originalError',
  'socketError',
  'replies',
  'errorIndexes',
  'reason',
] as const;

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function read(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function constructorName(value: object): string {
  const ctor = read(value, 'constructor');
  if (typeof ctor === 'function' && ctor.name !== '') return ctor.name;
  return Object.prototype.toString.call(value).slice(8, -1);
}

function prototypeChain(value: object): string[] {
  const names: string[] = [];
  let proto: object | null = Object.getPrototypeOf(value) as object | null;
  while (proto !== null && proto !== Object.prototype && names.length < 10) {
    // Node's net errors sit on a hidden prototype whose `constructor` is a getter returning Error: skipped.
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (descriptor !== undefined && 'value' in descriptor) {
      const ctor: unknown = descriptor.value;
      const name = typeof ctor === 'function' ? ctor.name : '?';
      if (name === 'Object') break;
      names.push(name);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return names;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function normaliseString(text: string, volatile: Volatile): string {
  let out = text;
  for (const port of volatile.ports) {
    out = out.replace(new RegExp(`(?<![\\d.])${port}(?!\\d)`, 'g'), '<port>');
  }
  for (const id of volatile.ids) {
    // Only where the text names it as an id, so small ids never hit unrelated numbers.
    const pattern = new RegExp(`(\\b(?:id|ID|Id|pid|PID|thread|connection|process|backend)\\s*[:=#]?\\s*)${escapeRegExp(String(id))}(?![\\w])`, 'g');
    out = out.replace(pattern, '$1<id>');
  }
  return out;
}

/** A plain JSON rendering of a non-error value, volatile literals replaced. */
export function toJson(value: unknown, volatile: Volatile = NO_VOLATILE, depth = 0): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return normaliseString(value, volatile);
  if (typeof value === 'number') {
    if (volatile.ports.includes(value)) return '<port>';
    return Number.isFinite(value) ? value : String(value);
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || typeof value === 'function') return `[${typeof value}]`;
  if (Buffer.isBuffer(value)) return `Buffer<${value.toString('utf8')}>`;
  if (types.isDate(value)) return '[Date]';
  if (depth > 6) return '[…]';
  if (Array.isArray(value)) return value.map((item: unknown) => toJson(item, volatile, depth + 1));
  if (isErrorLike(value)) return plainJson(errorShape(value, volatile, depth + 1));
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value)) out[key] = toJson(read(value, key), volatile, depth + 1);
  return out;
}

/** A record of shapes as plain JSON (absent optional fields dropped). */
export function plainJson(value: object): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

function describe(value: unknown, volatile: Volatile, depth: number): ErrorShape | Json {
  return isErrorLike(value) ? errorShape(value, volatile, depth) : toJson(value, volatile, depth);
}

function isErrorLike(value: unknown): value is object {
  if (!isObject(value)) return false;
  return types.isNativeError(value) || (typeof read(value, 'message') === 'string' && typeof read(value, 'stack') === 'string');
}

/** The shape of a thrown value. Non-error values are described with `class` set to their type. */
export function errorShape(value: unknown, volatile: Volatile = NO_VOLATILE, depth = 0): ErrorShape {
  if (!isObject(value)) {
    return { class: typeof value, chain: [], nativeError: false, keys: [], name: '', message: String(value) };
  }
  const shape: ErrorShape = {
    class: constructorName(value),
    chain: prototypeChain(value),
    nativeError: types.isNativeError(value),
    keys: Object.getOwnPropertyNames(value)
      .filter((key) => key !== 'stack')
      .sort(),
    name: normaliseString(String(read(value, 'name') ?? ''), volatile),
    message: normaliseString(String(read(value, 'message') ?? ''), volatile),
  };
  for (const field of TOP_FIELDS) {
    const fieldValue = read(value, field);
    if (fieldValue !== undefined) shape[field] = toJson(fieldValue, volatile, depth + 1);
  }
  const extra: { [key: string]: Json } = {};
  for (const field of EXTRA_FIELDS) {
    const fieldValue = read(value, field);
    if (fieldValue !== undefined) extra[field] = toJson(fieldValue, volatile, depth + 1);
  }
  if (Object.keys(extra).length > 0) shape.extra = extra;
  if (depth > 0) return shape;
  const cause = read(value, 'cause');
  if (cause !== undefined) shape.cause = describe(cause, volatile, depth + 1);
  const errors = read(value, 'errors');
  if (Array.isArray(errors)) shape.errors = errors.map((item: unknown) => describe(item, volatile, depth + 1));
  return shape;
}
