import { ChaosError } from '../errors/chaos-error';

const OPTION_TOKEN = /^[A-Za-z0-9_-]*=/;

/** The builder method that sets each rule option, for messages. */
const OPTION_METHODS: Readonly<Record<string, string>> = {
  p: '.probability(p)',
  probability: '.probability(p)',
  times: '.times(n)',
  method: '.method(m)',
  ms: '.latency(ms) or .timeout(ms)',
  status: '.status(code)',
  'retry-after': '.status(code, retryAfter)',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `the array ${JSON.stringify(value)}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return typeof value === 'object' || typeof value === 'function' ? `a${typeof value === 'object' ? 'n' : ''} ${typeof value}` : `${typeof value} ${String(value)}`;
}

/**
 * Checks the target given to a fault builder (`chaos.http(target)`) before it is joined into a rule: a
 * target is one host, origin or URL glob, so text with whitespace or a `key=value` word would be read as options
 * (`chaos.http('a.example.com p=0')` silently meant p=0). `call` is how the user wrote the call
 * (`chaos.http()`), `where` the file:line of the call. Throws ERR_CHAOS_API. An undefined target (the
 * argument left out, meaning `*`) is the caller's to default before calling this.
 */
export function checkBuilderTarget(target: unknown, call: string, where: string): void {
  const shown = typeof target === 'string' ? JSON.stringify(target) : describe(target);
  const fail = (why: string, valid: string): never => {
    throw new ChaosError('ERR_CHAOS_API', `jest-chaos: invalid target ${shown} for ${call} at ${where}: ${why}. ${valid}.`);
  };
  const open = call.replace(/\(\)$/, '');
  const oneTarget = `Valid: one host, origin or URL glob, e.g. ${open}('api.example.com'), or no argument for * (every upstream)`;
  if (typeof target !== 'string') return fail(`expected a string, got ${describe(target)}`, oneTarget);
  const words = target.trim() === '' ? [] : target.trim().split(/\s+/);
  if (words.length === 0) return fail('the target is empty', oneTarget);
  // Shaped as the rule parser reads an option (a key, then `=`): a URL's query string (`?q=*`) is not one.
  const option = words.find((word) => OPTION_TOKEN.test(word));
  if (option !== undefined) {
    const key = option.slice(0, option.indexOf('='));
    const method = OPTION_METHODS[key];
    const host = words.find((word) => !OPTION_TOKEN.test(word)) ?? 'api.example.com';
    return fail(
      `"${option}" is an option, not part of a target`,
      method === undefined ? `${oneTarget}; options are set with the builder's methods` : `Valid: ${open}('${host}') and ${method} on the builder for ${key}`,
    );
  }
  if (words.length > 1) fail('a target has no spaces', `${oneTarget}; start one ${call} per target`);
}

/**
 * The `ms` option text for a builder's delay argument: a number of milliseconds (`250`) or a `[min, max]`
 * pair (`[100, 500]`). Anything else is an ERR_CHAOS_API error naming what was given, rather than a garbled
 * option (`.latency('abc')` used to become `ms=a-b`). Range checks (whole, 0 to 2^31-1, min <= max) are the
 * rule parser's.
 */
export function builderMsText(ms: unknown, call: string, where: string): string {
  if (typeof ms === 'number') return Number.isFinite(ms) ? String(ms) : badMs(ms, call, where);
  if (Array.isArray(ms) && ms.length === 2 && typeof ms[0] === 'number' && typeof ms[1] === 'number' && Number.isFinite(ms[0]) && Number.isFinite(ms[1])) return `${ms[0]}-${ms[1]}`;
  return badMs(ms, call, where);
}

function badMs(ms: unknown, call: string, where: string): never {
  throw new ChaosError(
    'ERR_CHAOS_API',
    `jest-chaos: invalid delay ${describe(ms)} for ${call} at ${where}: expected milliseconds. Valid: a whole number of milliseconds, e.g. ${call.replace(/\(\)$/, '(250)')}, or a [min, max] pair, e.g. ${call.replace(/\(\)$/, '([100, 500])')}.`,
  );
}
