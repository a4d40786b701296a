/**
 * Ranks a missing scenario A, B or C on the three axes of jest-chaos's method, from signals a parser can
 * see at the dependency's call sites, and says which signal decided:
 *
 * - A, financial decisions and safety: a file, function, URL or SQL text names money (`charge`, `balance`,
 *   `payment`, `order-total`, ...);
 * - B, state consistency: a write inside a transaction (for the kinds that break one half way), an
 *   idempotency key (for the kinds after which a request may have been applied), or consistency words;
 * - C, self-repair: retry, fallback or circuit-breaker code around the call whose path the kind would take,
 *   or self-repair words (`retry`, `health`, `recover`, `reconnect`, ...).
 *
 * `paths` (globs over the file's path) overrides the signals for the call sites of matching files. A
 * scenario without any signal gets `default` (C unless configured).
 */
import { closest } from '../errors/suggest';
import type { CallSite } from './call-sites';
import { globToRegExp } from './glob';
import type { Handling } from './handling';
import { ScanError } from './scan-error';
import { findWord, words } from './words';

export type Priority = 'A' | 'B' | 'C';
export const PRIORITIES: readonly Priority[] = ['A', 'B', 'C'];

export type SignalName = 'path' | 'financial-words' | 'transaction-write' | 'idempotency-key' | 'consistency-words' | 'self-repair-code' | 'self-repair-words' | 'default';

export const DEFAULT_WORDS: Readonly<Record<Priority, readonly string[]>> = {
  A: [
    'money', 'balance', 'charge', 'payment', 'pay', 'payout', 'billing', 'invoice', 'refund', 'price', 'pricing', 'trade', 'trading',
    'order-total', 'ledger', 'wallet', 'transfer', 'withdraw', 'withdrawal', 'deposit', 'fee', 'settlement', 'checkout', 'credit',
    'debit', 'amount', 'currency', 'exchange-rate', 'stripe', 'paypal', 'adyen', 'braintree', 'fraud', 'risk', 'safety',
  ],
  B: ['transaction', 'idempotency', 'idempotent', 'commit', 'rollback', 'outbox', 'saga', 'consistency', 'inventory', 'stock', 'reservation', 'booking'],
  C: ['retry', 'backoff', 'recover', 'recovery', 'reconnect', 'health', 'healthcheck', 'heal', 'failover', 'fallback', 'circuit', 'breaker', 'watchdog', 'restart', 'replica'],
};

/** The kinds whose scenario a structural signal speaks for, per domain. */
const TRANSACTION_KINDS: Readonly<Record<string, readonly string[]>> = { db: ['lost', 'timeout', 'error'], cache: ['lost', 'timeout', 'error'], tcp: ['reset', 'timeout', 'limit-data'] };
const IDEMPOTENCY_KINDS: Readonly<Record<string, readonly string[]>> = { http: ['timeout', 'hang', 'reset', 'status'] };
const SELF_REPAIR_KINDS: Readonly<Record<string, readonly string[]>> = {
  http: ['timeout', 'hang', 'refused', 'reset', 'dns', 'status'],
  db: ['down', 'lost', 'timeout', 'error'],
  cache: ['down', 'lost', 'timeout', 'error'],
  tcp: ['down', 'reset', 'timeout'],
};

export interface PriorityConfig {
  readonly words: Readonly<Record<Priority, readonly string[]>>;
  readonly paths: readonly { readonly glob: string; readonly pattern: RegExp; readonly priority: Priority }[];
  readonly default: Priority;
}

export const DEFAULT_PRIORITY_CONFIG: PriorityConfig = { words: DEFAULT_WORDS, paths: [], default: 'C' };

const CONFIG_KEYS = ['A', 'B', 'C', 'paths', 'default'];

/**
 * Reads `scan.priorities` (package.json's "jest-chaos" key, or the JSON file of `--priorities`):
 * `{ "A": ["ledger"], "B": { "words": ["booking"], "replace": true }, "paths": { "src/legacy/**": "C" }, "default": "C" }`.
 * A list adds words to the defaults; `{ words, replace: true }` replaces them. `where` names the source in errors.
 */
