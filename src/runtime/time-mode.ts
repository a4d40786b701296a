import { ChaosError } from '../errors/chaos-error';

/** How a chaos test's timers run: on real time, or on the virtual clock (docs/virtual-time.md). */
export type TimeMode = 'real' | 'virtual';

const VALID = "Valid: time: 'virtual' (or 'real', the default)";

/** Reads `testEnvironmentOptions.chaos.time`; `where` names the config for the message. */
export function readTimeMode(raw: unknown, where: string): TimeMode {
  if (raw === undefined || raw === 'real') return 'real';
  if (raw === 'virtual') return 'virtual';
  const shown = typeof raw === 'string' ? `"${raw}"` : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  throw new ChaosError('ERR_CHAOS_CONFIG', `jest-chaos: invalid testEnvironmentOptions.chaos.time in ${where}: ${shown} is not a time mode. ${VALID}.`);
}
