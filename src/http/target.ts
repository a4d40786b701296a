/** Compiled matcher for an http rule's target: `*`, a host glob, an origin, or a URL glob. */
export type UrlMatcher = (url: URL) => boolean;

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function portOf(url: URL): string {
  return url.port || DEFAULT_PORTS[url.protocol] || '';
}

/** A host pattern that names no host: `*`, or only `*` and `.` (`*.*`). */
const ANY_HOST = /^[*.]+$/;

/** Leaves loopback hosts out of a matcher whose target names neither a host nor a port. */
function upstreamOnly(matcher: UrlMatcher): UrlMatcher {
  return (url) => !isLoopback(url.hostname) && matcher(url);
}

/**
 * Compiles an http rule's target. `*` means every upstream, not the code under test: a target whose host
 * is `*` (or only `*` and `.`) and that gives no port never matches a loopback host (see isLoopback), so
 * `http.refused *` leaves a local app under supertest or fetch alone. A target that names a host
 * (`127.0.0.1`, `localhost`, `*.localhost`) or a port (`*:3000`) matches loopback too.
 */
export function compileTarget(target: string): UrlMatcher {
  if (target === '*') return (url) => !isLoopback(url.hostname);
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target);
  if (schemeMatch === null) {
    // A host (or host:port) glob, optionally followed by a path glob: http and https alike.
    const slash = target.indexOf('/');
    const hostPart = slash === -1 ? target : target.slice(0, slash);
    const pathGlob = slash === -1 || target.slice(slash) === '/' ? undefined : target.slice(slash);
    const portAt = hostPart.lastIndexOf(':');
    const bracketed = hostPart.startsWith('[');
    const hasPort = portAt !== -1 && (!bracketed || hostPart[portAt - 1] === ']');
    const hostGlob = hasPort ? hostPart.slice(0, portAt) : hostPart;
    const host = globToRegExp(hostGlob);
    const port = hasPort ? hostPart.slice(portAt + 1) : undefined;
    const onHost = (url: URL): boolean => host.test(url.hostname) && (port === undefined || portOf(url) === port);
    const withQuery = pathGlob?.includes('?') === true;
    const path = pathGlob === undefined ? undefined : globToRegExp(pathGlob);
    const matcher: UrlMatcher = path === undefined ? onHost : (url) => onHost(url) && path.test(withQuery ? `${url.pathname}${url.search}` : url.pathname);
    return ANY_HOST.test(hostGlob) && port === undefined ? upstreamOnly(matcher) : matcher;
  }
  const authority = /^[^/?#]*/.exec(target.slice(schemeMatch[0].length))![0];
  const anyHost = ANY_HOST.test(authority);
  const afterScheme = target.slice(schemeMatch[0].length);
  const slash = afterScheme.indexOf('/');
  if (slash === -1 || afterScheme.slice(slash) === '/') {
    // An origin: protocol, host and port must match; any path.
    const origin = new URL(target.endsWith('/') ? target : `${target}/`);
    const host = globToRegExp(origin.hostname);
    const matcher: UrlMatcher = (url) => url.protocol === origin.protocol && host.test(url.hostname) && portOf(url) === portOf(origin);
    return anyHost ? upstreamOnly(matcher) : matcher;
  }
  // A URL glob, matched against origin + path (the query string is ignored unless the glob has one).
  const withQuery = target.includes('?');
  const pattern = globToRegExp(target);
  const matcher: UrlMatcher = (url) => {
    const base = `${url.protocol}//${url.host}${url.pathname}`;
    return pattern.test(withQuery ? `${base}${url.search}` : base);
  };
  return anyHost ? upstreamOnly(matcher) : matcher;
}

const LOOPBACK_V4 = /^127(?:\.\d{1,3}){3}$/;
/** IPv4-mapped IPv6 forms of 127.0.0.0/8 and 0.0.0.0, as written and as URL normalises them (`::ffff:7f00:1`). */
const MAPPED_LOOPBACK = /^::ffff:(?:127(?:\.\d{1,3}){3}|7f[0-9a-f]{2}:[0-9a-f]{1,4}|0\.0\.0\.0|0:0)$/;

/**
 * Whether a host (a URL's `hostname`: IPv6 in brackets) is this machine: `localhost` and `*.localhost`,
 * 127.0.0.0/8, `::1`, their IPv4-mapped forms, and the unspecified addresses `0.0.0.0` and `::`, which a
 * client connects to on this machine.
 */
export function isLoopback(hostname: string): boolean {
  let host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '0.0.0.0' || host === '::' || host === '::1' || LOOPBACK_V4.test(host)) return true;
  return MAPPED_LOOPBACK.test(host);
}
