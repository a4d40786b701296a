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
 * The live state of one rule in one test: its own random stream, drawn once for each call that reaches
 * the rule. Rules are tried in order and a call that an earlier rule answered (a refusal, a status) does
 * not reach later ones, so a rule's draws depend on the rules before it, never on those after it.
 */
export class RuleState<R extends Rule = Rule> {
  private faulted = 0;
  private matchedCalls = 0;

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
    this.matchedCalls += 1;
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

  /** How many calls matched the rule's target, whether or not it faulted them. */
  get matched(): number {
    return this.matchedCalls;
  }

  get count(): number {
    return this.faulted;
  }
}
