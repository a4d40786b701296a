import { ChaosError } from '../errors/chaos-error';
import { didYouMean } from '../errors/suggest';
import { httpTargetProblem, VALID_HTTP_TARGETS } from './target';
import { tcpTargetProblem, VALID_TCP_TARGETS } from '../tcp/target';
import { DOMAINS, HTTP_KINDS, STORE_KINDS, TCP_DIRECTIONS, TCP_KINDS } from './types';
import type { Domain, HttpKind, MsRange, Rule, RuleOptions, StoreKind, TcpDirection, TcpKind, TcpOptions } from './types';

const OPTION_KEYS = ['p', 'times', 'method', 'ms', 'status', 'retry-after', 'rate', 'bytes', 'direction'] as const;
type OptionKey = (typeof OPTION_KEYS)[number];

/** Words users reach for instead of an option key (the builder says `.probability(p)`). */
const KEY_ALIASES: ReadonlyMap<string, OptionKey> = new Map([
  ['probability', 'p'],
  ['prob', 'p'],
  ['count', 'times'],
  ['delay', 'ms'],
  ['code', 'status'],
  ['stream', 'direction'],
  ['kbps', 'rate'],
  ['size', 'bytes'],
  ['timeout', 'ms'],
  ['latency', 'ms'],
]);

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** Every `domain.kind`, for suggestions when the first token is not of that shape. */
const RULE_NAMES: readonly string[] = [
  ...HTTP_KINDS.map((kind) => `http.${kind}`),
  ...STORE_KINDS.map((kind) => `db.${kind}`),
  ...STORE_KINDS.map((kind) => `cache.${kind}`),
  ...TCP_KINDS.map((kind) => `tcp.${kind}`),
];

const WHITESPACE = /\s+/;
/** A token is an option when the text before its first `=` could be a key; otherwise it is a target (`https://x/?q=1`). */
const OPTION_TOKEN = /^([A-Za-z0-9_-]*)=(.*)$/;
/** A decimal number, with an optional exponent (`0.1`, `.5`, `1e-1`). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const PERCENT = /^(\d+(?:\.\d+)?)%$/;
/** The longest delay Node's timers keep: a longer one fires after 1 ms. */
export const MAX_MS = 2 ** 31 - 1;
const INTEGER = /^[+-]?\d+$/;
const MS_VALUE = /^(\d+)(?:-(\d+))?$/;
const NUMERIC_TARGET = /^\d+(?:-\d+)?$/;

const VALID_VALUE: Record<OptionKey, string> = {
  p: 'Valid: p=<number from 0 to 1>, e.g. p=0.3',
  times: 'Valid: times=<positive integer>, e.g. times=2',
  method: `Valid: method=${HTTP_METHODS.join(', ')}`,
  ms: 'Valid: ms=<milliseconds> or ms=<min>-<max> with min <= max, e.g. ms=1000 or ms=1000-5000',
  status: 'Valid: status=<integer from 100 to 599>, e.g. status=503',
  'retry-after': 'Valid: retry-after=<whole seconds, 0 or more>, e.g. retry-after=30',
  rate: 'Valid: rate=<KB per second, a positive integer>, e.g. rate=64',
  bytes: 'Valid: bytes=<positive integer>, e.g. bytes=1024',
  direction: `Valid: direction=${TCP_DIRECTIONS.join(', ')}`,
};

const DEFAULT_MS: MsRange = Object.freeze({ min: 0, max: 0 });

function includes<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** Kinds of the other domain that users carry over: `cache.refused` means `cache.down`. */
const KIND_ALIASES: Readonly<Record<'http' | 'store' | 'tcp', ReadonlyMap<string, string>>> = {
  http: new Map([
    ['down', 'refused'],
    ['lost', 'reset'],
    ['error', 'status'],
    ['delay', 'latency'],
  ]),
  store: new Map([
    ['refused', 'down'],
    ['reset', 'lost'],
    ['hang', 'timeout'],
    ['dns', 'down'],
    ['status', 'error'],
    ['malformed', 'error'],
    ['delay', 'latency'],
  ]),
  // Other domains' kinds, and toxiproxy's toxic names.
  tcp: new Map([
    ['refused', 'down'],
    ['lost', 'reset'],
    ['reset_peer', 'reset'],
    ['hang', 'timeout'],
    ['delay', 'latency'],
    ['limit_data', 'limit-data'],
    ['slow_close', 'slow-close'],
  ]),
};

