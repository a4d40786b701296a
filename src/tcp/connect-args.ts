import type { LookupFunction } from 'node:net';

/** The options of `socket.connect()` that jest-chaos reads; the rest is passed on as given. */
export interface ConnectOptions {
  readonly host?: string;
  readonly port?: number | string;
  readonly path?: string;
  readonly family?: number | string;
  readonly hints?: number;
  readonly lookup?: LookupFunction;
  readonly localAddress?: string;
  readonly autoSelectFamily?: boolean;
  readonly [key: string]: unknown;
}

/** One call of `socket.connect(...)`, read the way Node reads it. */
export interface ConnectCall {
  readonly options: ConnectOptions;
  readonly callback: (() => void) | undefined;
  /** The TCP port, or undefined for an IPC path or a port Node will reject itself. */
  readonly port: number | undefined;
  /** The host as the client gave it (`localhost` when it gave none). */
  readonly host: string;
}

function isNormalized(value: unknown): value is [ConnectOptions, (() => void) | null] {
  return Array.isArray(value) && Object.getOwnPropertySymbols(value).some((symbol) => symbol.description === 'normalizedArgs');
}

/**
 * Reads the arguments of `net.Socket.prototype.connect`: the array that `net.connect()` and
 * `tls.connect()` normalise, `(options[, cb])`, `(port[, host][, cb])` or `(path[, cb])`.
 */
export function readConnectArgs(args: readonly unknown[]): ConnectCall {
  let options: ConnectOptions;
  let callback: unknown;
  const [first] = args;
  if (isNormalized(first)) {
    options = first[0] ?? {};
    callback = first[1];
  } else if (typeof first === 'object' && first !== null) {
    options = first as ConnectOptions;
    callback = args[1];
  } else if (typeof first === 'string' && !/^\d+$/.test(first)) {
    options = { path: first };
    callback = args[1];
  } else {
    const host = typeof args[1] === 'string' ? args[1] : undefined;
    options = host === undefined ? { port: first as number } : { port: first as number, host };
    callback = args.find((arg, index) => index > 0 && typeof arg === 'function');
  }
  const raw = options.path === undefined ? options.port : undefined;
  const port = typeof raw === 'number' || (typeof raw === 'string' && /^\d+$/.test(raw)) ? Number(raw) : undefined;
  const host = typeof options.host === 'string' && options.host !== '' ? options.host : 'localhost';
  return { options, callback: typeof callback === 'function' ? (callback as () => void) : undefined, port: port !== undefined && port >= 0 && port <= 65535 ? port : undefined, host };
}
