import type { FaultEvent } from '../runtime/rule-state';
import type { CallStyle } from '../stub/call-style';

export type { FaultEvent, CallStyle };

/** One rule string or several, in the pragma grammar (`http.timeout api.example.com p=0.5`). */
export type Rules = string | readonly string[];

/** A seam of the user's own code that `db.<kind> <name>` / `cache.<kind> <name>` rules fault. */
export interface Registration {
  readonly domain: 'db' | 'cache';
  readonly name: string;
  readonly object: object;
  readonly methods: readonly string[];
  /**
   * How the methods report failure (docs/seams.md). `'auto'` (default): a rejected promise from an `async`
   * function, a thrown error from any other; it never calls back. `'sync'` throws, `'promise'` rejects,
   * `'callback'` passes the error to the call's trailing function.
   */
  readonly style?: CallStyle;
}

/** The third argument of `chaos.stub()`. */
export interface StubOptions {
  /** How the method reports failure, as for `chaos.register()`; default `'auto'`. */
  readonly style?: CallStyle;
}

export interface HttpFaultBuilder {
  timeout(ms?: number): HttpFaultBuilder;
  hang(): HttpFaultBuilder;
  refused(): HttpFaultBuilder;
  reset(): HttpFaultBuilder;
  dns(): HttpFaultBuilder;
  status(code?: number, retryAfterSeconds?: number): HttpFaultBuilder;
  latency(ms: number | readonly [number, number]): HttpFaultBuilder;
  malformed(): HttpFaultBuilder;
  probability(p: number): HttpFaultBuilder;
  times(n: number): HttpFaultBuilder;
  method(method: string): HttpFaultBuilder;
}

export interface StubBuilder {
  down(): StubBuilder;
  lost(): StubBuilder;
  timeout(ms?: number): StubBuilder;
  latency(ms: number | readonly [number, number]): StubBuilder;
  /** Fail with your own error (thrown, rejected or passed to the callback, as the method's style reports errors). */
  fail(error: unknown): StubBuilder;
  probability(p: number): StubBuilder;
  times(n: number): StubBuilder;
}

type TestFn = (() => unknown) | ((done: (error?: unknown) => void) => void);

/** The `chaos` global of the chaos environment, also exported by `jest-chaos`. */
export interface Chaos {
  /** True when this run has chaos enabled (CHAOS_ENABLED). */
  readonly enabled: boolean;
  /** The seed of the running test's generator (derived from the base seed, the file and the test's name). */
  readonly seed: number;
  /** The base seed of this file: CHAOS_SEED, `@chaos-seed`, or the one drawn for the run. */
  readonly baseSeed: number;
  /** A seeded float in [0, 1) from the running test's own stream. */
  random(): number;
  /** The faults injected so far in the running test, in order. */
  events(): readonly FaultEvent[];
  /** Faults HTTP requests whose URL matches `target` (default `*`) until the test ends. */
  http(target?: string): HttpFaultBuilder;
  /** Faults `object[method]` until the test ends; `options.style` says how the method reports failure. */
  stub<T extends object>(object: T, method: keyof T & string, options?: StubOptions): StubBuilder;
  /** Makes `db.*`/`cache.*` rules that name `registration.name` fault its methods. */
  register(registration: Registration): void;
  /** A chaos test: skipped unless chaos is enabled; the rules are active while it runs. */
  test(name: string, rules: Rules, fn: TestFn, timeout?: number): void;
  /** Alias of `test`. */
  it(name: string, rules: Rules, fn: TestFn, timeout?: number): void;
  /** A block of chaos tests sharing rules. */
  describe(name: string, rules: Rules, fn: () => void): void;
}
