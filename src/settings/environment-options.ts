import { ChaosError } from '../errors/chaos-error';
import { didYouMean } from '../errors/suggest';
import { httpTargetProblem, VALID_HTTP_TARGETS } from '../rules/target';
import { readTimeMode, type TimeMode } from '../runtime/time-mode';

/** What `testEnvironmentOptions.chaos` may hold. */
export interface EnvironmentOptions {
  /** Non-loopback http targets that chaos tests may reach for real. */
  readonly allowNetConnect: readonly string[];
  /** `'virtual'` runs every chaos test on the virtual clock (docs/virtual-time.md); `'real'` by default. */
  readonly time: TimeMode;
  /** As CHAOS_STRICT=1 for this project: a chaos test with an unmatched rule or a refused request fails. */
  readonly strict: boolean;
}

const KEYS = ['allowNetConnect', 'time', 'strict'] as const;
const WHERE = 'testEnvironmentOptions.chaos';

/**
 * Checks `testEnvironmentOptions.chaos` as Jest hands it over (any JSON-like value). `where` names the
 * config for messages (its rootDir). Throws ERR_CHAOS_CONFIG on unknown keys and bad values.
 */
export function readEnvironmentOptions(raw: unknown, where = 'the Jest config'): EnvironmentOptions {
  const fail = (what: string, why: string, valid: string, suggestion = ''): ChaosError =>
    new ChaosError('ERR_CHAOS_CONFIG', `jest-chaos: invalid ${what} in ${where}: ${why}. ${valid}.${suggestion}`);
  if (raw === undefined || raw === null) return { allowNetConnect: [], time: 'real', strict: false };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw fail(WHERE, `expected an object, got ${describe(raw)}`, "Valid: { allowNetConnect: ['host.example.com'] }");
  }
  for (const key of Object.keys(raw)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new ChaosError('ERR_CHAOS_CONFIG', `jest-chaos: unknown option "${key}" in ${WHERE} (${where}). Valid: ${KEYS.join(', ')}.${didYouMean(key, KEYS)}`);
    }
  }
  const time = readTimeMode((raw as { time?: unknown }).time, where);
  const strictValue = (raw as { strict?: unknown }).strict;
  if (strictValue !== undefined && typeof strictValue !== 'boolean') {
    throw fail(`${WHERE}.strict`, `expected true or false, got ${describe(strictValue)}`, 'Valid: strict: true (a chaos test whose rule matched no call, or whose request the loopback guard refused, fails) or strict: false');
  }
  const strict = strictValue === true;
  const list = (raw as { allowNetConnect?: unknown }).allowNetConnect;
  if (list === undefined) return { allowNetConnect: [], time, strict };
  const validList = `Valid: an array of http targets, e.g. allowNetConnect: ['api.example.com', 'https://*.internal.example.com']`;
  if (!Array.isArray(list)) throw fail(`${WHERE}.allowNetConnect`, `expected an array, got ${describe(list)}`, validList);
  list.forEach((item: unknown, index) => {
    const what = `${WHERE}.allowNetConnect[${index}]`;
    if (typeof item !== 'string' || item.trim() === '') throw fail(what, `expected a non-empty string, got ${describe(item)}`, validList);
    const problem = httpTargetProblem(item);
    if (problem !== undefined) throw fail(what, problem, VALID_HTTP_TARGETS);
  });
  return { allowNetConnect: Object.freeze([...(list as string[])]), time, strict };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
