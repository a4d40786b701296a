/**
 * `tcp.*` rules as toxiproxy proxies and toxics (docs/graduate.md). The shapes are toxiproxy 2's: a proxy as
 * `GET /proxies/{proxy}` shows it (`name`, `listen`, `upstream`, `enabled`, `toxics`), which is also what its
 * `-config` file and `POST /populate` read (they ignore `toxics`); a toxic as `POST /proxies/{proxy}/toxics`
 * takes it. Units are toxiproxy's: milliseconds, KB/s, bytes, and microseconds for the slicer's delay.
 */
import type { MsRange, TcpRule } from '../rules/types';
import { DEFAULT_SLICE_BYTES } from '../tcp/toxics';

export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';
export type Stream = 'upstream' | 'downstream';

export interface ToxiproxyToxic {
  readonly name: string;
  readonly type: ToxicType;
  readonly stream: Stream;
  /** The probability that a connection meets the toxic: the rule's `p`. */
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
}

export interface ToxiproxyProxy {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  /** False for a proxy that a `tcp.down` rule targets: toxiproxy's way to refuse every connection. */
  readonly enabled: boolean;
  readonly toxics: readonly ToxiproxyToxic[];
}

/** A tcp rule found in a test file, with where it applies there. */
export interface FoundTcpRule {
  readonly rule: TcpRule;
  /** `test`: given to one `chaos.test` / `chaos.describe`; `file`: a `@chaos` pragma, for every test of the file. */
  readonly scope: 'file' | 'test';
}

export interface ToxiproxyOptions {
  /** The host every proxy listens on. */
  readonly listenHost: string;
  /** The port of the first proxy; the others follow, one port each, in the order their upstreams first appear. */
  readonly listenBase: number;
  /** The host of the upstream of a target whose host is `*` or a glob. */
  readonly upstreamHost: string | undefined;
  /** Upstreams given per target, as the rules write it (`127.0.0.1:6379` → `redis.staging:6379`). */
  readonly upstreams: ReadonlyMap<string, string>;
}

export interface ToxiproxyExport {
  readonly proxies: ToxiproxyProxy[];
  /** One per rule with something that toxiproxy cannot carry: where the rule is written (`file:line`) and the warning. */
  readonly warnings: { readonly origin: string; readonly text: string }[];
}

/** A rule that cannot be exported with these options (a `*` host and no upstream host, a listen port past 65535). */
export class ToxiproxyExportError extends Error {}

/** The toxic types of the kinds that are toxics (`tcp.down` disables the proxy instead). */
const TOXIC_TYPES: Readonly<Record<Exclude<TcpRule['kind'], 'down'>, ToxicType>> = {
  latency: 'latency',
  bandwidth: 'bandwidth',
  'slow-close': 'slow_close',
  timeout: 'timeout',
  reset: 'reset_peer',
  slicer: 'slicer',
  'limit-data': 'limit_data',
};

/** The attribute that a kind's `ms` becomes, in the toxic's unit. */
const MS_ATTRIBUTES: Readonly<Record<string, { name: string; perMs: number }>> = {
  'slow-close': { name: 'delay', perMs: 1 },
  timeout: { name: 'timeout', perMs: 1 },
  reset: { name: 'timeout', perMs: 1 },
  slicer: { name: 'delay', perMs: 1000 },
};

const msText = (ms: MsRange): string => (ms.min === ms.max ? `${ms.min}` : `${ms.min}-${ms.max}`);

/** The toxics of one rule (two for `direction=both`), unnamed, and what of the rule they do not carry. */
export function toxicsOf(rule: TcpRule): { toxics: Omit<ToxiproxyToxic, 'name'>[]; lost: string[] } {
  const { options } = rule;
  const lost: string[] = [];
  if (options.times !== undefined) lost.push(`times=${options.times} (toxiproxy has no count: the ${rule.kind === 'down' ? 'disabled proxy refuses' : 'toxic acts on'} every connection until it is removed)`);
  if (rule.kind === 'down') {
    if (options.p < 1) lost.push(`p=${options.p} (a disabled proxy refuses every connection: enabled has no probability)`);
    return { toxics: [], lost };
  }
  if (options.p < 1) lost.push(`p=${options.p} becomes toxicity ${options.p}, drawn per connection without a seed (@chaos-seed and replay do not carry over)`);

  const type = TOXIC_TYPES[rule.kind];
  const { ms } = options;
  let attributes: Record<string, number>;
  if (rule.kind === 'latency') {
    // toxiproxy delays each chunk by latency ± jitter, drawn per chunk.
    const latency = Math.floor((ms.min + ms.max) / 2);
    const jitter = ms.max - latency;
    attributes = { latency, jitter };
    if (jitter > 0) lost.push(`ms=${msText(ms)} becomes latency ${latency} ± jitter ${jitter}, drawn per chunk without a seed (jest-chaos draws once per connection)`);
  } else if (rule.kind === 'bandwidth') {
    attributes = { rate: options.rate ?? 1 };
  } else if (rule.kind === 'limit-data') {
    attributes = { bytes: options.bytes ?? 0 };
  } else {
    const attribute = MS_ATTRIBUTES[rule.kind]!;
    const middle = Math.floor((ms.min + ms.max) / 2);
    if (ms.min !== ms.max) lost.push(`ms=${msText(ms)} (toxiproxy's ${attribute.name} is fixed: exported as ${middle} ms, the middle of the range)`);
    attributes = rule.kind === 'slicer' ? { average_size: options.bytes ?? DEFAULT_SLICE_BYTES, size_variation: 0, delay: middle * attribute.perMs } : { [attribute.name]: middle * attribute.perMs };
  }
  const streams: Stream[] = options.direction === 'both' ? ['upstream', 'downstream'] : [options.direction];
  return { toxics: streams.map((stream) => ({ type, stream, toxicity: options.p, attributes })), lost };
}

