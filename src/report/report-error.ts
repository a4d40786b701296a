/** Stable codes of the errors raised while writing, reading and merging reports. */
export type ReportErrorCode = 'ERR_CHAOS_REPORT_OPTIONS' | 'ERR_CHAOS_MERGE';

const marker = Symbol.for('jest-chaos.error');

/**
 * An error about a chaos report (an unreadable file, a wrong schema version, reports that do not belong
 * together, bad reporter options). Carries the same marker as ChaosError, so `isChaosError` accepts it.
 */
export class ReportError extends Error {
  readonly code: ReportErrorCode;
  readonly [marker] = true;

  constructor(code: ReportErrorCode, message: string) {
    super(message.startsWith('jest-chaos: ') ? message : `jest-chaos: ${message}`);
    this.name = 'ReportError';
    this.code = code;
  }
}

const CODES: readonly string[] = ['ERR_CHAOS_REPORT_OPTIONS', 'ERR_CHAOS_MERGE'];

export function isReportError(value: unknown): value is ReportError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { [marker]?: unknown; code?: unknown };
  return candidate[marker] === true && typeof candidate.code === 'string' && CODES.includes(candidate.code);
}
