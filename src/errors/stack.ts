import path from 'node:path';

/**
 * What users read of a stack: Jest prints a failed test's error with its frames and a code frame of the
 * first frame outside node_modules. The errors that jest-chaos raises or injects are built so that neither
 * shows jest-chaos's own code: its frames say nothing to a user, and its `dist/` file is not the line to fix.
 */

/** The package's own code (`dist/` once built, `node_modules/jest-chaos/dist/` once installed). */
const OWN_CODE = path.resolve(__dirname, '..', '..') + path.sep;

const FRAME = /^\s+at /;
const FOREIGN_FRAME = /[\\/]node_modules[\\/]|\(node:|at node:|<anonymous>\)?$/;
/** The interception layer (nock, @mswjs/interceptors, msw): a request that really failed never passed through it. */
const INTERCEPTION_FRAME = /[\\/]node_modules[\\/](?:nock|msw|@mswjs[\\/]interceptors|@open-draft[\\/][\w.-]+)[\\/]/;

/** How deep a stack is captured, whatever `Error.stackTraceLimit` says: deep enough to get past jest-chaos's frames to the user's. */
const DEPTH = 100;

function keepFrames(stack: string, drop: (frame: string) => boolean): string {
  return stack
    .split('\n')
    .filter((line) => !(FRAME.test(line) && drop(line)))
    .join('\n');
}

/**
 * The stack with only the user's own frames: those of jest-chaos, of node_modules and of Node's internals
 * are dropped; what remains (the user's call site, if any) is kept, so that Jest's code frame is the user's line.
 */
export function withoutOwnFrames(stack: string, own: string = OWN_CODE): string {
  return keepFrames(stack, (line) => line.includes(own) || FOREIGN_FRAME.test(line));
}

/**
 * The stack less the frames that only an injected failure has: jest-chaos's own and the interception
 * layer's. The client's frames, Node's and the user's stay, as they are in the real failure.
 */
export function withoutInjectionFrames(stack: string, own: string = OWN_CODE): string {
  return keepFrames(stack, (line) => line.includes(own) || INTERCEPTION_FRAME.test(line));
}

/**
 * Records the stack of `error` afresh, from the caller of `below` (default: the caller of this function),
 * at least DEPTH frames deep: the default limit of 10 can end inside jest-chaos, before the user's frames.
 */
export function captureDeep(error: Error, below: Function = captureDeep): void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(limit, DEPTH);
  try {
    Error.captureStackTrace(error, below);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Gives `error` a stack of its first line alone, as Node's errors from the event loop (a refused connection,
 * a reset, a failed lookup) have once Jest hides Node's internal frames: no frame, no code frame.
 */
export function headerOnly<E extends Error>(error: E): E {
  error.stack = Error.prototype.toString.call(error);
  return error;
}

/**
 * Drops jest-chaos's own frames from the stack of `error`, an Error that a client built while a patched
 * method of jest-chaos was on the stack (a driver's method that jest-chaos passes a call through): the
 * client's frames and the user's stay, as they are without jest-chaos. Anything else is returned as is.
 */
export function withoutPassThroughFrames<T>(error: T): T {
  // Not `instanceof`: the client's errors come from the test file's realm.
  if (typeof error === 'object' && error !== null && typeof (error as { stack?: unknown }).stack === 'string') {
    const withStack = error as unknown as { stack: string };
    withStack.stack = withoutInjectionFrames(withStack.stack);
  }
  return error;
}

/**
 * Drops jest-chaos's own frames from the stack of an error a test failed with, and of its causes: frames it
 * got because jest-chaos was on the call path when it was made (the wrapper of the test's function, a
 * hand-over from nock or msw to the client that built the error). What the test, its libraries and Node put
 * there stays, so Jest prints the stack and the code frame as plain Jest would. An error that jest-chaos's
 * own code threw (its first frame is jest-chaos's) keeps its frames: they are where to look. An error whose
 * stack cannot be written is left as it is.
 */
export function withoutFramesPassedThrough<T>(thrown: T, own: string = OWN_CODE): T {
  let error: unknown = thrown;
  for (let depth = 0; depth < 5 && typeof error === 'object' && error !== null; depth++) {
    const stack = (error as { stack?: unknown }).stack;
    const first = typeof stack === 'string' ? stack.split('\n').find((line) => FRAME.test(line)) : undefined;
    if (typeof stack === 'string' && stack.includes(own) && !first?.includes(own)) {
      try {
        (error as { stack: string }).stack = keepFrames(stack, (line) => line.includes(own));
      } catch {
        // A frozen or accessor-only stack: shown as it is.
      }
    }
    error = (error as { cause?: unknown }).cause;
  }
  return thrown;
}
