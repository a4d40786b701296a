import type { Registration } from '../api/types';
import type { StoreRule } from '../rules/types';
import { originalOf, patchProperty } from './patches';
import type { Disposer } from './scope';
import type { TestChaos } from './test-chaos';

/** The counting patches of each running chaos test, so that a `chaos.stub()` can take their place. */
const counting = new WeakMap<TestChaos, Disposer[]>();

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
      own.push(undo);
    }
  }
}

/**
 * Stops counting seam calls for the test: `chaos.stub()` faults a method for the test, which may be a
 * registered seam's, and one test patches a method once.
 */
export function releaseSeamCalls(test: TestChaos): void {
  const own = counting.get(test);
  counting.delete(test);
  for (const undo of (own ?? []).reverse()) undo();
}
