import { parseRule } from '../rules/parse';
import { createRandom } from '../random/seed';
import { RuleState } from './rule-state';

const state = (rule: string, seed = 1) => new RuleState(parseRule(rule, 'rule-state.test.ts'), createRandom(seed));

describe('RuleState.fires', () => {
  test('p=1 (default) fires on every call', () => {
    const rule = state('http.refused *');
    expect(Array.from({ length: 10 }, () => rule.fires())).toEqual(new Array(10).fill(true));
  });

  test('times=n fires on the first n calls only', () => {
    const rule = state('http.refused * times=3');
    expect(Array.from({ length: 6 }, () => rule.fires())).toEqual([true, true, true, false, false, false]);
    expect(rule.count).toBe(3);
  });

  test('p draws from the seeded stream: the same seed gives the same decisions', () => {
    const decisions = (seed: number) => {
      const rule = state('http.refused * p=0.3', seed);
      return Array.from({ length: 50 }, () => rule.fires());
    };
    expect(decisions(5)).toEqual(decisions(5));
    expect(decisions(5)).not.toEqual(decisions(6));
  });

  test('p=0.3 fires about 30% of 5000 calls', () => {
    const rule = state('http.refused * p=0.3', 11);
    let fired = 0;
    for (let i = 0; i < 5000; i++) if (rule.fires()) fired += 1;
    expect(fired / 5000).toBeGreaterThan(0.27);
    expect(fired / 5000).toBeLessThan(0.33);
  });

  test('p and times together: at most n faults, each drawn', () => {
    const rule = state('http.refused * p=0.5 times=2', 3);
    const results = Array.from({ length: 40 }, () => rule.fires());
    expect(results.filter(Boolean)).toHaveLength(2);
    expect(rule.count).toBe(2);
  });

  test('p=0 never fires', () => {
    const rule = state('http.refused * p=0');
    expect(Array.from({ length: 100 }, () => rule.fires()).some(Boolean)).toBe(false);
  });
});

describe('RuleState.delay', () => {
  test('a fixed ms is returned as is', () => {
    expect(state('http.latency * ms=250').delay()).toBe(250);
  });

  test('a range draws whole milliseconds within it, both ends reachable', () => {
    const rule = state('http.latency * ms=1-3', 4);
    const seen = new Set(Array.from({ length: 200 }, () => rule.delay()));
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  test('replace keeps the stream and the count', () => {
    const rule = state('http.refused * times=2');
    rule.fires();
    rule.replace(parseRule('http.refused * times=1', 'rule-state.test.ts') as never);
    expect(rule.fires()).toBe(false);
  });
});