/** The kinds of each domain. */
function kindsOf(domain: Domain): readonly string[] {
  return domain === 'http' ? HTTP_KINDS : domain === 'tcp' ? TCP_KINDS : STORE_KINDS;
}

/** tcp kinds that take `ms`: the delay, the time before the reset or the close. */
const TCP_MS_KINDS: ReadonlySet<string> = new Set(['reset', 'timeout', 'latency', 'slicer', 'slow-close']);

/** ` Did you mean "x"?` for a mistyped kind, a kind of the other domain, or `kind.extra`. */
function suggestKind(domain: Domain, kind: string, kinds: readonly string[]): string {
  const first = kind.split('.')[0]!;
  if (first !== kind && kinds.includes(first)) return ` Did you mean "${domain}.${first}"?`;
  const typo = didYouMean(kind, kinds);
  if (typo !== '') return typo;
  const alias = KIND_ALIASES[domain === 'http' || domain === 'tcp' ? domain : 'store'].get(kind.toLowerCase());
  return alias === undefined ? '' : ` Did you mean "${domain}.${alias}"?`;
}

function applies(key: OptionKey, domain: Domain, kind: string): boolean {
  switch (key) {
    case 'p':
    case 'times':
      return true;
    case 'method':
      return domain === 'http';
    case 'ms':
      if (domain === 'tcp') return TCP_MS_KINDS.has(kind);
      return !(domain === 'http' && kind === 'hang');
    case 'status':
    case 'retry-after':
      return domain === 'http' && kind === 'status';
    case 'rate':
      return domain === 'tcp' && kind === 'bandwidth';
    case 'bytes':
      return domain === 'tcp' && (kind === 'limit-data' || kind === 'slicer');
    case 'direction':
      return domain === 'tcp' && kind !== 'down';
  }
}

function whyNot(key: OptionKey, domain: Domain, kind: string): string {
  switch (key) {
    case 'method':
      return 'only to http rules';
    case 'ms':
      if (domain === 'tcp') return kind === 'down' ? 'a refusal is immediate' : `${kind === 'bandwidth' ? 'it takes rate' : 'it takes bytes'}, not a delay`;
      return 'it never answers';
    case 'rate':
      return 'only to tcp.bandwidth';
    case 'bytes':
      return 'only to tcp.limit-data and tcp.slicer';
    case 'direction':
      return domain === 'tcp' ? 'it refuses the connection before any data flows' : 'only to tcp rules';
    default:
      return 'only to http.status';
  }
}

/** Options that a kind cannot do without. */
const REQUIRED: Readonly<Record<string, OptionKey>> = { 'tcp.bandwidth': 'rate', 'tcp.limit-data': 'bytes' };

/**
 * Parses one fault rule: `domain "." kind [target] {key=value}` (CONTRACT section 3).
 * `origin` (`path/to/file.test.ts:4`, or a test name) appears in error messages.
 * Throws a ChaosError with code ERR_CHAOS_RULE on any mistake.
 */
