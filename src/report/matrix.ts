/**
 * The dependency x fault-kind matrix of the HTML report: which hosts, drivers, seams and sockets were
 * faulted with which kinds, by how many chaos test runs that passed or failed, which combinations were never
 * exercised, and which dependencies the chaos tests called but never faulted at all.
 */
import { HTTP_KINDS, STORE_KINDS } from '../rules/types';
import type { ChaosReport } from './schema';
import { isLoopback } from '../http/target';
import { callTarget, calledTarget, dependencyKey, hostOf, ruleTarget, type Dependency, type DependencyType } from './targets';
import { testName } from './rates';

/** The columns, in this order; kinds found in a report and not listed here follow, sorted. */
export const KIND_ORDER: readonly string[] = [...new Set<string>([...HTTP_KINDS, ...STORE_KINDS])];

const HTTP_ONLY = new Set<string>(HTTP_KINDS.filter((kind) => !(STORE_KINDS as readonly string[]).includes(kind)));
const STORE_ONLY = new Set<string>(STORE_KINDS.filter((kind) => !(HTTP_KINDS as readonly string[]).includes(kind)));

export interface MatrixCell {
  /** Test runs in which this dependency got this kind of fault, by their outcome. */
  readonly passed: number;
  readonly failed: number;
  /** Test runs that had a rule naming this dependency and kind that never fired. */
  readonly armed: number;
  /** A few of the tests behind the numbers (file › name), for the cell's tooltip. */
  readonly tests: readonly string[];
}

export interface MatrixRow extends Dependency {
  /** Requests to this host refused by the loopback guard (seen, not faulted). */
  readonly refused: number;
  /** Chaos test runs that called it, faulted or not (from the tests' `called`). */
  readonly called: number;
  /** A host's ports that faults hit, sorted (a row is one host name, whatever the port: local servers listen on ephemeral ports). */
  readonly ports: readonly string[];
  readonly cells: Readonly<Record<string, MatrixCell>>;
}

export interface Matrix {
  readonly kinds: readonly string[];
  readonly rows: readonly MatrixRow[];
}

/** Whether a kind can happen to a dependency at all (`down` is no HTTP fault, `status` no store fault). */
export function applies(type: DependencyType, kind: string): boolean {
  if (type === 'host') return !STORE_ONLY.has(kind);
  if (type === 'driver' || type === 'seam') return !HTTP_ONLY.has(kind);
  return true;
}

const TYPE_ORDER: readonly DependencyType[] = ['host', 'driver', 'seam', 'socket'];
const MAX_NAMES = 5;

interface MutableCell {
  passed: number;
  failed: number;
  armed: number;
  tests: string[];
}

interface MutableRow extends Dependency {
  refused: number;
  called: number;
  ports: Set<string>;
  cells: Map<string, MutableCell>;
}

/** `host:port` → host and port; `[::1]:80` → `[::1]` and `80`. */
export function splitPort(host: string): { name: string; port: string | undefined } {
  const match = /^(.*):(\d+)$/.exec(host);
  return match === null || (!match[1]!.endsWith(']') && match[1]!.includes(':')) ? { name: host, port: undefined } : { name: match[1]!, port: match[2] };
}

/** The row a dependency belongs to: a host without its port. */
function rowOf(dependency: Dependency): Dependency {
  return dependency.type === 'host' ? { ...dependency, name: splitPort(dependency.name).name } : dependency;
}

export function dependencyMatrix(report: ChaosReport): Matrix {
  const rows = new Map<string, MutableRow>();
  const extraKinds = new Set<string>();
  const row = (named: Dependency): MutableRow => {
    const dependency = rowOf(named);
    const key = dependencyKey(dependency);
    let found = rows.get(key);
    if (found === undefined) {
      found = { type: dependency.type, domain: dependency.domain, name: dependency.name, refused: 0, called: 0, ports: new Set(), cells: new Map() };
      rows.set(key, found);
    }
    const port = named.type === 'host' ? splitPort(named.name).port : undefined;
    if (port !== undefined) found.ports.add(port);
    return found;
  };
  const cell = (target: MutableRow, kind: string): MutableCell => {
    if (!KIND_ORDER.includes(kind)) extraKinds.add(kind);
    let found = target.cells.get(kind);
    if (found === undefined) {
      found = { passed: 0, failed: 0, armed: 0, tests: [] };
      target.cells.set(kind, found);
    }
    return found;
  };

  for (const test of report.tests) {
    if (!test.chaos || test.status === 'skipped') continue;
    const label = `${test.file} › ${testName(test)}`;
    const hit = new Set<string>();
    for (const event of test.events) {
      const dependency = callTarget(event.domain, event.call);
      const target = row(dependency);
      const key = `${dependencyKey(rowOf(dependency))}\u0000${event.kind}`;
      if (hit.has(key)) continue;
      hit.add(key);
      const counted = cell(target, event.kind);
      if (test.status === 'failed') counted.failed += 1;
      else counted.passed += 1;
      if (counted.tests.length < MAX_NAMES && !counted.tests.includes(label)) counted.tests.push(label);
    }
    for (const rule of test.rules) {
      const named = ruleTarget(rule);
      if (named === undefined) continue;
      // A db or cache target named like a driver (`cache.down redis`) may be a seam registered under that name.
      const seamToo = named.type === 'driver' ? [{ ...named, type: 'seam' as const }] : [];
      if ([named, ...seamToo].some((candidate) => hit.has(`${dependencyKey(rowOf(candidate))}\u0000${named.kind}`))) continue;
      const target = row(named);
      const armed = cell(target, named.kind);
      armed.armed += 1;
      if (armed.tests.length < MAX_NAMES && !armed.tests.includes(label)) armed.tests.push(label);
    }
    const called = new Set<string>();
    for (const entry of test.called ?? []) {
      const dependency = calledTarget(entry);
      const key = dependencyKey(dependency);
      if (called.has(key)) continue;
      called.add(key);
      row(dependency).called += 1;
    }
    for (const request of test.refused) {
      const host = hostOf(request.split(' ').slice(1).join(' '));
      if (host !== undefined) row({ type: 'host', domain: 'http', name: host }).refused += 1;
    }
  }

  const kinds = [...KIND_ORDER, ...[...extraKinds].sort()];
  const sorted = [...rows.values()].sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    kinds,
    rows: sorted.map((entry) => ({
      type: entry.type,
      domain: entry.domain,
      name: entry.name,
      refused: entry.refused,
      called: entry.called,
      ports: [...entry.ports].sort((a, b) => Number(a) - Number(b)),
      cells: Object.fromEntries(entry.cells),
    })),
  };
}

/** Whether a row was called by some test run and never got a fault of any kind. */
export function neverFaulted(row: MatrixRow): boolean {
  return row.called > 0 && Object.values(row.cells).every((cell) => cell.passed + cell.failed === 0);
}

/**
 * The dependencies the chaos tests called and never faulted, for the summaries' one-line warning. Loopback
 * hosts and sockets are left out there (the matrix shows them): they are most often the code under test
 * itself or a local fake, which a `*` target leaves alone too.
 */
export function calledNeverFaulted(matrix: Matrix): MatrixRow[] {
  return matrix.rows.filter((row) => neverFaulted(row) && !((row.type === 'host' || row.type === 'socket') && isLoopback(splitPort(row.name).name)));
}
