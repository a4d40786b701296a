/** What an http rule's target may be, as error messages list it. */
export const VALID_HTTP_TARGETS =
  'Valid http targets: * (any), a host glob (api.example.com, *.example.com, api.example.com:8443), ' +
  'an origin (https://api.example.com) or a URL glob (https://api.example.com/users/*, api.example.com/users/*)';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const HOST_GLOB = /^(?:[A-Za-z0-9*_-]+(?:\.[A-Za-z0-9*_-]+)*\.?|\[[0-9A-Fa-f:.*]+\])$/;
const PORT = /^\d{1,5}$/;
const SCHEMES = ['http', 'https'];

/**
 * Why `target` cannot be an http rule's target, or undefined when it can. Accepted: `*`, a host glob
 * with an optional port and an optional path glob, or the same behind `http://` or `https://`.
 */
export function httpTargetProblem(target: string): string | undefined {
  if (target === '*') return undefined;
  let rest = target;
  const scheme = SCHEME.exec(target);
  if (scheme !== null) {
    if (!SCHEMES.includes(scheme[1]!.toLowerCase())) return `target "${target}" has the scheme "${scheme[1]}"; http rules see only http and https requests`;
    rest = target.slice(scheme[0].length);
  } else if (/^https?:\/?(?!\/)/i.test(target)) {
    return `target "${target}" is a URL without "//" after its scheme`;
  }
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  if (authority === '') return `target "${target}" has no host`;
  if (authority.includes('@')) return `target "${target}" has a user name ("...@"); a target names a host, not a login`;
  const portAt = authority.lastIndexOf(':');
  const hasPort = portAt !== -1 && (!authority.startsWith('[') || authority[portAt - 1] === ']');
  const host = hasPort ? authority.slice(0, portAt) : authority;
  if (!HOST_GLOB.test(host)) return `target "${target}" has the host "${host}", which is not a host name or glob`;
  if (hasPort) {
    const port = authority.slice(portAt + 1);
    if (!PORT.test(port) || Number(port) < 1 || Number(port) > 65535) return `target "${target}" has the port "${port}", which is not a port from 1 to 65535`;
  }
  return undefined;
}
