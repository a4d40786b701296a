import { normalHost } from './target';

/** Whether a connection to host:port is allowed out of the machine. */
export type SocketAllow = (host: string, port: number) => boolean;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
}

/**
 * Reads one `allowNetConnect` entry (a host glob, `host:port`, an origin or a URL glob, as the HTTP guard
 * takes them) as the sockets it allows: its host, on its port; an origin without a port allows its scheme's
 * default port; a host without a port allows every port. A path says nothing about a socket and is ignored.
 */
export function compileSocketAllow(entry: string): SocketAllow {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(entry);
  const authority = (scheme === null ? entry : entry.slice(scheme[0].length)).replace(/[/?#].*$/, '');
  let hostGlob = authority;
  let port: number | undefined;
  const bracket = authority.startsWith('[') ? authority.indexOf(']') : -1;
  const colon = authority.lastIndexOf(':');
  if (bracket !== -1) {
    hostGlob = authority.slice(1, bracket);
    if (authority[bracket + 1] === ':') port = Number(authority.slice(bracket + 2));
  } else if (colon !== -1 && authority.indexOf(':') === colon) {
    hostGlob = authority.slice(0, colon);
    port = Number(authority.slice(colon + 1));
  }
  if (port === undefined && scheme !== null) port = DEFAULT_PORTS[scheme[1]!.toLowerCase()];
  const host = globToRegExp(normalHost(hostGlob));
  return (given, givenPort) => host.test(normalHost(given)) && (port === undefined || Number.isNaN(port) || port === givenPort);
}
