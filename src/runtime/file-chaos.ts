import path from 'node:path';
import { readFileSync } from 'node:fs';
import { ChaosError, isChaosError, withoutOwnFrames, type ChaosErrorCode } from '../errors/chaos-error';
import { parseSuite } from '../pragma/parse';
import { parseRules } from '../rules/parse';
import type { Rule, StoreRule, SuiteSpec } from '../rules/types';
import { readSettings, type ChaosSettings } from '../settings/env';
import { readEnvironmentOptions } from '../settings/environment-options';
import type { TimeMode } from './time-mode';
import { deriveSeed, drawSeed } from '../random/seed';
import { replayCommand } from '../api/replay';
import { CONFIG_ARGUMENT_VARIABLE } from '../runner/config-argument';
import { storeTargetError } from '../rules/store-target';
import { parseRuns, runBaseSeed, runSuffix, type RunIndex } from './runs';
import { existingHttpEngine, httpEngine, type HttpEngine } from '../http/engine';
import { compileTarget } from '../http/target';
import { MethodFaults } from '../stub/method-faults';
import { applyDriverRule, recordDrivers, type DriverContext } from '../adapters/index';
import type { Registration } from '../api/types';
import { TestChaos } from './test-chaos';
import { realmClock } from './clock';
import type { RuleState } from './rule-state';
import { activeTest, markRunning } from './test-context';
import { socketLayer } from '../tcp/layer';
import type { CalledDependency } from './called';
import { countSeamCalls, ruleAimsAt } from './seam-calls';

/** What jest-chaos keeps on a test entry of jest-circus. */
export interface TestMeta {
  readonly chaos: boolean;
  readonly rules: readonly Rule[];
  readonly tags: readonly string[];
  readonly skipped?: 'disabled' | 'tags';
  /** Under `CHAOS_RUNS=N`: which run of the chaos test this entry is. */
  readonly run?: RunIndex;
}

/** The summary of one test, written for the reporter. */
export interface TestRecord {
  readonly fullName: string;
  readonly chaos: boolean;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly skipped?: 'disabled' | 'tags';
  /** How many times Jest ran the test (`jest.retryTimes`); the status is the last attempt's. */
  readonly attempts?: number;
  /** Under `CHAOS_RUNS=N`: this run's index, N, the test's name without the run suffix, and the base seed the run behaves under. */
  readonly chaosRun?: { readonly index: number; readonly of: number; readonly name: string; readonly baseSeed: number };
  /** Wall time of the test (hooks included) in ms, from Jest. */
  readonly durationMs?: number;
  /** The first error of a failed test: its message, and the first stack frame in the user's own code. */
  readonly failure?: { readonly message: string; readonly frame?: string };
  readonly seed?: number;
  readonly rules?: readonly string[];
  readonly events?: TestChaos['events'];
  /** Rules of the test that no call matched (a rule that matched and whose `p` draw said no is not here). */
  readonly unmatched?: readonly string[];
  /** Requests that the loopback guard refused while the test ran. */
  readonly refused?: readonly string[];
  /** The dependencies the test called, faulted or not (at most MAX_CALLED, see called.ts). */
  readonly called?: readonly CalledDependency[];
  /** Calls to dependencies beyond those kept in `called`. */
  readonly calledOther?: number;
  readonly replay?: string;
}

/** What the end of a test adds to its errors. */
export interface TestEnd {
  readonly problems: readonly Error[];
  readonly replay: string | undefined;
}

/** Errors that say the test misused jest-chaos, not that the code under test failed a fault. */
const MISUSE_CODES: ReadonlySet<ChaosErrorCode> = new Set(['ERR_CHAOS_API', 'ERR_CHAOS_RULE', 'ERR_CHAOS_PATCH', 'ERR_CHAOS_CONFIG']);

