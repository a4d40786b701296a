import type { Registration } from '../api/types';
import type { StoreRule } from '../rules/types';
import { originalOf, patchProperty } from './patches';
import type { Disposer } from './scope';
import type { TestChaos } from './test-chaos';

/** A counting patch on one method of a registered seam. */
interface Counting {
  readonly object: object;
  readonly method: string;
  readonly undo: Disposer;
}

/** The counting patches of each running chaos test, so that a `chaos.stub()` can take a method's place. */
const counting = new WeakMap<TestChaos, Counting[]>();

/** Whether a store rule aims at a registered seam: its domain, and its name or `*`. */
export function ruleAimsAt(rule: StoreRule, registration: Registration): boolean {
  return rule.domain === registration.domain && (rule.target === '*' || rule.target === registration.name);
}

/**
 * Counts, for one chaos test, the calls of registered seams that none of its rules faults
 * (`TestChaos.called`). Each method is patched for this test only, through the same dispatcher as faults;
 * a method that cannot be patched (a frozen object) is left alone: counting calls never fails a test.
 */
export function countSeamCalls(test: TestChaos, registrations: readonly Registration[]): void {
  const rules = test.storeRules.map((state) => state.rule);
  for (const registration of registrations) {
    // A seam a rule faults: its calls are the rule's (see MethodFaults).
    if (rules.some((rule) => ruleAimsAt(rule, registration))) continue;
    const { domain, name, object, methods } = registration;
    for (const method of methods) {
      const original = originalOf((object as Record<string, unknown>)[method]);
      if (typeof original !== 'function') continue;
      const count = function (this: unknown, ...args: unknown[]): unknown {
        test.called.add('seam', domain, name, method);
        return Reflect.apply(original, this, args);
      };
      let undo: Disposer;
      try {
        undo = patchProperty(object as Record<string, unknown>, method, count, `${domain} ${name}.${method}`, test);
      } catch {
        continue;
      }
      let own = counting.get(test);
      if (own === undefined) {
        own = [];
        counting.set(test, own);
        test.disposers.add(() => releaseSeamCalls(test));
      }
      own.push({ object, method, undo });
    }
  }
}

/**
 * Stops counting the calls of one method for the test (or of every method): `chaos.stub()` faults a method
 * for the test, which may be a registered seam's, and one test patches a method once. The seam's other
 * methods, and other seams, are still counted.
 */
export function releaseSeamCalls(test: TestChaos, object?: object, method?: string): void {
  const own = counting.get(test) ?? [];
  const released = own.filter((entry) => object === undefined || (entry.object === object && entry.method === method));
  counting.set(test, own.filter((entry) => !released.includes(entry)));
  for (const entry of released.reverse()) entry.undo();
}
