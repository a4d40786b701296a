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

export function compileTarget(target: string): UrlMatcher {
  if (target === '*') return () => true;
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target);
  if (schemeMatch === null) {
    // A host (or host:port) glob, optionally followed by a path glob: http and https alike.
    const slash = target.indexOf('/');
    const hostPart = slash === -1 ? target : target.slice(0, slash);
    const pathGlob = slash === -1 || target.slice(slash) === '/' ? undefined : target.slice(slash);
    const portAt = hostPart.lastIndexOf(':');
    const bracketed = hostPart.startsWith('[');
    const hasPort = portAt !== -1 && (!bracketed || hostPart[portAt - 1] === ']');
    const host = globToRegExp(hasPort ? hostPart.slice(0, portAt) : hostPart);
    const port = hasPort ? hostPart.slice(portAt + 1) : undefined;
    const onHost = (url: URL): boolean => host.test(url.hostname) && (port === undefined || portOf(url) === port);
    if (pathGlob === undefined) return onHost;
    const withQuery = pathGlob.includes('?');
    const path = globToRegExp(pathGlob);
    return (url) => onHost(url) && path.test(withQuery ? `${url.pathname}${url.search}` : url.pathname);
  }
  const afterScheme = target.slice(schemeMatch[0].length);
  const slash = afterScheme.indexOf('/');
  if (slash === -1 || afterScheme.slice(slash) === '/') {
    // An origin: protocol, host and port must match; any path.
    const origin = new URL(target.endsWith('/') ? target : `${target}/`);
    const host = globToRegExp(origin.hostname);
    return (url) => url.protocol === origin.protocol && host.test(url.hostname) && portOf(url) === portOf(origin);
  }
  // A URL glob, matched against origin + path (the query string is ignored unless the glob has one).
  const withQuery = target.includes('?');
  const pattern = globToRegExp(target);
  return (url) => {
    const base = `${url.protocol}//${url.host}${url.pathname}`;
    return pattern.test(withQuery ? `${base}${url.search}` : base);
  };
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|\[?::ffff:127(?:\.\d{1,3}){3}\]?)$/i;

export function isLoopback(hostname: string): boolean {
  return LOOPBACK.test(hostname) || hostname.endsWith('.localhost');
}
