import { ChaosError } from '../errors/chaos-error';
import { parseTagExpression, type TagExpression } from '../tags/expression';

/** What the environment variables of a run ask for (CONTRACT section 5). */
export interface ChaosSettings {
  readonly enabled: boolean;
  /** CHAOS_SEED, or the seed the runner drew for this run; undefined when neither is known. */
  readonly seed: number | undefined;
  /** True when the seed was drawn rather than given by the user. */
  readonly seedDrawn: boolean;
  /** CHAOS_TAGS compiled, or undefined when unset or empty. */
  readonly tags: TagExpression | undefined;
}

/** Where the runner hands a drawn seed to the workers it starts. */
export const DRAWN_SEED_VARIABLE = 'JEST_CHAOS_DRAWN_SEED';

const TRUE_VALUES = ['1', 'true', 'yes', 'on'];
const FALSE_VALUES = ['0', 'false', 'no', 'off', ''];
export const MAX_SEED = 0xffffffff;

export function parseEnabled(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const value = raw.trim().toLowerCase();
  if (TRUE_VALUES.includes(value)) return true;
  if (FALSE_VALUES.includes(value)) return false;
  throw new ChaosError(
    'ERR_CHAOS_ENV',
    `invalid CHAOS_ENABLED="${raw}" in the environment: not a switch value. ` +
      `Valid: ${TRUE_VALUES.join(', ')} to enable chaos; ${FALSE_VALUES.filter(Boolean).join(', ')} or unset to disable it.`,
  );
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
  return { enabled, seed, seedDrawn, tags };
}
