import type { Rule } from '../rules/types';
import type { ChaosRandom } from '../random/seed';

/** One injected fault, as `chaos.events()` and the report show it. */
export interface FaultEvent {
  /** 1-based order of the fault within its test. */
  readonly seq: number;
  readonly rule: string;
  readonly domain: Rule['domain'];
  readonly kind: Rule['kind'];
  /** What was faulted: `GET http://api.example.com/users` or `db primary.query`. */
  readonly call: string;
  /** The injected delay, when the fault has one. */
  readonly delayMs?: number;
}

/**
 * The live state of one rule in one test: its own random stream, so that the faults of one rule
 * never depend on how much traffic another rule saw.
 */
export class RuleState<R extends Rule = Rule> {
  private faulted = 0;

  constructor(
    public rule: R,
    private readonly random: ChaosRandom,
  ) {}

  /** Swaps in a refined rule (the in-test builders add options after the kind); draws and counts carry on. */
  replace(rule: R): void {
    this.rule = rule;
  }

  /** Decides, for one matching call, whether this rule faults it (`p` first, then `times`). */
  fires(): boolean {
    const { p, times } = this.rule.options;
    if (times !== undefined && this.faulted >= times) return false;
    if (p < 1 && !(this.random.next() < p)) return false;
    this.faulted += 1;
    return true;
  }

  /** The delay for this call: fixed, or drawn uniformly from the rule's `ms` range. */
  delay(): number {
    const { min, max } = this.rule.options.ms;
    return min === max ? min : min + Math.floor(this.random.next() * (max - min + 1));
  }

  get count(): number {
    return this.faulted;
  }
}