export function readPriorityConfig(raw: unknown, where: string): PriorityConfig {
  const fail = (why: string, valid: string): ScanError => new ScanError(`invalid scan priorities in ${where}: ${why}. ${valid}`);
  const shape = 'Valid: { "A": [words], "B": [words], "C": [words], "paths": { "<glob>": "A" | "B" | "C" }, "default": "A" | "B" | "C" }';
  if (raw === undefined) return DEFAULT_PRIORITY_CONFIG;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail(`expected an object, got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}`, shape);
  const object = raw as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!CONFIG_KEYS.includes(key)) {
      const near = closest(key, CONFIG_KEYS);
      throw fail(`unknown key "${key}"`, `${shape}.${near === undefined ? '' : ` Did you mean "${near}"?`}`);
    }
  }
  const isPriority = (value: unknown): value is Priority => value === 'A' || value === 'B' || value === 'C';
  const stringList = (value: unknown, what: string): string[] => {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) throw fail(`${what} must be a list of words`, `Valid: ${what}: ["ledger", "order-total"]`);
    return value as string[];
  };
  const wordsOf = (priority: Priority): readonly string[] => {
    const value = object[priority];
    if (value === undefined) return DEFAULT_WORDS[priority];
    if (Array.isArray(value)) return [...DEFAULT_WORDS[priority], ...stringList(value, `"${priority}"`)];
    if (value !== null && typeof value === 'object') {
      const entry = value as Record<string, unknown>;
      for (const key of Object.keys(entry)) {
        if (key !== 'words' && key !== 'replace') throw fail(`unknown key "${priority}.${key}"`, `Valid: "${priority}": { "words": [...], "replace": true }`);
      }
      const list = stringList(entry.words ?? [], `"${priority}.words"`);
      if (entry.replace !== undefined && typeof entry.replace !== 'boolean') throw fail(`"${priority}.replace" must be true or false`, `Valid: "${priority}": { "words": [...], "replace": true }`);
      return entry.replace === true ? list : [...DEFAULT_WORDS[priority], ...list];
    }
    throw fail(`"${priority}" must be a list of words or { "words": [...], "replace": true }`, shape);
  };
  const paths: PriorityConfig['paths'][number][] = [];
  if (object.paths !== undefined) {
    if (object.paths === null || typeof object.paths !== 'object' || Array.isArray(object.paths)) throw fail('"paths" must map globs to priorities', 'Valid: "paths": { "src/billing/**": "A" }');
    for (const [glob, priority] of Object.entries(object.paths as Record<string, unknown>)) {
      if (!isPriority(priority)) throw fail(`"paths" gives "${String(priority)}" for "${glob}"`, 'Valid priorities: A, B, C');
      paths.push({ glob, pattern: globToRegExp(glob), priority });
    }
  }
  if (object.default !== undefined && !isPriority(object.default)) throw fail(`"default" is "${String(object.default)}"`, 'Valid: "default": "A", "B" or "C"');
  return { words: { A: wordsOf('A'), B: wordsOf('B'), C: wordsOf('C') }, paths, default: isPriority(object.default) ? object.default : 'C' };
}

/** What priority signals read of a call site (a registered seam with no call site is one too). */
export type Subject = Pick<CallSite, 'file' | 'line' | 'enclosing' | 'handling' | 'write' | 'transaction' | 'idempotencyKey' | 'texts'>;

export interface Ranking {
  readonly priority: Priority;
  readonly signal: SignalName;
  /** Why, naming the file and line: `src/billing/charge.ts:12: chargeCard() names "charge"`. */
  readonly because: string;
}

const RANK: Readonly<Record<Priority, number>> = { A: 0, B: 1, C: 2 };

/** Within one priority: a configured path first, then what the code does, then what it is named, then nothing. */
const STRENGTH: Readonly<Record<SignalName, number>> = {
  path: 0,
  'transaction-write': 1,
  'idempotency-key': 1,
  'self-repair-code': 1,
  'financial-words': 2,
  'consistency-words': 2,
  'self-repair-words': 2,
  default: 3,
};

