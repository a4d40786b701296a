/**
 * The JSON that `jest-chaos scan --json` prints (docs/scan.md describes every field). `schemaVersion`
 * changes only when a field is removed or changes meaning; adding a field keeps it.
 */
import type { HandlingKind } from './handling';
import type { Priority, SignalName } from './priorities';

export const SCAN_SCHEMA_VERSION = 1;

export type DependencyType = 'host' | 'unresolved-host' | 'driver' | 'client' | 'seam';
export type CoverageSource = 'pragma' | 'chaos.test' | 'builder' | 'stub' | 'report';
export type CoverageMatch = 'target' | 'wildcard' | 'seam' | 'stub' | 'port' | 'unresolved-host' | 'path';

export interface ScanHandling {
  readonly kind: HandlingKind;
  readonly line: number;
  readonly detail: string;
  /** The calling function the handling was found in, or null when it is around the call itself. */
  readonly via: string | null;
}

export interface ScanCallSite {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The client library: `fetch`, `axios`, `pg`, `ioredis`, `amqplib`, ... */
  readonly client: string;
  /** `request` (HTTP), `connect` (a client is made or connects), `command` (a client method). */
  readonly role: 'request' | 'connect' | 'command';
  /** The call as written, shortened: `this.pool.query`, `new Pool`, `fetch`. */
  readonly call: string;
  /** HTTP method, or the client method called; null when unknown. */
  readonly method: string | null;
  /** The URL or connection address as far as it is static (`${expression}` for dynamic parts); null when none. */
  readonly address: string | null;
  /** Enclosing class and function names joined with `.`, or null at module level. */
  readonly function: string | null;
  readonly handling: readonly ScanHandling[];
}

export interface ScanCoverage {
  readonly source: CoverageSource;
  /** The test file (for `report`: the file of the test whose faults fired). */
  readonly file: string;
  /** Line of the pragma, rule or builder call; null for `report`. */
  readonly line: number | null;
  readonly rule: string;
  /** How the fault was tied to this dependency. */
  readonly match: CoverageMatch;
  /** Faults of this rule that fired in the `--report` given (0: none); null without `--report`. */
  readonly fired: number | null;
}

export interface ScanTestedKind {
  readonly kind: string;
  readonly by: readonly ScanCoverage[];
}

export interface ScanSeam {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly methods: readonly string[];
}

export interface ScanDependency {
  /** Stable key: `http:api.example.com`, `db:pg`, `cache:ioredis`, `tcp:amqplib`, `db:seam:primary`. */
  readonly id: string;
  readonly domain: 'http' | 'db' | 'cache' | 'tcp';
  readonly type: DependencyType;
  /** Host, driver, client library, seam name, or the URL pattern of an unresolved host. */
  readonly name: string;
  /** What a rule names to fault it: a host, a driver, a seam, `host:port` / `*:port`, or `*`. */
  readonly target: string;
  readonly clients: readonly string[];
  /** Distinct URLs or connection addresses seen, as far as they are static. */
  readonly addresses: readonly string[];
  /** Environment variables an address falls back from. */
  readonly env: readonly string[];
  /** Seams registered with chaos.register() whose methods hold its call sites. */
  readonly seams: readonly ScanSeam[];
  readonly callSites: readonly ScanCallSite[];
  /** Fault kinds that apply to it. */
  readonly kinds: readonly string[];
  readonly tested: readonly ScanTestedKind[];
  /** `kinds` minus the tested ones. */
  readonly missing: readonly string[];
}

export interface ScanScenario {
  /** `<dependency id>#<kind>`. */
  readonly id: string;
  readonly dependency: string;
  readonly kind: string;
  /** The rule a chaos suite of this scenario declares. */
  readonly rule: string;
  readonly priority: Priority;
  readonly signal: SignalName;
  readonly reason: string;
  /** `file:line` of the call site that decided the priority, first. */
  readonly callSites: readonly string[];
  /** The file name `--write` gives its skeleton. */
  readonly skeleton: string;
}

export interface ScanResult {
  readonly schemaVersion: typeof SCAN_SCHEMA_VERSION;
  readonly jestChaosVersion: string;
  readonly rootDir: string;
  readonly files: { readonly source: number; readonly test: number; readonly chaosSuites: number };
  /** The `--report` read, with the number of fault events in it; null without `--report`. */
  readonly report: { readonly file: string; readonly events: number } | null;
  readonly dependencies: readonly ScanDependency[];
  /** Missing scenarios, A first, then B, then C; within a priority in dependency order. */
  readonly scenarios: readonly ScanScenario[];
  readonly summary: { readonly dependencies: number; readonly scenarios: number; readonly byPriority: Readonly<Record<Priority, number>> };
  readonly warnings: readonly string[];
}
