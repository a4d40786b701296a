/** Stable code of the errors `jest-chaos scan` raises: bad options, an unreadable project, a missing parser. */
export type ScanErrorCode = 'ERR_CHAOS_SCAN';

const marker = Symbol.for('jest-chaos.error');

/**
 * An error of `jest-chaos scan` (and of `init --agent`). Carries the same marker as ChaosError, so
 * `isChaosError` accepts it too; `isScanError` tells it apart by its code.
 */
export class ScanError extends Error {
  readonly code: ScanErrorCode = 'ERR_CHAOS_SCAN';
  readonly [marker] = true;

  constructor(message: string) {
    super(message.startsWith('jest-chaos: ') ? message : `jest-chaos: ${message}`);
    this.name = 'ScanError';
  }
}

export function isScanError(value: unknown): value is ScanError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { [marker]?: unknown; code?: unknown };
  return candidate[marker] === true && candidate.code === 'ERR_CHAOS_SCAN';
}
