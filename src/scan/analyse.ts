/**
 * `jest-chaos scan` as a function: reads the project, finds its dependencies and what the chaos suites
 * already exercise, and ranks the missing scenarios.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileTarget } from '../http/target';
import { packageVersion } from '../report/version';
import { HTTP_KINDS, STORE_KINDS, TCP_KINDS } from '../rules/types';
import { CallSiteFinder, type CallSite } from './call-sites';
import { emptyUsage, readChaosUsage, type DeclaredFault, type DeclaredSeam } from './chaos-usage';
import { listSourceFiles } from './files';
import type { Handling } from './handling';
import type { DependencyDomain } from './libraries';
import { better, DEFAULT_PRIORITY_CONFIG, gap, PRIORITIES, rankSubject, readPriorityConfig, type PriorityConfig, type Ranking, type Subject } from './priorities';
import { isIgnoredByJest, isJestTest, isTestCode, readProject, scanRoots } from './project';
import { readFiredFaults, type FiredFault } from './report-events';
import { FileIndex, ProjectIndex } from './resolver';
import { ScanError } from './scan-error';
import { SCAN_SCHEMA_VERSION, type CoverageMatch, type CoverageSource, type DependencyType, type ScanCallSite, type ScanCoverage, type ScanDependency, type ScanResult, type ScanScenario } from './schema';
import { skeletonName } from './skeleton-name';
import { displayText, fullText, globText, prefixOf, urlInfo, type StaticText } from './text';
import { loadTypeScript, type TypeScript } from './typescript';

export const KINDS: Readonly<Record<DependencyDomain, readonly string[]>> = { http: HTTP_KINDS, db: STORE_KINDS, cache: STORE_KINDS, tcp: TCP_KINDS };

/** A `tcp.*` kind seen from a database or cache driver above the socket. */
const TCP_TO_STORE: Readonly<Record<string, string>> = { down: 'down', reset: 'lost', timeout: 'timeout', latency: 'latency' };
/** A `chaos.stub()` fault seen from an HTTP or socket client. */
const STUB_TO: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  http: { down: 'refused', lost: 'reset', timeout: 'timeout', latency: 'latency' },
  tcp: { down: 'down', lost: 'reset', timeout: 'timeout', latency: 'latency' },
  db: { down: 'down', lost: 'lost', timeout: 'timeout', latency: 'latency', error: 'error' },
  cache: { down: 'down', lost: 'lost', timeout: 'timeout', latency: 'latency', error: 'error' },
};

export interface ScanOptions {
  /** The directory scanned: its Jest config decides rootDir and roots. */
  readonly cwd: string;
  /** A chaos report whose fired faults count as exercised. */
  readonly report?: string;
  /** A JSON file with the priority signals (replaces package.json's `jest-chaos.scan.priorities`). */
  readonly priorities?: string;
}

interface Endpoint {
  readonly host: string | undefined;
  readonly port: number | undefined;
}

interface Dependency {
  readonly id: string;
  readonly domain: DependencyDomain;
  readonly type: DependencyType;
  readonly name: string;
  target: string;
  readonly sites: CallSite[];
  readonly seams: DeclaredSeam[];
  readonly samples: URL[];
  readonly endpoints: Endpoint[];
  /** An unresolved host: the URL pattern its call sites share (dynamic parts as `.*`). */
  readonly pattern: RegExp | undefined;
  readonly tested: Map<string, ScanCoverage[]>;
}

const DOMAIN_ORDER: readonly DependencyDomain[] = ['http', 'db', 'cache', 'tcp'];
const TYPE_ORDER: readonly DependencyType[] = ['host', 'unresolved-host', 'driver', 'client', 'seam'];

