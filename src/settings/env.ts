import { ChaosError } from '../errors/chaos-error';
import { parseTagExpression, type TagExpression } from '../tags/expression';
import { chaosRequests, describeRequest, requestReason, TEST_NAME_PATTERN_VARIABLE, type ChaosRequest } from '../selection/chaos-request';

/** What the environment variables of a run ask for (CONTRACT section 5). */
export interface ChaosSettings {
  readonly enabled: boolean;
  /** CHAOS_SEED, or the seed the runner drew for this run; undefined when neither is known. */
  readonly seed: number | undefined;
  /** True when the seed was drawn rather than given by the user. */
  readonly seedDrawn: boolean;
  /** CHAOS_TAGS compiled, or undefined when unset or empty. */
  readonly tags: TagExpression | undefined;
  /**
   * What turned chaos on when CHAOS_ENABLED is unset: a `--testNamePattern` or a CHAOS_TAGS expression
   * that asks for chaos tests (docs/selection.md). Undefined when CHAOS_ENABLED decided, or chaos is off.
   */
  readonly enabledBy: ChaosRequest | undefined;
  /** CHAOS_STRICT: unmatched rules and requests refused by the loopback guard fail the test. */
  readonly strict: boolean;
}

/** Where the runner hands a drawn seed to the workers it starts. */
export const DRAWN_SEED_VARIABLE = 'JEST_CHAOS_DRAWN_SEED';

const TRUE_VALUES = ['1', 'true', 'yes', 'on'];
const FALSE_VALUES = ['0', 'false', 'no', 'off', ''];
export const MAX_SEED = 0xffffffff;

/** Reads an on/off variable: `what` names what it switches in the message (`chaos`, `strict mode`). */
export function parseSwitch(name: string, raw: string | undefined, what: string): boolean {
  if (raw === undefined) return false;
  const value = raw.trim().toLowerCase();
  if (TRUE_VALUES.includes(value)) return true;
  if (FALSE_VALUES.includes(value)) return false;
  throw new ChaosError(
    'ERR_CHAOS_ENV',
    `invalid ${name}="${raw}" in the environment: not a switch value. ` +
      `Valid: ${TRUE_VALUES.join(', ')} to enable ${what}; ${FALSE_VALUES.filter(Boolean).join(', ')} or unset to disable it.`,
  );
}

export function parseEnabled(raw: string | undefined): boolean {
  return parseSwitch('CHAOS_ENABLED', raw, 'chaos');
}

/** Parses a seed written by a user (env var or pragma): a decimal integer in [0, 2^32 - 1]. */
export function parseSeed(raw: string, where: string): number {
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) > MAX_SEED) {
    throw new ChaosError(
      'ERR_CHAOS_ENV',
      `invalid CHAOS_SEED="${raw}" in ${where}: not a seed. Valid: a whole number from 0 to ${MAX_SEED}, such as the one a failing chaos test prints in its replay command.`,
    );
  }
  return Number(value);
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): ChaosSettings {
  const enabled = parseEnabled(env.CHAOS_ENABLED);
  const given = env.CHAOS_SEED;
  const drawn = env[DRAWN_SEED_VARIABLE];
  let seed: number | undefined;
  let seedDrawn = false;
  if (given !== undefined && given.trim() !== '') {
    seed = parseSeed(given, 'the environment');
  } else if (drawn !== undefined && drawn !== '') {
    seed = parseSeed(drawn, 'the environment');
    seedDrawn = true;
  }
  const rawTags = env.CHAOS_TAGS;
  const tags = rawTags !== undefined && rawTags.trim() !== '' ? parseTagExpression(rawTags, 'CHAOS_TAGS') : undefined;
  const strict = parseSwitch('CHAOS_STRICT', env.CHAOS_STRICT, 'strict mode');
  const requests = chaosRequests(env[TEST_NAME_PATTERN_VARIABLE], tags);
  const rawEnabled = env.CHAOS_ENABLED;
  if (rawEnabled !== undefined && rawEnabled.trim() !== '') {
    if (!enabled && requests[0] !== undefined) throw conflict(rawEnabled, requests[0]);
    return { enabled, seed, seedDrawn, tags, enabledBy: undefined, strict };
  }
  const enabledBy = requests[0];
  return { enabled: enabledBy !== undefined, seed, seedDrawn, tags, enabledBy, strict };
}

function conflict(rawEnabled: string, request: ChaosRequest): ChaosError {
  const change = request.by === 'CHAOS_TAGS' ? 'change CHAOS_TAGS' : 'change the pattern';
  return new ChaosError(
    'ERR_CHAOS_ENV',
    `jest-chaos: conflicting settings in the environment: CHAOS_ENABLED=${rawEnabled.trim()} turns chaos off, but ${describeRequest(request)} asks for chaos tests (${requestReason(request)}), which would all be skipped. ` +
      `Unset CHAOS_ENABLED or set it to 1 to run them, or ${change}.`,
  );
}

/** The first line of a run that chaos is on for because it asked for chaos tests. */
export function enabledByLine(request: ChaosRequest): string {
  return `jest-chaos: chaos enabled for this run because ${describeRequest(request)} asks for chaos tests and CHAOS_ENABLED is unset.`;
}
