/**
 * Normalises what an HTTP client reports on failure so that injected faults can be
 * compared with real ones. Works across realms (Jest runs tests in their own
 * realm, Node core errors come from the outer one), so nothing here uses `instanceof`.
 */

/** The fields of one error object (the top level or its `cause`). */
export interface ErrorFields {
  /** `error.name`. */
  readonly name: string | undefined;
  /** `error.constructor.name`; differs from `name` for e.g. DOMException ('TimeoutError'). */
  readonly constructorName: string | undefined;
  readonly message: string | undefined;
  /** `message` with port numbers replaced by `<port>`. */
  readonly messagePattern: string | undefined;
  /** A string for Node and client errors, a number for DOMException (e.g. 23 for TimeoutError). */
  readonly code: string | number | undefined;
  readonly errno: number | string | undefined;
  readonly syscall: string | undefined;
  readonly address: string | undefined;
  readonly port: number | undefined;
  readonly hostname: string | undefined;
}

export interface ErrorShape extends ErrorFields {
  /** The fields of `error.cause`, one level deep; undefined when there is no cause. */
  readonly cause: ErrorFields | undefined;
}

/** The fields that stay the same between two runs of the same failure. */
export type ComparableFields = Omit<ErrorFields, 'message' | 'port'>;

export interface ComparableShape extends ComparableFields {
  readonly cause: ComparableFields | undefined;
}

type Bag = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Bag {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

function stringField(bag: Bag, key: string): string | undefined {
  const value = bag[key];
  return typeof value === 'string' ? value : undefined;
}

function numberField(bag: Bag, key: string): number | undefined {
  const value = bag[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d{1,5}$/.test(value)) return Number(value);
  return undefined;
}

function codeField(bag: Bag, key: string): string | number | undefined {
  const value = bag[key];
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

function constructorNameOf(value: Bag): string | undefined {
  const ctor = value.constructor;
  return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : undefined;
}

/**
 * Replaces port numbers in a message with `<port>`: every `host:1234` form, and any
 * whole-word occurrence of the given known ports.
 */
export function portPattern(message: string, knownPorts: readonly number[] = []): string {
  let out = message.replace(/(?<=[\w\]]):\d{1,5}\b/g, ':<port>');
  for (const port of knownPorts) out = out.replace(new RegExp(`\\b${port}\\b`, 'g'), '<port>');
  return out;
}

function fieldsOf(value: unknown, extraPorts: readonly number[]): ErrorFields {
  if (!isObject(value)) {
    const message = value === undefined ? undefined : String(value);
    return {
      name: undefined,
      constructorName: undefined,
      message,
      messagePattern: message === undefined ? undefined : portPattern(message, extraPorts),
      code: undefined,
      errno: undefined,
      syscall: undefined,
      address: undefined,
      port: undefined,
      hostname: undefined,
    };
  }
  const port = numberField(value, 'port');
  const message = stringField(value, 'message');
  const ports = port === undefined ? extraPorts : [port, ...extraPorts];
  return {
    name: stringField(value, 'name'),
    constructorName: constructorNameOf(value),
    message,
    messagePattern: message === undefined ? undefined : portPattern(message, ports),
    code: codeField(value, 'code'),
    errno: codeField(value, 'errno'),
    syscall: stringField(value, 'syscall'),
    address: stringField(value, 'address'),
    port,
    hostname: stringField(value, 'hostname'),
  };
}

/** The normalised shape of a thrown or emitted value (any value, not only Errors). */
export function shapeOf(error: unknown): ErrorShape {
  const rawCause = isObject(error) && 'cause' in error ? error.cause : undefined;
  const causePort = isObject(rawCause) ? numberField(rawCause, 'port') : undefined;
  const ownPort = isObject(error) ? numberField(error, 'port') : undefined;
  // A port seen on either level is masked in both messages.
  const top = fieldsOf(error, causePort === undefined ? [] : [causePort]);
  const cause = rawCause === undefined ? undefined : fieldsOf(rawCause, ownPort === undefined ? [] : [ownPort]);
  return { ...top, cause };
}

function comparableFields(fields: ErrorFields): ComparableFields {
  return {
    name: fields.name,
    constructorName: fields.constructorName,
    messagePattern: fields.messagePattern,
    code: fields.code,
    errno: fields.errno,
    syscall: fields.syscall,
    address: fields.address,
    hostname: fields.hostname,
  };
}

/** Drops what legitimately varies between runs (exact message with its port, the port itself). */
export function comparableShape(shape: ErrorShape): ComparableShape {
  return { ...comparableFields(shape), cause: shape.cause === undefined ? undefined : comparableFields(shape.cause) };
}