/** `host:port` with an IPv6 host in brackets. */
function address(host: string, port: number): string {
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

/** The host and port of a tcp target (`db.internal:5432`, `[::1]:6379`, `*:5432`). */
function splitTarget(target: string): { host: string; port: number } {
  const colon = target.lastIndexOf(':');
  return { host: target.slice(0, colon), port: Number(target.slice(colon + 1)) };
}

/** The upstream of a rule's target: given per target, else the target itself, with --upstream-host for `*` and globs. */
function upstreamOf(found: FoundTcpRule, options: ToxiproxyOptions): string {
  const { rule } = found;
  const given = options.upstreams.get(rule.target);
  if (given !== undefined) return given;
  const { host, port } = splitTarget(rule.target);
  if (!host.includes('*')) return rule.target;
  if (options.upstreamHost === undefined) {
    throw new ToxiproxyExportError(
      `jest-chaos export: ${rule.origin}: "${rule.source}" targets ${host === '*' ? 'every host' : `the hosts "${host}"`} on port ${port}, and a toxiproxy proxy forwards to one upstream host. Pass --upstream-host <host> (e.g. --upstream-host db.staging), or --upstream ${rule.target}=<host>:${port}`,
    );
  }
  return address(options.upstreamHost, port);
}

/** A proxy's name: its upstream, with every character other than a letter or a digit as `_` (`redis.staging:6379` → `redis_staging_6379`). */
function proxyName(upstream: string): string {
  return upstream.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** `name`, or `name_2`, `name_3`... when it is taken. */
function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}_${n}`;
  taken.add(candidate);
  return candidate;
}

/**
 * The proxies and toxics of the rules, in the order their upstreams first appear. One proxy per upstream; a
 * `tcp.down` rule disables its proxy; a toxic is named as toxiproxy names it by default (`<type>_<stream>`),
 * with `_2`, `_3`... when a proxy has several of one type and stream.
 */
export function toToxiproxy(rules: readonly FoundTcpRule[], options: ToxiproxyOptions): ToxiproxyExport {
  const proxies = new Map<string, { name: string; listen: string; enabled: boolean; toxics: ToxiproxyToxic[]; toxicNames: Set<string> }>();
  const proxyNames = new Set<string>();
  const warnings: { origin: string; text: string }[] = [];
  for (const found of rules) {
    const upstream = upstreamOf(found, options);
    let proxy = proxies.get(upstream);
    if (proxy === undefined) {
      const port = options.listenBase + proxies.size;
      if (port > 65535) {
        throw new ToxiproxyExportError(`jest-chaos export: ${proxies.size + 1} proxies from --listen-base ${options.listenBase} need ports up to ${port}, past 65535. Pass a lower --listen-base`);
      }
      proxy = { name: unique(proxyName(upstream), proxyNames), listen: address(options.listenHost, port), enabled: true, toxics: [], toxicNames: new Set() };
      proxies.set(upstream, proxy);
    }
    const { rule } = found;
    const { toxics, lost } = toxicsOf(rule);
    if (rule.kind === 'down') proxy.enabled = false;
    for (const toxic of toxics) proxy.toxics.push({ name: unique(`${toxic.type}_${toxic.stream}`, proxy.toxicNames), ...toxic });
    if (found.scope === 'test') lost.unshift('its scope (one chaos.test or chaos.describe in jest-chaos; in toxiproxy it acts on every connection through the proxy until it is removed)');
    if (lost.length > 0) warnings.push({ origin: rule.origin, text: `jest-chaos export: warning: ${rule.origin}: "${rule.source}": does not carry over: ${lost.join('; ')}` });
  }
  return {
    proxies: [...proxies].map(([upstream, proxy]) => ({ name: proxy.name, listen: proxy.listen, upstream, enabled: proxy.enabled, toxics: proxy.toxics })),
    warnings,
  };
}
