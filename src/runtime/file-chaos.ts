import path from 'node:path';
import { readFileSync } from 'node:fs';
import { ChaosError } from '../errors/chaos-error';
import { parseSuite } from '../pragma/parse';
import { parseRules } from '../rules/parse';
import type { Rule, StoreRule, SuiteSpec } from '../rules/types';
import { readSettings, type ChaosSettings } from '../settings/env';
import { readEnvironmentOptions } from '../settings/environment-options';
import type { TimeMode } from './time-mode';
import { deriveSeed, drawSeed } from '../random/seed';
import { replayCommand } from '../api/replay';
import { existingHttpEngine, httpEngine, type HttpEngine } from '../http/engine';
import { compileTarget } from '../http/target';
import { MethodFaults } from '../stub/method-faults';
import { applyDriverRule, type DriverContext } from '../adapters/index';
import type { Registration } from '../api/types';
import { TestChaos } from './test-chaos';
import { realmClock } from './clock';
import type { RuleState } from './rule-state';

/** What jest-chaos keeps on a test entry of jest-circus. */
export interface TestMeta {
  readonly chaos: boolean;
  readonly rules: readonly Rule[];
  readonly tags: readonly string[];
  readonly skipped?: 'disabled' | 'tags';
}

/** The summary of one test, written for the reporter. */
export interface TestRecord {
  readonly fullName: string;
  readonly chaos: boolean;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly skipped?: 'disabled' | 'tags';
  readonly seed?: number;
  readonly rules?: readonly string[];
  readonly events?: TestChaos['events'];
  readonly replay?: string;
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
  current: TestChaos | undefined;
  /** Rules of the `chaos.describe` blocks being defined, innermost last. */
  readonly describeRules: Rule[][] = [];
  /** Set by `chaos.test` just before it calls `test()`, taken by the `add_test` event. */
  pendingTest: { rules: readonly Rule[] } | undefined;
  readonly allowNetConnect: readonly string[];
  /** Chaos is on or the file names nock: the HTTP engine is prepared before its tests run. */
  private readonly mayUseHttp: boolean;
  /** How this file's chaos tests keep time: `@chaos-time`, else testEnvironmentOptions.chaos.time. */
  readonly time: TimeMode;

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
    this.mayUseHttp = this.settings.enabled || source.includes('nock');
    this.baseSeed = this.suite.seed ?? this.settings.seed ?? drawSeed();
    const configured = readEnvironmentOptions(options, `the Jest config of ${rootDir}`);
    this.allowNetConnect = configured.allowNetConnect;
    this.time = this.suite.time ?? configured.time;
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
    return engine;
  }

  /**
   * Creates the worker's HTTP engine now, outside any test, when this file may need it (chaos is on, or
   * the file names nock). Created from inside a test, the engine kept that first file's realm alive for
   * the rest of the worker.
   */
  prepareHttp(): void {
    if (this.mayUseHttp) this.engine();
  }

  /** The nock instance shared by jest-chaos and the test file (`require('nock')` maps here). */
  nock(): unknown {
    return this.engine().realmNock;
  }

  testStarted(): void {
    this.testRegistrations = [];
    existingHttpEngine()?.beginTest();
  }

  /** The file's registrations, plus those of the test that is running (made in its hooks or body). */
  private activeRegistrations(): readonly Registration[] {
    return this.testRegistrations === undefined || this.testRegistrations.length === 0 ? this.registrations : [...this.registrations, ...this.testRegistrations];
  }

  /** A chaos test's body is about to run: install its faults. */
  startChaosTest(fullName: string, meta: TestMeta): TestChaos {
    const seed = deriveSeed(this.baseSeed, this.relativePath, fullName);
    const test = new TestChaos(seed, fullName, realmClock(this.realm));
    this.current = test;
    for (const rule of meta.rules) test.addRule(rule);
    const engine = this.engine();
    engine.current = test;
    test.disposers.add(() => {
      if (engine.current === test) engine.current = undefined;
    });
    const faults = new MethodFaults(test);
    const registrations = this.activeRegistrations();
    test.onStoreRule((state) => this.applyToRegistrations(state, faults, registrations));
    return test;
  }

  /**
   * Zero-config drivers (pg, mysql2, ioredis, redis): loaded through the test realm only when a rule targets
   * them. Called from inside the test's body, where Jest lets the realm load modules (Jest 30 refuses
   * `require` between a hook's end and the test function's start).
   */
  installDrivers(test: TestChaos): void {
    const drivers: DriverContext = {
      realm: this.realm,
      rootDir: this.rootDir,
      registered: (domain, name) => this.activeRegistrations().some((registration) => registration.domain === domain && registration.name === name),
    };
    test.onStoreRule((state) => applyDriverRule(state, test, drivers));
  }

  /**
   * A registration made outside any test (module scope, beforeAll, setupFilesAfterEnv) lasts for the file.
   * One made while a test runs (its beforeEach hooks or its body) lasts until that test is done, so that
   * registering in beforeEach does not pile up; made in the body of a chaos test, it is faulted at once.
   */
  register(registration: Registration): void {
    const test = this.current;
    if (this.testRegistrations === undefined) {
      this.registrations.push(registration);
      return;
    }
    this.testRegistrations.push(registration);
    if (test === undefined || test.disposed) return;
    const local = [registration];
    const faults = new MethodFaults(test);
    test.onStoreRule((state) => this.applyToRegistrations(state, faults, local));
  }

  private applyToRegistrations(state: RuleState<StoreRule>, faults: MethodFaults, registrations: readonly Registration[]): void {
    const { rule } = state;
    for (const registration of registrations) {
      if (registration.domain !== rule.domain) continue;
      if (rule.target !== '*' && rule.target !== registration.name) continue;
      for (const method of registration.methods) {
        faults.add(registration.object, method, `${registration.domain} ${registration.name}`, state, registration.style ?? 'auto');
      }
    }
  }

  /** The body finished (passed, failed or timed out): remove every fault. */
  async endChaosTest(): Promise<TestChaos | undefined> {
    const test = this.current;
    if (test !== undefined) await test.dispose();
    return test;
  }

  /** The test is done, hooks included: record it and undo what it left in nock. */
  async testDone(fullName: string, meta: TestMeta | undefined, failed: boolean, skipped: boolean): Promise<string | undefined> {
    const test = await this.endChaosTest();
    this.current = undefined;
    this.testRegistrations = undefined;
    existingHttpEngine()?.endTest();
    if (meta === undefined) return undefined;
    const status = skipped ? 'skipped' : failed ? 'failed' : 'passed';
    if (!meta.chaos) {
      this.records.push({ fullName, chaos: false, status, ...(meta.skipped ? { skipped: meta.skipped } : {}) });
      return undefined;
    }
    const replay = test === undefined ? undefined : replayCommand(this.baseSeed, this.relativePath, fullName);
    this.records.push({
      fullName,
      chaos: true,
      status,
      ...(meta.skipped ? { skipped: meta.skipped } : {}),
      ...(test === undefined ? {} : { seed: test.seed, rules: test.httpRules.concat(test.storeRules as never[]).map((s) => s.rule.source), events: test.events, replay }),
    });
    return failed ? replay : undefined;
  }

  async fileDone(): Promise<void> {
    await this.endChaosTest();
    existingHttpEngine()?.endFile();
  }

  assertNoChaosTestRunning(api: string): TestChaos {
    const test = this.current;
    if (test === undefined || test.disposed) {
      throw new ChaosError('ERR_CHAOS_API', `chaos.${api}() was called outside a running chaos test in ${this.relativePath}. Call it inside chaos.test(), or inside a test of a file with an @chaos pragma, while chaos is enabled (CHAOS_ENABLED=1).`);
    }
    return test;
  }
}
