import { TestEnvironment } from 'jest-environment-node';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { FileChaos, type TestMeta } from '../src/runtime/file-chaos';
import { ChaosError } from '../src/errors/chaos-error';
import { createChaosApi } from '../src/api/chaos-api';
import { writeFileRecords } from '../src/report/records';
import { VirtualTime } from '../src/runtime/virtual-time';
import { beginFile, FileScope, runInTest } from '../src/runtime/test-context';
import { runSuffix } from '../src/runtime/runs';
import { recognizeNockErrors } from '../src/http/realm-errors';
import { withoutFramesPassedThrough } from '../src/errors/stack';

const NOCK_SLOT = Symbol.for('jest-chaos.nock');
const CHAOS_SLOT = Symbol.for('jest-chaos.api');
/** Where jest-chaos's setup file finds how to enter this file's scope (see test-context.ts). */
const ENTER_FILE_SLOT = Symbol.for('jest-chaos.enter-file');

function fullNameOf(test: Circus.TestEntry): string {
  const names = [test.name];
  for (let block: Circus.DescribeBlock | undefined = test.parent; block !== undefined && block.parent !== undefined; block = block.parent) {
    names.unshift(block.name);
  }
  return names.join(' ');
}

function inChaosDescribe(file: FileChaos): boolean {
  return file.describeRules.length > 0;
}

type TestFn = (this: unknown, ...args: unknown[]) => unknown;

/** `test.concurrent` as Jest 29 defines it: it starts the test's function at once, before `add_test`. */
type ConcurrentApi = ((name: string, fn: TestFn, timeout?: number) => unknown) & Record<string, unknown>;

/** Links a function handed to `test.concurrent` with the test entry Jest makes for it. */
interface ConcurrentSlot {
  entry: Circus.TestEntry | undefined;
  /** The test's own function (Jest 29 hands Jest a stand-in that awaits it). */
  readonly fn: TestFn;
}

/** The test API of the file's realm, as far as `CHAOS_RUNS` replicates tests through it. */
type TestApi = ((name: string, fn: TestFn, timeout?: number) => unknown) & {
  only?: TestApi;
  failing?: TestApi;
  concurrent?: TestApi;
};

const WRAPPED = Symbol('jest-chaos.wrapped');

/** The first error jest-circus holds for a test (an error, or an error with its async origin). */
function firstError(test: Circus.TestEntry): unknown {
  const [first] = test.errors as unknown[];
  return Array.isArray(first) ? first[0] : first;
}

/** A promise of any realm (a test's async function returns the test realm's Promise). */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * The chaos test environment: Node's environment, plus the faults of each chaos test, active while its
 * function runs. A test begins in `runChaosTest` (its function, wrapped when Jest adds the test) and
 * ends in `endTest` (`test_done`); its faults end with its function (`test_fn_success` or
 * `test_fn_failure`, which Jest sends on pass, failure and timeout). A test that is not a chaos test
 * is left exactly as Jest runs it.
 */
