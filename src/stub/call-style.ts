/** How a method reports failure: by throwing, by rejecting, or through a Node-style callback. */
export type CallStyle = 'auto' | 'sync' | 'promise' | 'callback';

/** Every style that `register({ style })` and `stub(object, method, { style })` accept. */
export const CALL_STYLES: readonly CallStyle[] = ['auto', 'sync', 'promise', 'callback'];

/** What a faulted call does: throws, returns a promise, or hands the error to its callback. */
export type ResolvedStyle = Exclude<CallStyle, 'auto'>;

/**
 * Whether `fn` was declared `async` (an async function, method or arrow, or a bound one). Read from its
 * `Symbol.toStringTag`, which the test realm's async functions carry too and which a bound function inherits.
 */
export function isAsyncFunction(fn: Function): boolean {
  return Object.prototype.toString.call(fn) === '[object AsyncFunction]';
}

/**
 * The style of a faulted method, decided once per method from what its declaration says, never by calling it:
 * calling the original to see whether it returns a promise would run the very call that the fault stands in for.
 *
 * - `'auto'` and an `async` function: the fault is a rejected promise.
 * - `'auto'` and any other function: the fault is thrown, as a synchronous method fails. A function that returns
 *   a promise without being declared `async` (a `jest.fn().mockResolvedValue()`, a method that returns
 *   `pool.query()`, code compiled for ES2016 or older) must say so with `style: 'promise'`.
 * - `'auto'` never calls back: a trailing function argument (`transaction(fn)`, `forEach(fn)`) is not
 *   necessarily a Node-style callback. Only a declared `style: 'callback'` calls back.
 */
export function resolveStyle(style: CallStyle, original: Function): ResolvedStyle {
  if (style !== 'auto') return style;
  return isAsyncFunction(original) ? 'promise' : 'sync';
}
