import dns from 'node:dns';
import net from 'node:net';
import os from 'node:os';
import type { ConnectCall } from './connect-args';
import { holdConnecting, type RealConnect } from './hold';

interface Address {
  readonly address: string;
  readonly family: number;
}

/** `errno` of a refused connection, negative as libuv reports it (-111 on Linux). */
const ECONNREFUSED = -os.constants.errno.ECONNREFUSED;

/** The error a refused connection gets from Node (`exceptionWithHostPort`), without jest-chaos's frames. */
export function refusedError(address: string, port: number): Error {
  const error = new Error(`connect ECONNREFUSED ${address}:${port}`) as Error & Record<string, unknown>;
  error.errno = ECONNREFUSED;
  error.code = 'ECONNREFUSED';
  error.syscall = 'connect';
  error.address = address;
  error.port = port;
  error.stack = String(error.stack).split('\n')[0];
  return error;
}

/** What Node throws when every address of a name refused (`NodeAggregateError`). */
function aggregateError(errors: Error[]): Error {
  const error = new AggregateError(errors, '') as AggregateError & { code?: unknown };
  error.code = (errors[0] as Error & { code?: unknown }).code;
  error.stack = String(error.stack).split('\n')[0];
  return error;
}

function familyOf(value: unknown): 0 | 4 | 6 {
  if (value === 4 || value === 'IPv4') return 4;
  if (value === 6 || value === 'IPv6') return 6;
  return 0;
}

/** The addresses Node would try, in its order: families alternate, the first family first, no address twice. */
function attemptOrder(addresses: readonly Address[]): Address[] {
  const byFamily: [Address[], Address[]] = [[], []];
  let first: number | undefined;
  const seen = new Set<string>();
  for (const entry of addresses) {
    if (net.isIP(entry.address) === 0 || (entry.family !== 4 && entry.family !== 6) || seen.has(entry.address)) continue;
    seen.add(entry.address);
    first ??= entry.family;
    byFamily[entry.family === first ? 0 : 1].push(entry);
  }
  const order: Address[] = [];
  for (let i = 0; i < Math.max(byFamily[0].length, byFamily[1].length); i++) {
    if (i < byFamily[0].length) order.push(byFamily[0][i]!);
    if (i < byFamily[1].length) order.push(byFamily[1][i]!);
  }
  return order;
}

/**
 * Refuses a connection the way Node reports a closed port (`tcp.down`): the name is looked up with the
 * socket's own lookup and options, `lookup`, `connectionAttempt` and `connectionAttemptFailed` are emitted
 * as Node emits them, and the socket is destroyed with `connect ECONNREFUSED <address>:<port>` (errno,
 * code, syscall, address, port), or with an `AggregateError [ECONNREFUSED]` when Node would have tried
 * several addresses of the name (autoSelectFamily). Nothing is sent anywhere, not even the lookup of an
 * address.
 */
export function refuseConnection(socket: net.Socket, call: ConnectCall, connect: RealConnect): void {
  holdConnecting(socket, call, connect);
  const port = call.port!;
  const { options, host } = call;
  const alive = (): boolean => socket.connecting && !socket.destroyed;
  const fail = (error: Error): void => {
    if (alive()) socket.destroy(error);
  };
  /** Tries the addresses one after the other, as the kernel refuses each. */
  const attempt = (order: readonly Address[], errors: Error[]): void => {
    const [next, ...rest] = order;
    if (next === undefined || !alive()) return;
    socket.emit('connectionAttempt', next.address, port, next.family);
    setImmediate(() => {
      if (!alive()) return;
      const error = refusedError(next.address, port);
      socket.emit('connectionAttemptFailed', next.address, port, next.family, error);
      errors.push(error);
      if (rest.length > 0) attempt(rest, errors);
      else fail(errors.length === 1 ? error : aggregateError(errors));
    });
  };
  const ipFamily = net.isIP(host);
  if (ipFamily !== 0) {
    process.nextTick(() => attempt([{ address: host, family: ipFamily }], []));
    return;
  }
  const family = familyOf(options.family);
  let hints = typeof options.hints === 'number' ? options.hints : 0;
  if (process.platform !== 'win32' && family === 0 && hints === 0) hints = dns.ADDRCONFIG;
  const autoSelect = options.autoSelectFamily ?? net.getDefaultAutoSelectFamily();
  const multiple = family === 0 && options.localAddress === undefined && autoSelect;
  const lookup = (options.lookup ?? dns.lookup) as (host: string, options: object, callback: (...args: unknown[]) => void) => void;
  lookup(host, { family, hints, ...(multiple ? { all: true } : {}) }, (error, address, addressFamily) => {
    if (error) {
      socket.emit('lookup', error, undefined, undefined, host);
      process.nextTick(fail, error as Error);
      return;
    }
    if (!multiple) {
      socket.emit('lookup', null, address, addressFamily, host);
      attempt([{ address: address as string, family: addressFamily as number }], []);
      return;
    }
    const all = address as Address[];
    for (const entry of all) socket.emit('lookup', null, entry.address, entry.family, host);
    attempt(attemptOrder(all), []);
  });
}