export default class ChaosEnvironment extends TestEnvironment {
  private readonly chaos: FileChaos;
  private readonly metas = new WeakMap<Circus.TestEntry, TestMeta>();
  private readonly guarded = new WeakSet<Circus.TestEntry>();
  private pendingConcurrent: ConcurrentSlot | undefined;
  /** Set while a further run of a chaos test is added under CHAOS_RUNS: what `add_test` gives it. */
  private pendingRun: TestMeta | undefined;
  private testApi: TestApi | undefined;
  private secondNockReported = false;
  private virtualTime: VirtualTime | undefined;
  private readonly fileScope: ReturnType<typeof beginFile>;
  private forgetNockErrors: (() => void) | undefined;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    const options = (config.projectConfig.testEnvironmentOptions as { chaos?: unknown }).chaos;
    this.chaos = new FileChaos(context.testPath, config.projectConfig.rootDir, this.global as unknown as typeof globalThis, options ?? {});
    this.fileScope = beginFile(new FileScope(context.testPath));
    // Jest runs setupFiles before setup(): the slot must be there from the start.
    (this.global as unknown as Record<PropertyKey, unknown>)[ENTER_FILE_SLOT] = this.fileScope.enter;
  }

  private stopVirtualTime(): void {
    const virtual = this.virtualTime;
    this.virtualTime = undefined;
    virtual?.uninstall();
  }

  override async setup(): Promise<void> {
    await super.setup();
    const realm = this.global as unknown as Record<PropertyKey, unknown>;
    const api = createChaosApi(this.chaos, () => realm as never);
    realm.chaos = api;
    realm[CHAOS_SLOT] = api;
    const file = this.chaos;
    file.prepareHttp();
    this.forgetNockErrors = recognizeNockErrors(this.global as unknown as typeof globalThis);
    Object.defineProperty(realm, NOCK_SLOT, { configurable: true, get: () => file.nock() });
    // The test realm's fetch was copied before nock patched the outer one: call through at request time.
    if (typeof globalThis.fetch === 'function') {
      realm.fetch = function fetch(...args: Parameters<typeof globalThis.fetch>) {
        return globalThis.fetch(...args);
      };
    }
  }

  override async teardown(): Promise<void> {
    this.stopVirtualTime();
    try {
      await this.chaos.fileDone();
      writeFileRecords(this.chaos);
    } finally {
      this.fileScope.end();
      this.forgetNockErrors?.();
      await super.teardown();
    }
    // Pragma rules that no test reached and that can never match: the file fails with the first one.
    const [problem] = this.chaos.endOfFileProblems();
    if (problem !== undefined) throw problem;
  }

  /**
   * Runs one attempt of a chaos test's function: its faults begin, the drivers its rules target are
   * installed (only inside the body may the realm load modules), and the function runs in the test's
   * async context, so that every request and call it makes is attributed to it (concurrent tests too).
   */
  private runChaosTest(entry: Circus.TestEntry, fn: TestFn, self: unknown, args: unknown[]): unknown {
    const meta = this.metas.get(entry);
    if (meta === undefined || !meta.chaos || meta.skipped !== undefined) return fn.apply(self, args);
    const concurrent = entry.concurrent || this.concurrentEntries.has(entry);
    const test = this.chaos.beginTest(entry, fullNameOf(entry), meta, concurrent);
    if (test.storeRules.length > 0) this.chaos.installDrivers(test);
    if (this.chaos.time === 'virtual' && !concurrent) {
      this.stopVirtualTime();
      this.virtualTime = VirtualTime.install(this.global as unknown as typeof globalThis);
    }
    // A failed expect before the body's first await carries the wrapper's frames: the stack Jest prints
    // shows the test's frames only, as in plain Jest (thrown, or rejected by an async body).
    let result: unknown;
    try {
      result = runInTest(test, () => fn.apply(self, args));
    } catch (thrown) {
      throw withoutFramesPassedThrough(thrown);
    }
    return isThenable(result) ? result.then(undefined, (reason: unknown) => Promise.reject(withoutFramesPassedThrough(reason))) : result;
  }

  private readonly concurrentEntries = new WeakSet<Circus.TestEntry>();

  /** The test's function, wrapped to run as a chaos test; the arity is kept (Jest reads it for `done`). */
  private wrapTestFn(fn: TestFn, entryOf: () => Circus.TestEntry | undefined): TestFn {
    const env = this;
    const run = (self: unknown, args: unknown[]): unknown => {
      const entry = entryOf();
      if (entry !== undefined) return env.runChaosTest(entry, fn, self, args);
      // Jest 29 starts a concurrent test's function before it adds the test: wait for the entry.
      return Promise.resolve().then(() => {
        const later = entryOf();
        return later === undefined ? fn.apply(self, args) : env.runChaosTest(later, fn, self, args);
      });
    };
    const wrapped: TestFn =
      fn.length > 0
        ? function (this: unknown, done: unknown) {
            return run(this, [done]);
          }
        : function (this: unknown) {
            return run(this, []);
          };
    Object.defineProperty(wrapped, WRAPPED, { value: true });
    return wrapped;
  }

  /**
   * Jest 29's `test.concurrent` calls the test's function while the file is collected and hands Jest a
   * function that returns its promise. Wrap it so that the function runs as the chaos test it is.
   */
  private wrapConcurrent(testApi: { concurrent?: ConcurrentApi } | undefined): void {
    const concurrent = testApi?.concurrent;
    if (testApi === undefined || typeof concurrent !== 'function' || (concurrent as unknown as Record<symbol, unknown>)[WRAPPED] === true) return;
    const env = this;
    const wrap = (original: ConcurrentApi): ConcurrentApi => {
      const replacement = function (this: unknown, name: string, fn: TestFn, timeout?: number) {
        const slot: ConcurrentSlot = { entry: undefined, fn };
        env.pendingConcurrent = slot;
        try {
          return original.call(this, name, typeof fn === 'function' ? env.wrapTestFn(fn, () => slot.entry) : fn, timeout);
        } finally {
          env.pendingConcurrent = undefined;
        }
      } as ConcurrentApi;
      for (const key of Object.keys(original)) replacement[key] = original[key];
      Object.defineProperty(replacement, WRAPPED, { value: true });
      return replacement;
    };
    const replaced = wrap(concurrent);
    if (typeof concurrent.only === 'function') replaced.only = wrap(concurrent.only as ConcurrentApi);
    testApi.concurrent = replaced;
  }

  /**
   * A test file whose `require('nock')` did not map to jest-chaos's instance loads a copy of its own, which
   * marks the test realm: its scopes escape the per-test clean-up. Said once per file, on a chaos test.
   */
  private reportSecondNock(test: Circus.TestEntry): void {
    if (this.secondNockReported) return;
    if (!Object.getOwnPropertySymbols(this.global).some((symbol) => symbol.description === 'nock-interceptor')) return;
    this.secondNockReported = true;
    test.errors.push(
      new ChaosError(
        'ERR_CHAOS_CONFIG',
        `jest-chaos: ${this.chaos.relativePath} loaded a second copy of nock: require('nock') / import nock from 'nock' in the test did not resolve to the nock that jest-chaos drives, so the test's nock scopes are not removed after each test and do not compose with chaos rules. Map it in the Jest config: moduleNameMapper: { '^nock$': 'jest-chaos/nock' } (preset: 'jest-chaos' and withChaos() add it).`,
      ),
    );
  }

  /**
   * A test added to the file: classified, named, and if it is a chaos test, its function wrapped. Under
   * `CHAOS_RUNS=N` a chaos test becomes N tests, `<name> [run i/N]`, added right after it.
   */
  private addTest(test: Circus.TestEntry): void {
    const slot = this.pendingConcurrent;
    this.pendingConcurrent = undefined;
    const furtherRun = this.pendingRun;
    this.pendingRun = undefined;
    let meta = furtherRun ?? this.chaos.classify(inChaosDescribe(this.chaos));
    const runs = this.chaos.runs;
    const replicate = furtherRun === undefined && runs > 1 && meta.chaos && meta.skipped === undefined && test.mode !== 'skip' && test.mode !== 'todo';
    if (replicate) meta = { ...meta, run: { index: 1, of: runs } };
    this.metas.set(test, meta);
    if (meta.chaos && !/chaos/i.test(fullNameOf(test))) test.name = `chaos: ${test.name}`;
    if (meta.skipped !== undefined && test.mode === undefined) test.mode = 'skip';
    const userFn = slot?.fn ?? (test.fn as TestFn);
    const baseName = test.name;
    if (replicate) test.name = `${baseName}${runSuffix(meta.run!)}`;
    if (slot !== undefined) {
      // Jest 29's concurrent test: its function already runs, wrapped; Jest's stand-in just awaits it.
      slot.entry = test;
      this.concurrentEntries.add(test);
    } else if (meta.chaos && meta.skipped === undefined && (test.fn as unknown as Record<symbol, unknown>)[WRAPPED] !== true) {
      test.fn = this.wrapTestFn(test.fn as TestFn, () => test) as Circus.TestFn;
    }
    if (replicate) this.addFurtherRuns(test, meta, baseName, userFn);
  }

  /** Adds runs 2..N of a chaos test through the realm's own test API, so Jest treats each as a test. */
  private addFurtherRuns(test: Circus.TestEntry, meta: TestMeta, baseName: string, fn: TestFn): void {
    let api = this.testApi;
    if (test.concurrent || this.concurrentEntries.has(test)) api = api?.concurrent;
    if (test.mode === 'only') api = api?.only;
    if (test.failing === true) api = api?.failing;
    if (typeof api !== 'function') {
      throw new ChaosError('ERR_CHAOS_CONFIG', `CHAOS_RUNS cannot repeat "${baseName}" in ${this.chaos.relativePath}: the test API of this file is not reachable. Run it without CHAOS_RUNS, or report the Jest setup that hides it.`);
    }
    for (let index = 2; index <= meta.run!.of; index++) {
      this.pendingRun = { ...meta, run: { index, of: meta.run!.of } };
      try {
        api(`${baseName}${runSuffix({ index, of: meta.run!.of })}`, fn, test.timeout);
      } finally {
        this.pendingRun = undefined;
      }
    }
  }

  /** The one place where a test ends (passed, failed, skipped or todo), hooks included. */
  private async endTest(test: Circus.TestEntry, ran: boolean): Promise<void> {
    this.stopVirtualTime();
    const meta = this.metas.get(test);
    const guarded = this.guarded.has(test);
    this.guarded.delete(test);
    const outcome = !ran ? 'skipped' : test.errors.length > 0 ? 'failed' : 'passed';
    // Jest prints these once the file is done: without jest-chaos's frames, as plain Jest would print them.
    for (const entry of test.errors as unknown[]) withoutFramesPassedThrough(Array.isArray(entry) ? entry[0] : entry);
    const ended = await this.chaos.endTest(test, fullNameOf(test), meta, outcome, guarded, { durationMs: test.duration ?? undefined, error: firstError(test) });
    for (const problem of ended.problems) test.errors.push(problem);
    if (meta?.chaos === true && ran) this.reportSecondNock(test);
    if (ended.replay !== undefined) {
      const hint = new Error(`jest-chaos: replay this test with the same faults:\n\n  ${ended.replay}\n`);
      hint.stack = hint.message;
      test.errors.push(hint);
    }
  }

  async handleTestEvent(event: Circus.Event, state: Circus.State): Promise<void> {
    switch (event.name) {
      case 'setup': {
        const testApi = (event as unknown as { runtimeGlobals?: { test?: TestApi } }).runtimeGlobals?.test ?? (this.global as unknown as { test?: TestApi }).test;
        this.testApi = testApi;
        this.wrapConcurrent(testApi as { concurrent?: ConcurrentApi } | undefined);
        return;
      }
      case 'add_test': {
        const test = state.currentDescribeBlock.children.at(-1);
        if (test !== undefined && test.type === 'test') this.addTest(test);
        return;
      }
      case 'test_start': {
        const meta = this.metas.get(event.test);
        const guarded = meta?.chaos === true && meta.skipped === undefined && !event.test.concurrent;
        if (guarded) this.guarded.add(event.test);
        this.chaos.testStarted(guarded);
        return;
      }
      case 'test_fn_success':
      case 'test_fn_failure':
        try {
          await this.chaos.endBody(event.test);
        } finally {
          this.stopVirtualTime();
        }
        return;
      case 'test_done':
        await this.endTest(event.test, true);
        return;
      case 'test_skip':
      case 'test_todo':
        await this.endTest(event.test, false);
        return;
      default:
        return;
    }
  }
}