export function parseRule(text: string, origin: string): Rule {
  if (typeof text !== 'string') {
    throw new ChaosError(
      'ERR_CHAOS_RULE',
      `jest-chaos: invalid rule ${String(text)} in ${origin}: a rule must be a string, got ${text === null ? 'null' : typeof text}. Valid: "<domain>.<kind> [target] [key=value ...]", e.g. "http.timeout api.example.com"`,
    );
  }
  const trimmed = text.trim();
  const tokens = trimmed === '' ? [] : trimmed.split(WHITESPACE);
  const source = tokens.join(' ');
  const fail = (what: string, valid: string, suggestion = ''): ChaosError =>
    new ChaosError('ERR_CHAOS_RULE', `jest-chaos: invalid rule "${source}" in ${origin}: ${what}. ${valid}.${suggestion}`);

  const head = tokens[0];
  if (head === undefined) {
    throw fail('the rule is empty', 'Valid: <domain>.<kind> [target] [key=value ...], e.g. "http.timeout api.example.com"');
  }
  const dot = head.indexOf('.');
  if (dot === -1) {
    throw fail(`"${head}" is not <domain>.<kind>`, `Valid domains: ${DOMAINS.join(', ')}, e.g. "http.timeout" or "db.down"`, didYouMean(head, RULE_NAMES));
  }
  const domainText = head.slice(0, dot);
  const kindText = head.slice(dot + 1);
  if (domainText === '') {
    const guess = RULE_NAMES.find((name) => name.endsWith(`.${kindText}`));
    throw fail(`"${head}" has no domain before "."`, `Valid domains: ${DOMAINS.join(', ')}`, guess === undefined ? '' : ` Did you mean "${guess}"?`);
  }
  if (!includes(DOMAINS, domainText)) {
    throw fail(`unknown domain "${domainText}"`, `Valid: ${DOMAINS.join(', ')}`, didYouMean(domainText, DOMAINS));
  }
  const domain: Domain = domainText;
  const kinds = kindsOf(domain);
  if (kindText === '') {
    throw fail(`"${head}" has no fault kind`, `Valid ${domain} faults: ${kinds.join(', ')}`);
  }
  if (!kinds.includes(kindText)) {
    throw fail(`unknown ${domain} fault "${kindText}"`, `Valid: ${kinds.join(', ')}`, suggestKind(domain, kindText, kinds));
  }
  const name = `${domain}.${kindText}`;
  const validKeys = (): string => `Valid options for ${name}: ${OPTION_KEYS.filter((key) => applies(key, domain, kindText)).join(', ')}`;

  let target: string | undefined;
  const seen = new Set<OptionKey>();
  let p = 1;
  let times: number | undefined;
  let method: string | undefined;
  let ms = DEFAULT_MS;
  let status: number | undefined = domain === 'http' && kindText === 'status' ? 503 : undefined;
  let retryAfter: number | undefined;
  let rate: number | undefined;
  let bytes: number | undefined;
  let direction: TcpDirection = 'downstream';

  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    const option = OPTION_TOKEN.exec(token);
    if (option === null) {
      if (target !== undefined) {
        throw fail(
          `more than one target ("${target}", "${token}")`,
          'Valid: one target per rule (write one rule per target, or a glob such as "*.example.com"), then key=value options',
        );
      }
      if (domain === 'http' && NUMERIC_TARGET.test(token)) {
        throw kindText === 'status'
          ? fail(`target "${token}" looks like a status code`, `Valid: http.status [target] status=${token}`)
          : fail(`target "${token}" looks like a delay`, `Valid: ${name} [target] ms=${token}`);
      }
      if (domain === 'http') {
        const problem = httpTargetProblem(token);
        if (problem !== undefined) throw fail(problem, VALID_HTTP_TARGETS);
      }
      if (domain === 'tcp') {
        const problem = tcpTargetProblem(token);
        if (problem !== undefined) throw fail(problem, VALID_TCP_TARGETS);
      }
      target = token;
      continue;
    }
    const key = option[1]!;
    const value = option[2]!;
    if (key === '') {
      throw fail(`option "${token}" has no key`, validKeys());
    }
    if (!includes(OPTION_KEYS, key)) {
      const alias = KEY_ALIASES.get(key);
      throw fail(`unknown option "${key}"`, validKeys(), alias === undefined ? didYouMean(key, OPTION_KEYS) : ` Did you mean "${alias}"?`);
    }
    if (!applies(key, domain, kindText)) {
      throw fail(`${key} does not apply to ${name} (${whyNot(key, domain, kindText)})`, validKeys());
    }
    if (seen.has(key)) {
      throw fail(`option "${key}" is given twice`, 'Valid: each option at most once');
    }
    seen.add(key);
    if (value === '') {
      throw fail(`option "${key}" has no value`, VALID_VALUE[key]);
    }
    const bad = (problem: string): ChaosError => fail(`"${token}" ${problem}`, VALID_VALUE[key]);
    switch (key) {
      case 'p': {
        if (!DECIMAL.test(value)) {
          const percent = PERCENT.exec(value);
          throw bad(percent === null ? 'is not a number' : `is not a number (for ${percent[1]}% write p=${Number(percent[1]) / 100})`);
        }
        p = Number(value) + 0; // turns -0 into 0
        if (p < 0 || p > 1) throw bad('is out of range');
        break;
      }
      case 'times':
        times = integer(value, 1, Number.MAX_SAFE_INTEGER, bad);
        break;
      case 'status':
        status = integer(value, 100, 599, bad);
        break;
      case 'retry-after':
        retryAfter = integer(value, 0, Number.MAX_SAFE_INTEGER, bad);
        break;
      case 'rate':
        rate = integer(value, 1, Number.MAX_SAFE_INTEGER, bad);
        break;
      case 'bytes':
        bytes = integer(value, 1, Number.MAX_SAFE_INTEGER, bad);
        break;
      case 'direction': {
        const lower = value.toLowerCase();
        if (!includes(TCP_DIRECTIONS, lower)) throw fail(`unknown direction "${value}"`, VALID_VALUE.direction, didYouMean(value, TCP_DIRECTIONS));
        direction = lower;
        break;
      }
      case 'method': {
        const upper = value.toUpperCase();
        if (!includes(HTTP_METHODS, upper)) {
          throw fail(`unknown method "${value}"`, VALID_VALUE.method, didYouMean(value, HTTP_METHODS));
        }
        method = upper;
        break;
      }
      case 'ms': {
        const range = MS_VALUE.exec(value);
        if (range === null) throw bad('is not a delay in whole milliseconds');
        const min = Number(range[1]);
        const max = range[2] === undefined ? min : Number(range[2]);
        if (min > max) throw bad('has its minimum above its maximum');
        if (max > MAX_MS) throw bad(`is out of range: at most ${MAX_MS} ms (24.8 days), the longest delay Node's timers keep`);
        ms = { min, max };
        break;
      }
    }
  }

  const options: RuleOptions = { p, times, method, ms, status, retryAfter };
  if (domain === 'tcp') {
    if (target === undefined) throw fail(`${name} names no target`, `${VALID_TCP_TARGETS}. A tcp rule faults the connections to one port, e.g. "${name} *:5432"`);
    const required = REQUIRED[name];
    if (required !== undefined && !seen.has(required)) throw fail(`${name} needs ${required}=`, VALID_VALUE[required]);
    const tcpOptions: TcpOptions = { ...options, rate, bytes, direction };
    return { source, origin, target, options: tcpOptions, domain, kind: kindText as TcpKind };
  }
  const base = { source, origin, target: target ?? '*', options };
  return domain === 'http' ? { ...base, domain, kind: kindText as HttpKind } : { ...base, domain, kind: kindText as StoreKind };
}

function integer(value: string, min: number, max: number, bad: (problem: string) => ChaosError): number {
  if (!INTEGER.test(value)) throw bad('is not an integer');
  const n = Number(value) + 0; // turns -0 into 0
  if (!Number.isSafeInteger(n) || n < min || n > max) throw bad('is out of range');
  return n;
}

/** Parses one rule string or a list of them, as `chaos.test` and `chaos.describe` accept. */
export function parseRules(input: string | readonly string[], origin: string): Rule[] {
  if (typeof input === 'string') return [parseRule(input, origin)];
  if (!Array.isArray(input)) {
    throw new ChaosError(
      'ERR_CHAOS_RULE',
      `jest-chaos: invalid rule ${String(input)} in ${origin}: rules must be a string or an array of strings, got ${input === null ? 'null' : typeof input}. Valid: "http.timeout" or ["http.timeout", "db.down primary"]`,
    );
  }
  return input.map((text) => parseRule(text, origin));
}
