import { captureDeep, withoutOwnFrames } from './stack';

export { withoutOwnFrames } from './stack';

/** Stable codes for every error that jest-chaos raises on purpose. */
export type ChaosErrorCode =
  | 'ERR_CHAOS_PRAGMA'
  | 'ERR_CHAOS_RULE'
  | 'ERR_CHAOS_ENV'
  | 'ERR_CHAOS_TAGS'
  | 'ERR_CHAOS_API'
  | 'ERR_CHAOS_PATCH'
  | 'ERR_CHAOS_NET_CONNECT'
  | 'ERR_CHAOS_STRICT'
  | 'ERR_CHAOS_CONFIG';

const marker = Symbol.for('jest-chaos.error');

/**
 * An error raised by jest-chaos itself (never an injected fault). Its message always starts with
 * `jest-chaos: `; its stack holds the user's frames only. Use `isChaosError` rather than `instanceof`:
 * Jest runs test files in their own realm.
 */
export class ChaosError extends Error {
  readonly code: ChaosErrorCode;
  readonly [marker] = true;

  constructor(code: ChaosErrorCode, message: string, options?: ErrorOptions) {
    super(message.startsWith('jest-chaos: ') ? message : `jest-chaos: ${message}`, options);
    this.name = 'ChaosError';
    this.code = code;
    // Only the user's frames: Jest's code frame is then the user's call (a builder, chaos.test, register),
    // not jest-chaos's parser; an error raised where no user code is on the stack shows its message alone.
    captureDeep(this, new.target);
    if (typeof this.stack === 'string') this.stack = withoutOwnFrames(this.stack);
  }
}

export function isChaosError(value: unknown): value is ChaosError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
