import { captureDeep, headerOnly, withoutInjectionFrames } from '../errors/stack';

/**
 * Errors shaped like the ones Node's http stack and undici (native fetch) raise for real network failures.
 * They are created in the environment's realm, as the real ones are (Node creates them outside the test's vm context),
 * and their stacks have the real ones' shape: no frame of jest-chaos or of the interception layer.
 */
export interface Endpoint {
  readonly hostname: string;
  readonly address: string;
  readonly port: number;
}

const ERRNO: Record<string, number> = { ECONNREFUSED: -111, ETIMEDOUT: -110, ENOTFOUND: -3008, ECONNRESET: -104 };

type SystemError = Error & { errno?: number; code: string; syscall?: string; address?: string; port?: number; hostname?: string };

/** Node raises these from the event loop: their frames are all Node's own, which Jest does not print. */
function systemError(message: string, fields: Omit<SystemError, 'name' | 'message'>): SystemError {
  return headerOnly(Object.assign(new Error(message), fields));
}

export function endpointOf(url: URL): Endpoint {
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const address = hostname === 'localhost' ? '127.0.0.1' : hostname;
  return { hostname, address, port };
}

export function connectionRefused({ address, port }: Endpoint): SystemError {
  return systemError(`connect ECONNREFUSED ${address}:${port}`, { errno: ERRNO.ECONNREFUSED, code: 'ECONNREFUSED', syscall: 'connect', address, port });
}

export function connectTimedOut({ address, port }: Endpoint): SystemError {
  return systemError(`connect ETIMEDOUT ${address}:${port}`, { errno: ERRNO.ETIMEDOUT, code: 'ETIMEDOUT', syscall: 'connect', address, port });
}

export function hostNotFound({ hostname }: Endpoint): SystemError {
  return systemError(`getaddrinfo ENOTFOUND ${hostname}`, { errno: ERRNO.ENOTFOUND, code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname });
}

/** What a reset (RST) connection raises, in http and as the cause of fetch's failure alike. */
export function connectionReset(): SystemError {
  return systemError('read ECONNRESET', { errno: ERRNO.ECONNRESET, code: 'ECONNRESET', syscall: 'read' });
}

/** undici's error classes, by name and code, for the causes of `TypeError: fetch failed`. */
class UndiciError extends Error {
  constructor(name: string, message: string, readonly code: string) {
    super(message);
    this.name = name;
  }
}
class ConnectTimeoutError extends UndiciError {}

/** undici raises it from its own code, whose frames Jest does not print either. */
export function undiciConnectTimeout({ hostname, port }: Endpoint): Error {
  return headerOnly(new ConnectTimeoutError('ConnectTimeoutError', `Connect Timeout Error (attempted address: ${hostname}:${port}, timeout: 10000ms)`, 'UND_ERR_CONNECT_TIMEOUT'));
}

/**
 * Native fetch rejects every network failure with this, the real reason in `cause`. Its stack leads to
 * the code that called fetch, as undici's does: made while that code is on the stack, it keeps its frames.
 */
export function fetchFailed(cause: Error): TypeError {
  const error = new TypeError('fetch failed', { cause });
  captureDeep(error, fetchFailed);
  error.stack = withoutInjectionFrames(error.stack ?? '');
  return error;
}
