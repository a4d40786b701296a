import { TestEnvironment } from 'jest-environment-node';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { FileChaos, type TestMeta } from '../src/runtime/file-chaos';
import type { TestChaos } from '../src/runtime/test-chaos';
import { ChaosError } from '../src/errors/chaos-error';
import { createChaosApi } from '../src/api/chaos-api';
import { writeFileRecords } from '../src/report/records';
import { VirtualTime } from '../src/runtime/virtual-time';

const NOCK_SLOT = Symbol.for('jest-chaos.nock');
const CHAOS_SLOT = Symbol.for('jest-chaos.api');

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

/**
 * The chaos test environment: Node's environment, plus faults installed before each chaos test's
 * body and removed after it (passed, failed or timed out).
 */
export default class ChaosEnvironment extends TestEnvironment {
  private readonly chaos: FileChaos;
  private readonly metas = new WeakMap<Circus.TestEntry, TestMeta>();
  private readonly originalFns = new WeakMap<Circus.TestEntry, Circus.TestFn>();
  private secondNockReported = false;
  private virtualTime: VirtualTime | undefined;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    const options = (config.projectConfig.testEnvironmentOptions as { chaos?: unknown }).chaos;
    this.chaos = new FileChaos(context.testPath, config.projectConfig.rootDir, this.global as unknown as typeof globalThis, options ?? {});
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
      await super.teardown();
    }
  }

  /**
   * Has the test's function install the driver adapters before it runs its own code: only then may the
   * test realm load a driver module. The test's own function is put back when the test is done.
   */
  private installDriversFirst(entry: Circus.TestEntry, test: TestChaos): void {
    const original = this.originalFns.get(entry) ?? entry.fn;
    this.originalFns.set(entry, original);
    const file = this.chaos;
    const install = (): void => file.installDrivers(test);
    // Keep the arity: Jest reads it to tell a done-callback test from a promise one.
    entry.fn =
      original.length > 0
        ? function (this: unknown, done: Circus.DoneFn) {
            install();
            return (original as (this: unknown, done: Circus.DoneFn) => unknown).call(this, done);
          } as Circus.TestFn
        : function (this: unknown) {
            install();
            return (original as (this: unknown) => unknown).call(this);
          } as Circus.TestFn;
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

  async handleTestEvent(event: Circus.Event, state: Circus.State): Promise<void> {
    switch (event.name) {
      case 'add_test': {
        const test = state.currentDescribeBlock.children.at(-1);
        if (test === undefined || test.type !== 'test') return;
        const meta = this.chaos.classify(inChaosDescribe(this.chaos));
        this.metas.set(test, meta);
        if (meta.chaos && !/chaos/i.test(fullNameOf(test))) test.name = `chaos: ${test.name}`;
        if (meta.skipped !== undefined && test.mode === undefined) test.mode = 'skip';
        return;
      }
      case 'test_start':
        this.chaos.testStarted();
        return;
      case 'test_fn_start': {
        const meta = this.metas.get(event.test);
        if (meta?.chaos === true && meta.skipped === undefined) {
          const test = this.chaos.startChaosTest(fullNameOf(event.test), meta);
          if (test.storeRules.length > 0) this.installDriversFirst(event.test, test);
          if (this.chaos.time === 'virtual') {
            this.stopVirtualTime();
            this.virtualTime = VirtualTime.install(this.global as unknown as typeof globalThis);
          }
        }
        return;
      }
      case 'test_fn_success':
      case 'test_fn_failure':
        try {
          await this.chaos.endChaosTest();
        } finally {
          this.stopVirtualTime();
        }
        return;
      case 'test_skip':
      case 'test_todo':
      case 'test_done': {
        this.stopVirtualTime();
        const { test } = event;
        const original = this.originalFns.get(test);
        if (original !== undefined) {
          test.fn = original;
          this.originalFns.delete(test);
        }
        if (event.name === 'test_done') {
          const ended = await this.chaos.endChaosTest();
          for (const problem of ended?.problems ?? []) test.errors.push(problem);
          if (ended !== undefined) this.reportSecondNock(test);
        }
        const failed = event.name === 'test_done' && test.errors.length > 0;
        const replay = await this.chaos.testDone(fullNameOf(test), this.metas.get(test), failed, event.name !== 'test_done');
        if (replay !== undefined) {
          const hint = new Error(`jest-chaos: replay this test with the same faults:\n\n  ${replay}\n`);
          hint.stack = hint.message;
          test.errors.push(hint);
        }
        return;
      }
      default:
        return;
    }
  }
}
