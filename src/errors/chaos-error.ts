import path from 'node:path';

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

/** The package's own code (`dist/` once built): its frames say nothing to a user and are left out of stacks. */
const OWN_CODE = path.resolve(__dirname, '..', '..') + path.sep;

const FRAME = /^\s+at /;
const FOREIGN_FRAME = /[\\/]node_modules[\\/]|\(node:|at node:|<anonymous>\)?$/;

/**
 * The stack with only the user's own frames. Jest prints a thrown error's stack with a code frame of its
 * top frame: for a mistake in a pragma or a rule that would be jest-chaos's parser or Jest's runner, not
 * the user's file. Frames of jest-chaos itself, of node_modules and of Node's internals are dropped; what
 * remains (the user's call site, if any) is kept.
 */
export function withoutOwnFrames(stack: string, own: string = OWN_CODE): string {
  return stack
    .split('\n')
    .filter((line) => !(FRAME.test(line) && (line.includes(own) || FOREIGN_FRAME.test(line))))
    .join('\n');
}

/**
 * An error raised by jest-chaos itself (never an injected fault).
 * Its message always starts with `jest-chaos: `. Use `isChaosError` rather than
 * `instanceof`: Jest runs test files in their own realm.
 */
export class ChaosError extends Error {
  readonly code: ChaosErrorCode;
  readonly [marker] = true;

  constructor(code: ChaosErrorCode, message: string) {
    super(message.startsWith('jest-chaos: ') ? message : `jest-chaos: ${message}`);
    this.name = 'ChaosError';
    this.code = code;
    if (typeof this.stack === 'string') this.stack = withoutOwnFrames(this.stack);
  }
}

export function isChaosError(value: unknown): value is ChaosError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
