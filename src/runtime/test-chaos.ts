import type { HttpRule, Rule, StoreRule, TcpRule } from '../rules/types';
import { createRandom, deriveSeed } from '../random/seed';
import { DisposerStack } from './scope';
import { RuleState, type FaultEvent } from './rule-state';
import type { Clock } from './clock';
import { CalledDependencies } from './called';

/**
 * Everything chaos holds for one attempt of one chaos test: its seed, rules, injected faults and the
 * disposers of its patches. It is created when the test's function starts and disposed when the function
 * ends (passed, failed or timed out); nothing of it is active afterwards.
 */
export class TestChaos {
  readonly events: FaultEvent[] = [];
  readonly disposers = new DisposerStack();
  readonly httpRules: RuleState<HttpRule>[] = [];
  readonly storeRules: RuleState<StoreRule>[] = [];
  /** tcp rules act on the connections the test opens (src/tcp/). */
  readonly tcpRules: RuleState<TcpRule>[] = [];
  /** Requests that the loopback guard refused while this test ran (`GET http://host/path`). */
  readonly refused: string[] = [];
  /** The dependencies the test called, faulted or not (HTTP origins, drivers, seams, TCP endpoints). */
  readonly called = new CalledDependencies();
  /** Misuses of the API and unhandled faults found while the test ran: they fail the test. */
  readonly problems: Error[] = [];
  private ruleCount = 0;
  private listeners: ((state: RuleState<StoreRule>) => void)[] = [];
  private randomStream: ReturnType<typeof createRandom> | undefined;
  disposed = false;

  constructor(
    readonly seed: number,
    readonly fullName: string,
    readonly clock: Clock,
    /** A `test.concurrent` test: only calls made in its own async context are its own. */
    readonly concurrent = false,
  ) {}

  /** A rule's state with its own random stream, derived from the test's seed and the rule's position. */
  createState<R extends Rule>(rule: R): RuleState<R> {
    return new RuleState(rule, createRandom(deriveSeed(this.seed, 'rule', this.ruleCount++, rule.source)));
  }

  addRule(rule: Rule): RuleState {
    if (rule.domain === 'http') {
      const state = this.createState(rule);
      this.httpRules.push(state);
      return state;
    }
    if (rule.domain === 'tcp') {
      const state = this.createState(rule);
      this.tcpRules.push(state);
      return state;
    }
    const state = this.createState(rule);
    this.storeRules.push(state);
    for (const listener of this.listeners) listener(state);
    return state;
  }

  /** Called for every store rule added now or later (registered seams and drivers install through it). */
  onStoreRule(listener: (state: RuleState<StoreRule>) => void): void {
    this.listeners.push(listener);
    for (const state of this.storeRules) listener(state);
  }

  record(state: RuleState, call: string, delayMs?: number): void {
    const { source, domain, kind } = state.rule;
    this.events.push({ seq: this.events.length + 1, rule: source, domain, kind, call, ...(delayMs === undefined ? {} : { delayMs }) });
  }

  /** Every rule of the test, in the order of their kinds: http, db and cache, tcp. */
  allRules(): RuleState[] {
    return [...this.httpRules, ...this.storeRules, ...this.tcpRules];
  }

  /** The sources of the rules that no call (for tcp: no connection) matched while the test ran. */
  unmatchedRules(): string[] {
    return this.allRules().filter((state) => state.matched === 0).map((state) => state.rule.source);
  }

  /** `chaos.random()`: a stream of its own, independent of the rules' draws. */
  random(): number {
    this.randomStream ??= createRandom(deriveSeed(this.seed, 'chaos.random'));
    return this.randomStream.next();
  }

  /**
   * Waits `ms` on the test's clock. Resolves true when the time ran out while the test still ran, false
   * when the test ended first: the timer is then cancelled, and a fault waiting on it must not fire.
   */
  wait(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(!this.disposed);
    return new Promise((resolve) => {
      let done = false;
      const handle = this.clock.setTimeout(() => {
        done = true;
        resolve(!this.disposed);
      }, ms);
      this.disposers.add(() => {
        if (done) return;
        this.clock.clearTimeout(handle);
        resolve(false);
      });
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.listeners = [];
    await this.disposers.dispose();
  }
}