/** A failed test's first error, as the report shows it: its message and the first frame in user code. */
function failureOf(error: unknown, testPath: string): TestRecord['failure'] {
  if (error === undefined) return undefined;
  const message = typeof error === 'object' && error !== null && typeof (error as Error).message === 'string' ? (error as Error).message : String(error);
  const stack = typeof error === 'object' && error !== null && typeof (error as Error).stack === 'string' ? (error as Error).stack! : '';
  const frames = withoutOwnFrames(stack).split('\n').filter((line) => /^\s+at /.test(line));
  const frame = (frames.find((line) => line.includes(testPath)) ?? frames[0])?.trim().replace(/^at /, '');
  // eslint-disable-next-line no-control-regex
  const plain = message.replace(/\u001b\[[0-9;]*m/g, '').trim();
  return { message: plain.length > 2000 ? `${plain.slice(0, 2000)}…` : plain, ...(frame === undefined ? {} : { frame }) };
}

/** What a chaos test's record says of the dependencies it called, when it called any. */
function calledOf(test: TestChaos | undefined): Pick<TestRecord, 'called' | 'calledOther'> {
  const called = test?.called.list() ?? [];
  const other = test?.called.overflow ?? 0;
  return { ...(called.length > 0 ? { called } : {}), ...(other > 0 ? { calledOther: other } : {}) };
}

/** A run's full name less its ` [run i/N]` suffix. */
function withoutRunSuffix(fullName: string, run: RunIndex): string {
  const suffix = runSuffix(run);
  return fullName.endsWith(suffix) ? fullName.slice(0, -suffix.length) : fullName;
}

/** What strict mode fails a chaos test for: rules that matched no call, requests the guard refused. */
function strictProblems(test: TestChaos): Error[] {
  const problems: Error[] = [];
  for (const state of test.allRules()) {
    if (state.matched > 0) continue;
    const { source, origin, domain } = state.rule;
    const why =
      domain === 'tcp'
        ? `matched no connection that this test opened, so it tested nothing. Point its target at the host:port the code under test connects to, or remove the rule. A connection opened before the test (a pool connected in beforeAll, an idle pooled connection) is out of reach of tcp rules.`
        : `matched no call in this test, so it tested nothing. Point its target at what the code under test calls (a host it requests, a registered seam, a driver it uses), or remove the rule. A client mocked away (jest.mock) or answered by msw before jest-chaos sees it never reaches a rule.`;
    problems.push(new ChaosError('ERR_CHAOS_STRICT', `strict mode: rule "${source}" (${origin}) ${why}`));
  }
  for (const call of test.refused) {
    problems.push(
      new ChaosError(
        'ERR_CHAOS_STRICT',
        `strict mode: the loopback guard refused ${call} in this test (ERR_CHAOS_NET_CONNECT), and the test went on. Mock the request with nock, fault it with a rule, or allow the host with testEnvironmentOptions: { chaos: { allowNetConnect: ['host'] } }.`,
      ),
    );
  }
  return problems;
}

/** Per test file: the suite's pragmas, the run's settings, and the chaos test running now. */
export class FileChaos {
  readonly relativePath: string;
  readonly suite: SuiteSpec;
  readonly settings: ChaosSettings;
  readonly baseSeed: number;
  readonly records: TestRecord[] = [];
  readonly registrations: Registration[] = [];
  /** Registrations made by the test that is running (hooks and body), forgotten when it is done. */
  private testRegistrations: Registration[] | undefined;
  /** The chaos tests whose function is running, by their jest-circus test entry. */
  private readonly running = new Map<object, TestChaos>();
  /** The last attempt of each chaos test whose function ran, kept until the test is done. */
  private readonly attempts = new Map<object, { test: TestChaos; count: number }>();
  /** Where each test's record is, so that a retried test stays one record. */
  private readonly recordAt = new Map<object, number>();
  /** Sequential chaos tests between their start and their end, hooks included: the guard is on. */
  private guardedTests = 0;
  /** Rules of the `chaos.describe` blocks being defined, innermost last. */
  readonly describeRules: Rule[][] = [];
  /** Set by `chaos.test` just before it calls `test()`, taken by the `add_test` event. */
  pendingTest: { rules: readonly Rule[] } | undefined;
  readonly allowNetConnect: readonly string[];
  /** Chaos is on or the file names nock: the HTTP engine is prepared before its tests run. */
  private readonly mayUseHttp: boolean;
  /** The file names nock: nock's interception stays on for the whole file, as a loaded nock does in plain Jest. */
  private readonly namesNock: boolean;
  /** How this file's chaos tests keep time: `@chaos-time`, else testEnvironmentOptions.chaos.time. */
  readonly time: TimeMode;
  /** CHAOS_STRICT or testEnvironmentOptions.chaos.strict: a chaos test that tested nothing fails. */
  readonly strict: boolean;
  /** CHAOS_RUNS: how many times each chaos test runs, each under its own seed. */
  readonly runs: number;

  constructor(
    readonly testPath: string,
    readonly rootDir: string,
    readonly realm: typeof globalThis,
    /** `testEnvironmentOptions.chaos`, checked here. */
    options: unknown = {},
  ) {
    this.relativePath = path.relative(rootDir, testPath).split(path.sep).join('/');
    this.settings = readSettings();
    const source = readFileSync(testPath, 'utf8');
    this.suite = parseSuite(source, this.relativePath);
    this.namesNock = source.includes('nock');
    this.mayUseHttp = this.settings.enabled || this.namesNock;
    this.baseSeed = this.suite.seed ?? this.settings.seed ?? drawSeed();
    const configured = readEnvironmentOptions(options, `the Jest config of ${rootDir}`);
    this.allowNetConnect = configured.allowNetConnect;
    this.time = this.suite.time ?? configured.time;
    this.strict = this.settings.strict || configured.strict === true;
    this.runs = this.settings.enabled ? parseRuns(process.env.CHAOS_RUNS) : 1;
  }

  /** Decides what a newly defined test is, and whether it runs. */
  classify(inChaosBlock: boolean): TestMeta {
    const pending = this.pendingTest;
    this.pendingTest = undefined;
    const chaos = this.suite.isChaosSuite || pending !== undefined || inChaosBlock;
    const rules = [...(this.suite.isChaosSuite ? this.suite.rules : []), ...this.describeRules.flat(), ...(pending?.rules ?? [])];
    const tags = chaos && !this.suite.tags.includes('chaos') ? [...this.suite.tags, 'chaos'] : this.suite.tags;
    if (chaos && !this.settings.enabled) return { chaos, rules, tags, skipped: 'disabled' };
    if (this.settings.tags !== undefined && !this.settings.tags.matches(new Set(tags))) return { chaos, rules, tags, skipped: 'tags' };
    return { chaos, rules, tags };
  }

  parseInlineRules(input: string | readonly string[], origin: string): Rule[] {
    return parseRules(input, origin);
  }

  private engine(): HttpEngine {
    const engine = httpEngine(this.rootDir);
    engine.allowNetConnect = this.allowNetConnect.map(compileTarget);
    engine.guard = () => this.guardActive();
    engine.realm = this.realm;
    return engine;
  }

  /**
   * Creates the worker's HTTP engine now, outside any test, when this file may need it (chaos is on, or
   * the file names nock). Created from inside a test, the engine kept that first file's realm alive for
   * the rest of the worker.
   */
  prepareHttp(): void {
    // The loopback guard on every socket (net, tls, undici, http2), for as long as this file runs.
    if (this.settings.enabled) this.detachSocketGuard = socketLayer().attachGuard({ active: () => this.guardActive(), allowNetConnect: this.allowNetConnect });
    if (!this.mayUseHttp) return;
    // Interception is on for the whole file only where the file uses nock; else only for its chaos tests.
    const engine = this.engine();
    if (this.namesNock) engine.keep();
    else engine.settle();
  }

  private detachSocketGuard: (() => void) | undefined;

  /** The nock instance shared by jest-chaos and the test file (`require('nock')` maps here). */
  nock(): unknown {
    const engine = this.engine();
    engine.keep();
    return engine.realmNock;
  }

  /**
   * A chaos test's seed: derived from the base seed, the file and the test's full name. A run of
   * `CHAOS_RUNS` behaves as the same test (its name without the run suffix) under its run's base seed.
   */
  private seedOf(fullName: string, meta: TestMeta): number {
    if (meta.run === undefined) return deriveSeed(this.baseSeed, this.relativePath, fullName);
    return deriveSeed(runBaseSeed(this.baseSeed, meta.run.index), this.relativePath, withoutRunSuffix(fullName, meta.run));
  }

  /** The command that replays a chaos test (one run of it alone, under CHAOS_RUNS). */
  private replayOf(fullName: string, meta: TestMeta, strict = false): string {
    const config = process.env[CONFIG_ARGUMENT_VARIABLE];
    if (meta.run === undefined) return replayCommand(this.baseSeed, this.relativePath, fullName, { strict, config });
    return replayCommand(runBaseSeed(this.baseSeed, meta.run.index), this.relativePath, withoutRunSuffix(fullName, meta.run), { strict, config });
  }

  /** The chaos test that the current call belongs to (see test-context.ts). */
  get current(): TestChaos | undefined {
    return activeTest();
  }

  /**
   * Whether the loopback guard refuses a request made now: during a chaos test (hooks included), and
   * through the whole file of a chaos suite while chaos is on.
   */
  guardActive(): boolean {
    return this.guardedTests > 0 || activeTest() !== undefined || (this.suite.isChaosSuite && this.settings.enabled);
  }

  /** Any test starts (its beforeEach hooks come next). */
  testStarted(guarded: boolean): void {
    this.testRegistrations = [];
    if (guarded) this.guardedTests += 1;
  }

  /** The file's registrations, plus those of the test that is running (made in its hooks or body). */
  private activeRegistrations(): readonly Registration[] {
    return this.testRegistrations === undefined || this.testRegistrations.length === 0 ? this.registrations : [...this.registrations, ...this.testRegistrations];
  }

  /**
   * A chaos test's function is about to run: its faults begin here, and only here. `key` is the test's
   * jest-circus entry; each attempt of a retried test begins again with the same seed.
   */
  beginTest(key: object, fullName: string, meta: TestMeta, concurrent: boolean): TestChaos {
    const seed = this.seedOf(fullName, meta);
    const test = new TestChaos(seed, fullName, realmClock(this.realm), concurrent);
    this.running.set(key, test);
    const previous = this.attempts.get(key);
    this.attempts.set(key, { test, count: (previous?.count ?? 0) + 1 });
    test.disposers.add(markRunning(test));
    const engine = this.engine();
    engine.beginTest(test, this.realm);
    test.disposers.add(() => engine.endTest(test));
    for (const rule of meta.rules) test.addRule(rule);
    if (test.tcpRules.length > 0) socketLayer().install();
    const faults = new MethodFaults(test);
    const registrations = this.activeRegistrations();
    test.onStoreRule((state) => this.applyToRegistrations(state, faults, registrations));
    // What the test calls without a fault is counted too: the report shows what was never faulted.
    countSeamCalls(test, registrations);
    recordDrivers(test, this.driverContext());
    return test;
  }

  private driverContext(): DriverContext {
    return {
      realm: this.realm,
      rootDir: this.rootDir,
      registered: (domain, name) => this.activeRegistrations().some((registration) => registration.domain === domain && registration.name === name),
    };
  }

  /**
   * Zero-config drivers (pg, mysql2, ioredis, redis): loaded through the test realm only when a rule targets
   * them. Called from inside the test's body, where Jest lets the realm load modules (Jest 30 refuses
   * `require` between a hook's end and the test function's start).
   */
  installDrivers(test: TestChaos): void {
    const drivers = this.driverContext();
    test.onStoreRule((state) => applyDriverRule(state, test, drivers));
  }

  /**
   * A registration made outside any test (module scope, beforeAll, setupFilesAfterEnv) lasts for the file.
   * One made while a test runs (its beforeEach hooks or its body) lasts until that test is done, so that
   * registering in beforeEach does not pile up; made in the body of a chaos test, it is faulted at once.
   */
  register(registration: Registration): void {
    const test = activeTest();
    if (this.testRegistrations === undefined && test === undefined) {
      this.registrations.push(registration);
      return;
    }
    (this.testRegistrations ??= []).push(registration);
    if (test === undefined) return;
    const local = [registration];
    const faults = new MethodFaults(test);
    test.onStoreRule((state) => this.applyToRegistrations(state, faults, local));
    countSeamCalls(test, local);
  }

  private applyToRegistrations(state: RuleState<StoreRule>, faults: MethodFaults, registrations: readonly Registration[]): void {
    const { rule } = state;
    for (const registration of registrations) {
      if (!ruleAimsAt(rule, registration)) continue;
      for (const method of registration.methods) {
        faults.add(registration.object, method, `${registration.domain} ${registration.name}`, state, registration.style ?? 'auto');
      }
    }
  }

  /** Errors for db and cache rules whose target can never match: no driver, no seam of that name. */
  private targetProblems(rules: readonly Rule[]): ChaosError[] {
    const known = this.activeRegistrations();
    return rules.flatMap((rule) => (rule.domain === 'http' || rule.domain === 'tcp' ? [] : (storeTargetError(rule, known) ?? [])));
  }

  /** The chaos test's function ended (passed, failed or timed out): every fault of it goes. */
  async endBody(key: object): Promise<void> {
    const test = this.running.get(key);
    if (test === undefined) return;
    this.running.delete(key);
    await test.dispose();
  }

  /**
   * The one place where a test ends, hooks included: its faults are gone, it is recorded (a retried test
   * stays one record, with its attempts), and what it must add to the test's errors is returned.
   */
  async endTest(key: object, fullName: string, meta: TestMeta | undefined, outcome: 'passed' | 'failed' | 'skipped', guarded: boolean, seen: { durationMs?: number; error?: unknown } = {}): Promise<TestEnd> {
    await this.endBody(key);
    if (guarded) this.guardedTests -= 1;
    if (meta === undefined) {
      this.testRegistrations = undefined;
      return { problems: [], replay: undefined };
    }
    const attempt = this.attempts.get(key);
    const test = attempt?.test;
    // A misuse of the API already failed the test with its own message: what followed from it (a builder
    // left without a kind) and a replay command would only bury that message.
    const misuse = isChaosError(seen.error) && MISUSE_CODES.has(seen.error.code);
    const problems = test === undefined ? [] : test.problems.filter((problem) => !(misuse && isChaosError(problem) && problem.code === 'ERR_CHAOS_API'));
    // A db or cache target that is neither a driver nor a seam registered by now (file, hooks or body).
    if (test !== undefined) problems.push(...this.targetProblems(test.storeRules.map((state) => state.rule)));
    if (test !== undefined && this.strict && outcome !== 'skipped') problems.push(...strictProblems(test));
    const status = outcome === 'passed' && problems.length > 0 ? 'failed' : outcome;
    const failure = status === 'failed' ? failureOf(seen.error ?? problems[0], this.testPath) : undefined;
    const timing = { ...(seen.durationMs === undefined ? {} : { durationMs: seen.durationMs }), ...(failure === undefined ? {} : { failure }) };
    let record: TestRecord;
    let replay: string | undefined;
    if (!meta.chaos || meta.skipped !== undefined) {
      record = { fullName, chaos: meta.chaos, status, ...(meta.skipped ? { skipped: meta.skipped } : {}), ...timing };
    } else {
      // A chaos test whose function never ran (a beforeEach failed) still has its seed and replay command.
      // A test that only strict mode failed replays with CHAOS_STRICT=1 (set in the environment, not the config).
      const strictOnly = this.settings.strict && outcome === 'passed' && problems.length > 0 && problems.every((problem) => isChaosError(problem) && problem.code === 'ERR_CHAOS_STRICT');
      replay = this.replayOf(fullName, meta, strictOnly);
      const unmatched = test?.unmatchedRules() ?? [];
      record = {
        fullName,
        chaos: true,
        status,
        attempts: attempt?.count ?? 1,
        ...(meta.run === undefined ? {} : { chaosRun: { ...meta.run, name: withoutRunSuffix(fullName, meta.run), baseSeed: runBaseSeed(this.baseSeed, meta.run.index) } }),
        seed: test?.seed ?? this.seedOf(fullName, meta),
        rules: test === undefined ? meta.rules.map((rule) => rule.source) : test.allRules().map((state) => state.rule.source),
        events: test?.events ?? [],
        ...(unmatched.length > 0 ? { unmatched } : {}),
        ...(test !== undefined && test.refused.length > 0 ? { refused: [...test.refused] } : {}),
        ...calledOf(test),
        ...timing,
        replay,
      };
    }
    const at = this.recordAt.get(key);
    if (at === undefined) {
      this.recordAt.set(key, this.records.length);
      this.records.push(record);
    } else {
      this.records[at] = record;
    }
    this.testRegistrations = undefined;
    return { problems, replay: status === 'failed' && !misuse ? replay : undefined };
  }

  async fileDone(): Promise<void> {
    for (const key of [...this.running.keys()]) await this.endBody(key);
    this.detachSocketGuard?.();
    const engine = existingHttpEngine();
    if (engine === undefined) return;
    engine.endFile();
    // The worker's engine outlives this file: it must not keep the file (and its realm) alive.
    engine.guard = () => activeTest() !== undefined;
    engine.realm = undefined;
    engine.allowNetConnect = [];
  }

  /** Errors that the file's end found (see fileDone); thrown by the environment after its teardown. */
  endOfFileProblems(): ChaosError[] {
    return this.settings.enabled && this.suite.isChaosSuite && this.attempts.size === 0 ? this.targetProblems(this.suite.rules) : [];
  }

  assertNoChaosTestRunning(api: string): TestChaos {
    const test = activeTest();
    if (test === undefined || test.disposed) {
      throw new ChaosError('ERR_CHAOS_API', `chaos.${api}() was called outside a running chaos test in ${this.relativePath}. Call it inside chaos.test(), or inside a test of a file with an @chaos pragma, while chaos is enabled (CHAOS_ENABLED=1).`);
    }
    return test;
  }
}
