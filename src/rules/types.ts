/** The fault kinds, per domain, that a rule may name (CONTRACT section 3). */
export const HTTP_KINDS = ['timeout', 'hang', 'refused', 'reset', 'dns', 'status', 'latency', 'malformed'] as const;
export const STORE_KINDS = ['down', 'lost', 'timeout', 'latency', 'error'] as const;
/** toxiproxy's toxics, as rules on the sockets the code under test opens (docs/tcp-faults.md). */
export const TCP_KINDS = ['down', 'reset', 'timeout', 'latency', 'bandwidth', 'slicer', 'limit-data', 'slow-close'] as const;
export const DOMAINS = ['http', 'db', 'cache', 'tcp'] as const;
/** Which way the data that a tcp rule acts on flows: to the server, to the client, or both. */
export const TCP_DIRECTIONS = ['upstream', 'downstream', 'both'] as const;

export type Domain = (typeof DOMAINS)[number];
export type HttpKind = (typeof HTTP_KINDS)[number];
export type StoreKind = (typeof STORE_KINDS)[number];
export type TcpKind = (typeof TCP_KINDS)[number];
export type TcpDirection = (typeof TCP_DIRECTIONS)[number];

/** An inclusive range of milliseconds; a fixed delay has min === max. */
export interface MsRange {
  readonly min: number;
  readonly max: number;
}

/** Options common to every rule. */
export interface RuleOptions {
  /** Probability in [0, 1] that a matching call is faulted. Default 1. */
  readonly p: number;
  /** Fault only the first n matching calls (counted after `p`); undefined means no limit. */
  readonly times: number | undefined;
  /** Upper-case HTTP method the rule is limited to; undefined means any (http only). */
  readonly method: string | undefined;
  /** Delay before the fault (or, for latency, before the call proceeds). Default { 0, 0 }. */
  readonly ms: MsRange;
  /** Status code for http.status (default 503). */
  readonly status: number | undefined;
  /** Seconds for a Retry-After header on http.status. */
  readonly retryAfter: number | undefined;
}

interface RuleBase {
  /** The rule as the user wrote it, normalised to single spaces: used in reports and events. */
  readonly source: string;
  /** Where it was written, for error messages: `path/to/file.test.ts:4`, or a test name. */
  readonly origin: string;
  /** `*` or the target text (host, origin or URL glob for http; target or driver name for db/cache; `host:port` for tcp). */
  readonly target: string;
  readonly options: RuleOptions;
}

export interface HttpRule extends RuleBase {
  readonly domain: 'http';
  readonly kind: HttpKind;
}

export interface StoreRule extends RuleBase {
  readonly domain: 'db' | 'cache';
  readonly kind: StoreKind;
}

/** Options of tcp rules on top of the common ones. */
export interface TcpOptions extends RuleOptions {
  /** tcp.bandwidth: at most this many KB (1024 bytes) per second. */
  readonly rate: number | undefined;
  /** tcp.limit-data: bytes let through before the close; tcp.slicer: the size of a slice. */
  readonly bytes: number | undefined;
  /** The data the rule acts on (toxiproxy's stream); default downstream, as in toxiproxy. */
  readonly direction: TcpDirection;
}

/** A tcp rule's target is `host:port` or `*:port`: it always names a port. */
export interface TcpRule extends RuleBase {
  readonly domain: 'tcp';
  readonly kind: TcpKind;
  readonly options: TcpOptions;
}

export type Rule = HttpRule | StoreRule | TcpRule;

/** What a file's docblock declares. */
export interface SuiteSpec {
  /** True when the file has at least one `@chaos` pragma (bare or with a rule). */
  readonly isChaosSuite: boolean;
  readonly rules: readonly Rule[];
  /** Tags from `@tag`, plus `chaos` for chaos suites. */
  readonly tags: readonly string[];
  readonly seed: number | undefined;
  readonly priority: 'A' | 'B' | 'C' | undefined;
  /** `@chaos-time virtual` (see docs/seeds-and-replay.md); undefined means real time. */
  readonly time: 'virtual' | undefined;
}