function scriptKind(ts: TypeScript, file: string): number {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (/\.[mc]?ts$/.test(file)) return ts.ScriptKind.TS;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

const posix = (file: string): string => file.split(path.sep).join('/');

/** The host and port a connection address names (`postgres://db:5432/x`, `kafka:9092`, `localhost`). */
function endpointOf(address: StaticText | undefined, defaultPort: number | undefined): Endpoint {
  if (address === undefined) return { host: undefined, port: defaultPort };
  const info = urlInfo(address);
  if (info !== undefined) {
    const port = info.sample.port !== '' ? Number(info.sample.port) : /:(\d+)$/.test(info.host) ? Number(info.host.slice(info.host.lastIndexOf(':') + 1)) : defaultPort;
    return { host: info.hostname, port };
  }
  const constant = fullText(address);
  if (constant !== undefined) {
    const hostPort = /^([\w.-]+):(\d+)$/.exec(constant);
    if (hostPort !== null) return { host: hostPort[1], port: Number(hostPort[2]) };
    if (/^\d+$/.test(constant)) return { host: undefined, port: Number(constant) };
    if (/^[\w.-]+$/.test(constant)) return { host: constant, port: defaultPort };
  }
  const prefix = prefixOf(address);
  const hostOnly = /^([\w.-]+):$/.exec(prefix);
  return { host: hostOnly?.[1], port: defaultPort };
}

function urlPattern(address: StaticText): RegExp | undefined {
  const constant = address.parts.filter((part) => 'text' in part).map((part) => (part as { text: string }).text).join('');
  if (constant.replace(/[/?&=#]/g, '').length < 2) return undefined;
  const source = address.parts.map((part) => ('text' in part ? part.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '.*')).join('');
  return new RegExp(`^${address.parts[0] !== undefined && 'text' in address.parts[0] ? '' : '.*'}${source}(?:[?#].*)?$`, 'i');
}

class Dependencies {
  readonly byId = new Map<string, Dependency>();

  get(id: string, make: () => Omit<Dependency, 'id' | 'sites' | 'seams' | 'samples' | 'endpoints' | 'tested'>): Dependency {
    let found = this.byId.get(id);
    if (found === undefined) {
      found = { id, ...make(), sites: [], seams: [], samples: [], endpoints: [], tested: new Map() };
      this.byId.set(id, found);
    }
    return found;
  }

  add(site: CallSite): void {
    const library = site.library;
    if (library.domain === 'http') {
      const info = site.address === undefined ? undefined : urlInfo(site.address);
      if (info !== undefined) {
        const dependency = this.get(`http:${info.host}`, () => ({ domain: 'http', type: 'host', name: info.host, target: info.host, pattern: undefined }));
        dependency.sites.push(site);
        dependency.samples.push(info.sample);
        return;
      }
      const name = site.address === undefined ? '(URL not static)' : displayText(site.address);
      const glob = site.address === undefined ? undefined : globText(site.address);
      // Grouped by the URL's shape; a URL with no constant part at all by its expression.
      const key = glob === undefined || glob.replace(/\*/g, '') === '' ? name : glob;
      const dependency = this.get(`http:${key}`, () => ({ domain: 'http', type: 'unresolved-host', name, target: '*', pattern: site.address === undefined ? undefined : urlPattern(site.address) }));
      dependency.sites.push(site);
      return;
    }
    const type: DependencyType = library.domain === 'tcp' ? 'client' : 'driver';
    const dependency = this.get(`${library.domain}:${library.id}`, () => ({ domain: library.domain, type, name: library.id, target: library.domain === 'tcp' ? '*' : library.id, pattern: undefined }));
    dependency.sites.push(site);
    if (site.address !== undefined || site.role === 'connect') dependency.endpoints.push(endpointOf(site.address, library.defaultPort));
  }
}

/** The handling of every call site of a dependency, for the scenario's gap. */
function handlingOf(sites: readonly Subject[]): Handling[] {
  return sites.flatMap((site) => [...site.handling]);
}

function tcpTarget(dependency: Dependency, defaultPort: number | undefined): string {
  const known = dependency.endpoints.filter((endpoint) => endpoint.port !== undefined);
  const exact = [...new Set(known.filter((endpoint) => endpoint.host !== undefined).map((endpoint) => `${endpoint.host}:${endpoint.port}`))];
  if (exact.length === 1 && known.every((endpoint) => endpoint.host !== undefined)) return exact[0]!;
  const ports = [...new Set(known.map((endpoint) => endpoint.port))];
  if (ports.length === 1) return `*:${ports[0]}`;
  return defaultPort === undefined ? '*' : `*:${defaultPort}`;
}

/** `host:port` of a tcp rule target (`127.0.0.1:6379`, `*:5432`). */
function tcpRuleTarget(target: string): Endpoint | undefined {
  const match = /^(.+):(\d+)$/.exec(target);
  if (match === null) return target === '*' ? { host: undefined, port: undefined } : undefined;
  return { host: match[1] === '*' ? undefined : match[1], port: Number(match[2]) };
}

export async function scan(options: ScanOptions): Promise<ScanResult> {
  const cwd = path.resolve(options.cwd);
  const ts = loadTypeScript(cwd);
  const project = await readProject(cwd);
  const rootDir = project.rootDir;
  const warnings: string[] = [];
  if (project.note !== undefined) warnings.push(project.note);
  const config = readConfig(rootDir, options.priorities === undefined ? undefined : path.resolve(cwd, options.priorities));

  const index = new ProjectIndex(ts);
  const files = listSourceFiles(scanRoots(project), rootDir).filter((file) => !isIgnoredByJest(project, file));
  const parsed: { index: FileIndex; relative: string; test: boolean; runs: boolean }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(ts, file));
    const fileIndex = new FileIndex(ts, file, sourceFile);
    index.add(fileIndex);
    parsed.push({ index: fileIndex, relative: posix(path.relative(rootDir, file)), test: isTestCode(project, file), runs: isJestTest(project, file) });
  }

  const usage = emptyUsage();
  const finder = new CallSiteFinder(ts, index);
  const dependencies = new Dependencies();
  for (const file of parsed) {
    if (!file.test) for (const site of finder.find(file.index, file.relative)) dependencies.add(site);
    readChaosUsage(ts, index, file.index, file.relative, usage, file.runs);
  }
  warnings.push(...usage.warnings);

  // Seams: tied to the driver whose call sites sit in their methods, else a dependency of their own.
  for (const seam of usage.seams) {
    const linked = [...dependencies.byId.values()].filter(
      (dependency) => dependency.domain === seam.domain && dependency.type === 'driver' && dependency.sites.some((site) => seam.methods.includes(site.enclosing[site.enclosing.length - 1] ?? '')),
    );
    for (const dependency of linked) if (!dependency.seams.some((known) => known.name === seam.name)) dependency.seams.push(seam);
    if (linked.length === 0) {
      const own = dependencies.get(`${seam.domain}:seam:${seam.name}`, () => ({ domain: seam.domain, type: 'seam', name: seam.name, target: seam.name, pattern: undefined }));
      if (!own.seams.some((known) => known.name === seam.name && known.file === seam.file && known.line === seam.line)) own.seams.push(seam);
    }
  }
  for (const dependency of dependencies.byId.values()) {
    if (dependency.domain === 'tcp') dependency.target = tcpTarget(dependency, dependency.sites[0]?.library.defaultPort);
  }

  const all = [...dependencies.byId.values()];
  const resolvedHosts = all.filter((dependency) => dependency.type === 'host');
  const cover = (dependency: Dependency, kind: string | undefined, entry: ScanCoverage): void => {
    if (kind === undefined || !KINDS[dependency.domain].includes(kind)) return;
    const list = dependency.tested.get(kind) ?? [];
    if (!list.some((known) => known.source === entry.source && known.file === entry.file && known.line === entry.line && known.rule === entry.rule)) list.push(entry);
    dependency.tested.set(kind, list);
  };
  const matchesHost = (dependency: Dependency, target: string): boolean => {
    try {
      const matcher = compileTarget(target);
      return dependency.samples.some((sample) => matcher(sample));
    } catch {
      return false;
    }
  };

  /** Where a fault lands: each dependency it reaches, with the kind it is seen as there and how it was tied. */
  const reach = (fault: { domain: string; kind: string; target: string }): { dependency: Dependency; kind: string | undefined; match: CoverageMatch }[] => {
    const found: { dependency: Dependency; kind: string | undefined; match: CoverageMatch }[] = [];
    const { domain, kind, target } = fault;
    if (domain === 'http') {
      const resolved = resolvedHosts.filter((dependency) => matchesHost(dependency, target));
      for (const dependency of resolved) found.push({ dependency, kind, match: target === '*' ? 'wildcard' : 'target' });
      if (target === '*' || resolved.length === 0) {
        for (const dependency of all) if (dependency.type === 'unresolved-host') found.push({ dependency, kind, match: 'unresolved-host' });
      }
    } else if (domain === 'db' || domain === 'cache') {
      for (const dependency of all) {
        if (dependency.domain !== domain) continue;
        if (target === '*') found.push({ dependency, kind, match: 'wildcard' });
        else if (dependency.target === target) found.push({ dependency, kind, match: 'target' });
        else if (dependency.seams.some((seam) => seam.name === target)) found.push({ dependency, kind, match: 'seam' });
      }
    } else if (domain === 'tcp') {
      const wanted = tcpRuleTarget(target);
      if (wanted === undefined) return found;
      for (const dependency of all) {
        if (dependency.type !== 'client' && dependency.type !== 'driver') continue;
        const defaultPort = dependency.sites[0]?.library.defaultPort;
        const endpoints = dependency.endpoints.length > 0 ? dependency.endpoints : [{ host: undefined, port: defaultPort }];
        const hit = endpoints.some((endpoint) => (wanted.port === undefined || endpoint.port === wanted.port) && (wanted.host === undefined || endpoint.host === wanted.host));
        if (!hit) continue;
        found.push({ dependency, kind: dependency.domain === 'tcp' ? kind : TCP_TO_STORE[kind], match: wanted.host === undefined && wanted.port !== undefined ? 'port' : target === '*' ? 'wildcard' : 'target' });
      }
    } else if (domain === 'stub') {
      for (const dependency of all) {
        if (!dependency.sites.some((site) => site.enclosing[site.enclosing.length - 1] === target || site.method === target)) continue;
        found.push({ dependency, kind: STUB_TO[dependency.domain]?.[kind], match: 'stub' });
      }
    }
    return found;
  };

  // Faults that fired, from the report.
  let fired: FiredFault[] | undefined;
  if (options.report !== undefined) fired = readFiredFaults(path.resolve(cwd, options.report));
  const firedCount = (fault: DeclaredFault): number | null => {
    if (fired === undefined) return null;
    return fired.filter((event) => event.file === fault.file && event.kind === fault.kind && (fault.domain === 'stub' ? event.call.endsWith(`.${fault.target}`) : event.domain === fault.domain && ruleTargetOf(event.rule) === fault.target)).length;
  };
  for (const fault of usage.faults) {
    for (const { dependency, kind, match } of reach(fault)) {
      cover(dependency, kind, { source: fault.source as CoverageSource, file: fault.file, line: fault.line, rule: fault.rule, match, fired: firedCount(fault) });
    }
  }
  if (fired !== undefined) {
    const counts = new Map<string, { fault: FiredFault; hits: number; dependency: Dependency; kind: string | undefined; match: CoverageMatch }>();
    // Faults of a declared rule are counted on its entry (`fired`); the others are coverage of their own.
    const declared = (event: FiredFault): boolean => usage.faults.some((fault) => fault.file === event.file && fault.domain === event.domain && fault.kind === event.kind && fault.target === ruleTargetOf(event.rule));
    for (const event of fired) {
      if (declared(event)) continue;
      for (const hit of reachEvent(event, all, reach)) {
        const key = `${hit.dependency.id}\0${hit.kind}\0${event.file}\0${event.rule}`;
        const known = counts.get(key);
        if (known === undefined) counts.set(key, { fault: event, hits: 1, ...hit });
        else known.hits++;
      }
    }
    for (const { fault, hits, dependency, kind, match } of counts.values()) cover(dependency, kind, { source: 'report', file: fault.file, line: null, rule: fault.rule, match, fired: hits });
  }

  // Dependencies in a stable order, and their missing scenarios.
  const ordered = all.sort(
    (a, b) => DOMAIN_ORDER.indexOf(a.domain) - DOMAIN_ORDER.indexOf(b.domain) || TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const scenarios: ScanScenario[] = [];
  const output: ScanDependency[] = [];
  for (const dependency of ordered) {
    const kinds = KINDS[dependency.domain];
    const missing = kinds.filter((kind) => !dependency.tested.has(kind));
    output.push(dependencyOutput(dependency, kinds, missing));
    const subjects: Subject[] = dependency.sites.length > 0 ? dependency.sites : dependency.seams.map(seamSubject);
    for (const kind of missing) scenarios.push(scenarioOf(dependency, kind, subjects, config));
  }
  scenarios.sort((a, b) => PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority));

  const byPriority = { A: 0, B: 0, C: 0 };
  for (const scenario of scenarios) byPriority[scenario.priority]++;
  return {
    schemaVersion: SCAN_SCHEMA_VERSION,
    jestChaosVersion: packageVersion(),
    rootDir,
    files: { source: parsed.filter((file) => !file.test).length, test: parsed.filter((file) => file.test).length, chaosSuites: usage.suites.length },
    report: options.report === undefined ? null : { file: options.report, events: fired?.length ?? 0 },
    dependencies: output,
    scenarios,
    summary: { dependencies: output.length, scenarios: scenarios.length, byPriority },
    warnings,
  };
}

/** The target word of a rule's text (`http.timeout api.example.com ms=50` -> api.example.com), `*` when none. */
function ruleTargetOf(rule: string): string {
  const tokens = rule.trim().split(/\s+/).slice(1);
  return tokens.find((token) => !/^[A-Za-z0-9_-]*=/.test(token)) ?? '*';
}

/** The dependencies a fired fault hit, from what it hit (`GET https://host/x`, `pg query`, `db primary.findAccount`). */
function reachEvent(
  event: FiredFault,
  all: readonly Dependency[],
  reach: (fault: { domain: string; kind: string; target: string }) => { dependency: Dependency; kind: string | undefined; match: CoverageMatch }[],
): { dependency: Dependency; kind: string | undefined; match: CoverageMatch }[] {
  const [first = '', ...rest] = event.call.split(' ');
  if (event.domain === 'http') {
    let url: URL | undefined;
    try {
      url = new URL(rest.join(' ') || first);
    } catch {
      url = undefined;
    }
    if (url === undefined) return [];
    const exact = all.filter((dependency) => dependency.type === 'host' && dependency.samples.some((sample) => sample.hostname === url!.hostname && (sample.port === '' || sample.port === url!.port)));
    if (exact.length > 0) return exact.map((dependency) => ({ dependency, kind: event.kind, match: 'target' as const }));
    const text = url.href;
    return all.filter((dependency) => dependency.type === 'unresolved-host' && dependency.pattern?.test(text) === true).map((dependency) => ({ dependency, kind: event.kind, match: 'path' as const }));
  }
  if (event.domain === 'db' || event.domain === 'cache') {
    // `pg query` (a driver), `db primary.findAccount` (a seam), `Class.method` (a stub).
    if (first === event.domain && rest.length > 0) {
      const seamCall = rest.join(' ');
      const name = seamCall.includes('.') ? seamCall.slice(0, seamCall.lastIndexOf('.')) : seamCall;
      return reach({ domain: event.domain, kind: event.kind, target: name });
    }
    const byDriver = reach({ domain: event.domain, kind: event.kind, target: first });
    if (byDriver.length > 0) return byDriver;
    const method = event.call.slice(event.call.lastIndexOf('.') + 1);
    return reach({ domain: 'stub', kind: event.kind, target: method }).filter((hit) => hit.dependency.domain === event.domain);
  }
  if (event.domain === 'tcp') {
    const address = event.call.split(/\s+/).find((token) => /:\d+$/.test(token));
    return address === undefined ? [] : reach({ domain: 'tcp', kind: event.kind, target: address });
  }
  return [];
}

function seamSubject(seam: DeclaredSeam): Subject {
  return {
    file: seam.file,
    line: seam.line,
    enclosing: [],
    handling: [],
    write: false,
    transaction: false,
    idempotencyKey: false,
    texts: [
      { where: 'file', text: seam.file },
      { where: 'call', text: `${seam.name} ${seam.methods.join(' ')}` },
    ],
  };
}

/** Options a rule cannot do without, with a value to start from. */
const REQUIRED_OPTIONS: Readonly<Record<string, string>> = { 'tcp.bandwidth': 'rate=64', 'tcp.limit-data': 'bytes=1024' };

function ruleDomain(dependency: Dependency): string {
  return dependency.domain;
}

function scenarioOf(dependency: Dependency, kind: string, subjects: readonly Subject[], config: PriorityConfig): ScanScenario {
  let best: { ranking: Ranking; subject: Subject } | undefined;
  for (const subject of subjects) {
    const ranking = rankSubject(subject, dependency.domain, kind, config);
    if (best === undefined || better(ranking, best.ranking)) best = { ranking, subject };
  }
  const required = REQUIRED_OPTIONS[`${ruleDomain(dependency)}.${kind}`];
  const rule = `${ruleDomain(dependency)}.${kind} ${dependency.target}${required === undefined ? '' : ` ${required}`}`;
  const short = `${ruleDomain(dependency)}.${kind}`;
  const ranking = best?.ranking ?? { priority: config.default, signal: 'default' as const, because: 'no call site' };
  const missingHandling = best === undefined || dependency.sites.length === 0 ? '' : gap(kind, handlingOf(subjects));
  let consequence: string;
  switch (ranking.signal) {
    case 'transaction-write':
      consequence = `${short} mid-transaction is untested`;
      break;
    case 'idempotency-key':
      consequence = `${short} after the request may have been applied is untested`;
      break;
    case 'self-repair-code':
      consequence = `that path is never faulted with ${short}`;
      break;
    default:
      consequence = `${missingHandling === '' ? '' : `it reaches ${dependency.name} ${missingHandling}; `}${short} is untested`;
  }
  const decided = best?.subject;
  const sites = dependency.sites.map((site) => `${site.file}:${site.line}`);
  const first = decided === undefined ? undefined : `${decided.file}:${decided.line}`;
  const callSites = first === undefined ? sites : [first, ...sites.filter((site) => site !== first)];
  return {
    id: `${dependency.id}#${kind}`,
    dependency: dependency.id,
    kind,
    rule,
    priority: ranking.priority,
    signal: ranking.signal,
    reason: `${ranking.priority}: ${ranking.because}; ${consequence}`,
    callSites: [...new Set(callSites)],
    skeleton: skeletonName(dependency.name, dependency.type, kind, decided?.file ?? dependency.seams[0]?.file, dependency.sites[0]?.enclosing[dependency.sites[0].enclosing.length - 1] ?? dependency.sites[0]?.file.replace(/^.*\//, '').replace(/\.[^.]+$/, '')),
  };
}

function dependencyOutput(dependency: Dependency, kinds: readonly string[], missing: readonly string[]): ScanDependency {
  const sites: ScanCallSite[] = dependency.sites.map((site) => ({
    file: site.file,
    line: site.line,
    column: site.column,
    client: site.library.id,
    role: site.role,
    call: site.call,
    method: site.method ?? null,
    address: site.address === undefined ? null : displayText(site.address),
    function: site.enclosing.length === 0 ? null : site.enclosing.join('.'),
    handling: site.handling.map((entry) => ({ kind: entry.kind, line: entry.line, detail: entry.detail, via: entry.via ?? null })),
  }));
  return {
    id: dependency.id,
    domain: dependency.domain,
    type: dependency.type,
    name: dependency.name,
    target: dependency.target,
    clients: [...new Set(dependency.sites.map((site) => site.library.id))].sort(),
    addresses: [...new Set(dependency.sites.filter((site) => site.address !== undefined).map((site) => displayText(site.address!)))].sort(),
    env: [...new Set(dependency.sites.flatMap((site) => site.address?.env ?? []))].sort(),
    seams: dependency.seams.map((seam) => ({ name: seam.name, file: seam.file, line: seam.line, methods: seam.methods })),
    callSites: sites,
    kinds,
    tested: kinds.filter((kind) => dependency.tested.has(kind)).map((kind) => ({ kind, by: dependency.tested.get(kind)! })),
    missing,
  };
}

/** The priority signals: `--priorities <file>`, else package.json's `"jest-chaos": { "scan": { "priorities": ... } }`, else the defaults. */
function readConfig(rootDir: string, file: string | undefined): PriorityConfig {
  if (file !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new ScanError(`cannot read the priorities file ${file}: ${why}. Pass a JSON file shaped as docs/scan.md describes`);
    }
    return readPriorityConfig(raw, file);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8'));
  } catch {
    return DEFAULT_PRIORITY_CONFIG;
  }
  const settings = (manifest as Record<string, unknown> | null)?.['jest-chaos'] as { scan?: { priorities?: unknown } } | undefined;
  return readPriorityConfig(settings?.scan?.priorities, `${path.join(rootDir, 'package.json')} ("jest-chaos".scan.priorities)`);
}

