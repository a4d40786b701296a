/**
 * Which dependency a fault hit, a rule names or a refused request went to: the rows of the HTML
 * report's dependency x fault-kind matrix.
 */

/** The drivers that jest-chaos patches without registration (src/adapters). */
const DRIVERS = new Set(['pg', 'mysql2', 'ioredis', 'redis']);

export type DependencyType = 'host' | 'driver' | 'seam' | 'socket';

export interface Dependency {
  readonly type: DependencyType;
  /** `http`, `db`, `cache`, or the domain of a newer fault family. */
  readonly domain: string;
  readonly name: string;
}

/** `host[:port]` of a URL (the port only when the URL names one), or undefined when it is not a URL. */
export function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.host === '' ? undefined : parsed.host;
  } catch {
    return undefined;
  }
}

/** The dependency a recorded call belongs to: `GET https://host/x` → host, `pg query` → pg, `db orders.find` → orders. */
export function callTarget(domain: string, call: string): Dependency {
  const [first = '', ...rest] = call.split(' ');
  if (domain === 'http') return { type: 'host', domain, name: hostOf(rest.join(' ')) ?? hostOf(call) ?? (rest[0] ?? first) };
  if (domain === 'db' || domain === 'cache') {
    if (DRIVERS.has(first)) return { type: 'driver', domain, name: first };
    // A registered seam's calls read `<domain> <name>.<method>`; a stubbed object's `<Class>.<method>`.
    const seamCall = (first === 'db' || first === 'cache') && rest.length > 0 ? rest.join(' ') : call;
    const dot = seamCall.lastIndexOf('.');
    return { type: 'seam', domain, name: dot > 0 ? seamCall.slice(0, dot) : seamCall };
  }
  // A socket's call names its `host:port` somewhere (`connect 127.0.0.1:5672`, `127.0.0.1:5672 write`).
  const endpoint = call.split(' ').find((word) => /^(?:\[[^\]]+\]|[^:\s]+):\d+$/.test(word));
  return { type: 'socket', domain, name: endpoint ?? first };
}

/** The domain, kind and target of a rule's text (`http.refused api.example.com p=0.5`); undefined for what is not a rule. */
export function ruleParts(source: string): { domain: string; kind: string; target: string } | undefined {
  const match = /^([a-z]+)\.([a-z-]+)(?:\s+(\S+))?/.exec(source.trim());
  if (match === null) return undefined;
  const [, domain = '', kind = '', third] = match;
  // A rule without a target (`http.refused`, `db.down p=0.5`) targets every dependency of its domain.
  const target = third === undefined || /^[a-zA-Z]+=/.test(third) ? '*' : third;
  return { domain, kind, target };
}

/** The dependency a rule names, or undefined for `*` (every dependency of the domain). */
export function ruleTarget(source: string): (Dependency & { kind: string }) | undefined {
  const parts = ruleParts(source);
  if (parts === undefined || /^[*.]+$/.test(parts.target)) return undefined;
  const { domain, kind, target } = parts;
  if (domain === 'http') {
    const withScheme = /^[a-z]+:\/\//i.test(target) ? target : `http://${target}`;
    const host = hostOf(withScheme.replace(/\*/g, 'x-any-x'))?.replace(/x-any-x/g, '*');
    return { type: 'host', domain, kind, name: host ?? target };
  }
  if (domain === 'db' || domain === 'cache') return { type: DRIVERS.has(target) ? 'driver' : 'seam', domain, kind, name: target };
  return { type: 'socket', domain, kind, name: target };
}

/** The dependency a test's `called` entry names; a host without its port (`https://api.example.com:443` → `api.example.com`). */
export function calledTarget(entry: { readonly type: DependencyType; readonly domain: string; readonly name: string }): Dependency {
  if (entry.type !== 'host') return { type: entry.type, domain: entry.domain, name: entry.name };
  try {
    return { type: 'host', domain: entry.domain, name: new URL(entry.name).hostname };
  } catch {
    return { type: 'host', domain: entry.domain, name: entry.name };
  }
}

/** The dependency key used to merge rows: type, domain and name. */
export function dependencyKey(dependency: Dependency): string {
  return `${dependency.type}\u0000${dependency.domain}\u0000${dependency.name}`;
}
