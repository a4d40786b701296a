import net from 'node:net';

/** What kind of dependency a call went to: an HTTP origin, a db or cache driver, a registered seam, a TCP endpoint. */
export type CalledType = 'host' | 'driver' | 'seam' | 'socket';

/** One dependency that a chaos test called, faulted or not, and how many calls it saw. */
export interface CalledDependency {
  readonly type: CalledType;
  /** `http`, `db`, `cache` or `tcp`. */
  readonly domain: string;
  /** http: the origin `scheme://host:port`; db and cache: the driver (`pg`) or the seam (`orders`); tcp: `host:port`. */
  readonly name: string;
  readonly calls: number;
  /** A seam's methods that were called (at most MAX_CALLED_METHODS). */
  readonly methods?: readonly string[];
}

/** Distinct dependencies kept per test: a report of thousands of tests stays small. */
export const MAX_CALLED = 32;
/** Distinct methods kept per seam. */
export const MAX_CALLED_METHODS = 16;

interface Entry {
  readonly type: CalledType;
  readonly domain: string;
  readonly name: string;
  calls: number;
  methods: Set<string> | undefined;
}

/** `host:port`, an IPv6 host in brackets, as a URL's host and a socket's endpoint both read. */
function endpoint(host: string, port: number | string): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The dependencies one chaos test called (its body, and what runs in its async context), counted per
 * dependency. At most MAX_CALLED distinct ones are kept; calls to any further dependency only add to
 * `overflow`.
 */
export class CalledDependencies {
  private readonly entries = new Map<string, Entry>();
  /** `host:port` of the HTTP origins called: the socket a request then opens is the same dependency. */
  private readonly httpEndpoints = new Set<string>();
  /** Calls to dependencies beyond the first MAX_CALLED. */
  overflow = 0;

  /** The dependency of the last call: a test that calls one dependency many times in a row finds it at once. */
  private last: Entry | undefined;

  add(type: CalledType, domain: string, name: string, method?: string): void {
    let entry = this.last;
    if (entry === undefined || entry.name !== name || entry.type !== type || entry.domain !== domain) {
      const key = `${type}\u0000${domain}\u0000${name}`;
      entry = this.entries.get(key);
      if (entry === undefined) {
        if (this.entries.size >= MAX_CALLED) {
          this.overflow += 1;
          return;
        }
        entry = { type, domain, name, calls: 0, methods: undefined };
        this.entries.set(key, entry);
      }
      this.last = entry;
    }
    entry.calls += 1;
    if (method !== undefined && (entry.methods ??= new Set()).size < MAX_CALLED_METHODS) entry.methods.add(method);
  }

  /** A request the HTTP engine saw: its origin, with the port always written. */
  http(url: URL): void {
    const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
    this.httpEndpoints.add(`${url.hostname}:${port}`);
    this.add('host', 'http', `${url.protocol}//${url.hostname}:${port}`);
  }

  /** A TCP connection; one that an HTTP request of this test opens is already counted as that request. */
  socket(host: string, port: number): void {
    const name = endpoint(host, port);
    if (this.httpEndpoints.has(name)) return;
    this.add('socket', 'tcp', name);
  }

  list(): CalledDependency[] {
    return [...this.entries.values()].map(({ type, domain, name, calls, methods }) => ({ type, domain, name, calls, ...(methods === undefined ? {} : { methods: [...methods] }) }));
  }
}
