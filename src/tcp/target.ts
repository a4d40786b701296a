import { isLoopback } from '../http/target';

/** What a tcp rule's target matches: a host (or any host) and one port. */
export interface TcpTarget {
  /** Whether a host given to `connect` (a name or an address, as the client gave it) is this target's. */
  readonly matchesHost: (host: string) => boolean;
  readonly port: number;
}

export const VALID_TCP_TARGETS =
  'Valid tcp targets: host:port or *:port, e.g. 127.0.0.1:6379, localhost:5432, db.internal:5432, *.internal:5432, [::1]:4222 or *:5672 (any host, loopback included)';

/** Host names, IPv4 addresses and their `*` globs. */
const HOST_GLOB = /^[a-z0-9_*](?:[a-z0-9_*.-]*[a-z0-9_*])?$/i;

function splitTarget(text: string): { host: string; port: string } | string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const rest = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');
    return `target "${text}" is a URL; tcp rules name host:port without a scheme (${rest})`;
  }
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) return `target "${text}" opens "[" for an IPv6 address and never closes it`;
    if (text[close + 1] !== ':') return `target "${text}" names no port`;
    return { host: text.slice(1, close), port: text.slice(close + 2) };
  }
  const colon = text.lastIndexOf(':');
  if (colon === -1) return text === '*' ? `target "*" names no port; a tcp rule faults the connections to one port (*:5432 is every host on port 5432)` : `target "${text}" names no port (${text}:<port>)`;
  if (text.indexOf(':') !== colon) return `target "${text}" looks like an IPv6 address without brackets ([${text.slice(0, colon)}]:${text.slice(colon + 1)})`;
  return { host: text.slice(0, colon), port: text.slice(colon + 1) };
}

/** Why a tcp target is not valid, or undefined when it is. */
export function tcpTargetProblem(text: string): string | undefined {
  const parts = splitTarget(text);
  if (typeof parts === 'string') return parts;
  const { host, port } = parts;
  if (host === '') return `target "${text}" names no host (*:${port} is every host)`;
  if (!/^\d+$/.test(port)) return port === '' ? `target "${text}" names no port` : `the port of target "${text}" is not a number`;
  const number = Number(port);
  if (number < 1 || number > 65535) return `the port of target "${text}" is out of range (1 to 65535)`;
  if (text.startsWith('[')) return /^[0-9a-f:.]+$/i.test(host) ? undefined : `target "${text}" has "${host}" in brackets, which is not an IPv6 address`;
  return HOST_GLOB.test(host) ? undefined : `target "${text}" has the host "${host}", which is not a host name, an address or a * glob`;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
}

/** A host as `connect` gets it, compared as text: lower case, no brackets, no trailing dot. */
export function normalHost(host: string): string {
  let normal = host.toLowerCase();
  if (normal.startsWith('[') && normal.endsWith(']')) normal = normal.slice(1, -1);
  return normal.endsWith('.') ? normal.slice(0, -1) : normal;
}

/**
 * Compiles a valid tcp target (see tcpTargetProblem). `*` is every host, loopback included: the target
 * names a port. A loopback host (`127.0.0.1`, `localhost`, `::1`) matches every spelling of loopback, so
 * `127.0.0.1:6379` faults a client that connects to `localhost:6379`: jest-chaos decides before the name
 * is looked up. Any other host matches the host the client gave, as text (a name is not resolved).
 */
export function compileTcpTarget(text: string): TcpTarget {
  const parts = splitTarget(text);
  if (typeof parts === 'string') throw new Error(parts);
  const port = Number(parts.port);
  const host = normalHost(parts.host);
  if (host === '*') return { port, matchesHost: () => true };
  if (!host.includes('*') && isLoopback(host)) return { port, matchesHost: (given) => isLoopback(normalHost(given)) };
  const pattern = globToRegExp(host);
  return { port, matchesHost: (given) => pattern.test(normalHost(given)) };
}