/** Whether ranking `a` decides over `b`: a higher priority, or the same one from a stronger signal. */
export function better(a: Ranking, b: Ranking): boolean {
  return RANK[a.priority] < RANK[b.priority] || (RANK[a.priority] === RANK[b.priority] && STRENGTH[a.signal] < STRENGTH[b.signal]);
}

function where(subject: Subject): string {
  const name = subject.enclosing.length > 0 ? ` in ${subject.enclosing.join('.')}()` : '';
  return `${subject.file}:${subject.line}${name}`;
}

function describeText(text: Subject['texts'][number]): string {
  switch (text.where) {
    case 'file':
      return 'its file';
    case 'function':
      return `${text.text}()`;
    case 'call':
      return `the call ${text.text}`;
    case 'url':
      return 'its URL';
    case 'sql':
      return 'its SQL';
  }
}

/** SQL text counts for money words (`balance`, `amount` columns) only: for the others it holds keywords (`COMMIT`). */
function wordSignal(subject: Subject, list: readonly string[], sql = false): string | undefined {
  for (const text of subject.texts) {
    if (text.where === 'sql' && !sql) continue;
    const found = findWord(words(text.text), list);
    if (found !== undefined) return `${describeText(text)} names "${found}"`;
  }
  return undefined;
}

function selfRepair(handling: readonly Handling[]): Handling | undefined {
  return handling.find((entry) => entry.kind === 'retry' || entry.kind === 'circuit-breaker') ?? handling.find((entry) => entry.kind === 'fallback');
}

function describeHandling(handling: Handling): string {
  const verb = handling.kind === 'retry' ? 'retries' : handling.kind === 'circuit-breaker' ? 'sits behind a circuit breaker' : 'falls back';
  return `${verb} (${handling.detail}${handling.via === undefined ? '' : ` in ${handling.via}()`} at line ${handling.line})`;
}

/** The priority of one call site for one fault kind of its dependency, with the signal that decided it. */
export function rankSubject(subject: Subject, domain: string, kind: string, config: PriorityConfig): Ranking {
  const at = where(subject);
  for (const rule of config.paths) {
    if (rule.pattern.test(subject.file)) return { priority: rule.priority, signal: 'path', because: `${at}: the file matches scan.priorities.paths "${rule.glob}"` };
  }
  const financial = wordSignal(subject, config.words.A, true);
  if (financial !== undefined) return { priority: 'A', signal: 'financial-words', because: `${at}: ${financial}` };
  if (subject.transaction && subject.write && TRANSACTION_KINDS[domain]?.includes(kind) === true) {
    return { priority: 'B', signal: 'transaction-write', because: `${at}: writes inside a transaction` };
  }
  if (subject.idempotencyKey && IDEMPOTENCY_KINDS[domain]?.includes(kind) === true) {
    return { priority: 'B', signal: 'idempotency-key', because: `${at}: sends an idempotency key` };
  }
  const consistency = wordSignal(subject, config.words.B);
  if (consistency !== undefined) return { priority: 'B', signal: 'consistency-words', because: `${at}: ${consistency}` };
  const repair = selfRepair(subject.handling);
  if (repair !== undefined && SELF_REPAIR_KINDS[domain]?.includes(kind) === true) {
    return { priority: 'C', signal: 'self-repair-code', because: `${at}: ${describeHandling(repair)}` };
  }
  const repairWords = wordSignal(subject, config.words.C);
  if (repairWords !== undefined) return { priority: 'C', signal: 'self-repair-words', because: `${at}: ${repairWords}` };
  return { priority: config.default, signal: 'default', because: `${at}: no A, B or C signal (default priority)` };
}

const TIMEOUT_KINDS = new Set(['timeout', 'hang', 'latency', 'bandwidth', 'slicer', 'slow-close']);

/** What the scenario's kind meets at the call sites: `with no timeout`, `with no error handling`, or ''. */
export function gap(kind: string, handling: readonly Handling[]): string {
  if (TIMEOUT_KINDS.has(kind)) return handling.some((entry) => entry.kind === 'timeout' || entry.kind === 'abort-signal') ? '' : 'with no timeout';
  return handling.some((entry) => entry.kind === 'try-catch' || entry.kind === 'catch') ? '' : 'with no error handling';
}
