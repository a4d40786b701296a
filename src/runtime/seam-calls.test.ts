import { parseRules } from '../rules/parse';
import { realmClock } from './clock';
import { countSeamCalls, releaseSeamCalls } from './seam-calls';
import { TestChaos } from './test-chaos';
import { markRunning, runInTest } from './test-context';

function running(rules: string[] = []): TestChaos {
  const test = new TestChaos(1, 'chaos: t', realmClock(globalThis));
  for (const rule of parseRules(rules, 'seam-calls.test.ts')) test.addRule(rule);
  test.disposers.add(markRunning(test));
  return test;
}

test("counts a registered seam's calls made by the test, per method; other calls and the original's result are untouched", async () => {
  const orders = { find: (id: number) => ({ id }), save: () => 'saved' };
  const test = running();
  countSeamCalls(test, [{ domain: 'db', name: 'orders', object: orders, methods: ['find', 'save'] }]);
  expect(runInTest(test, () => [orders.find(1), orders.find(2), orders.save()])).toEqual([{ id: 1 }, { id: 2 }, 'saved']);
  expect(test.called.list()).toEqual([{ type: 'seam', domain: 'db', name: 'orders', calls: 3, methods: ['find', 'save'] }]);
  await test.dispose();
  expect(orders.find(3)).toEqual({ id: 3 });
  expect(Object.getOwnPropertyNames(orders)).toEqual(['find', 'save']);
  expect(test.called.list()[0]?.calls).toBe(3);
});

test('a seam that a rule of the test faults is left to the rule', async () => {
  const faulted = { get: () => 1 };
  const counted = { get: () => 2 };
  const test = running(['cache.down sessions']);
  countSeamCalls(test, [
    { domain: 'cache', name: 'sessions', object: faulted, methods: ['get'] },
    { domain: 'db', name: 'users', object: counted, methods: ['get'] },
  ]);
  runInTest(test, () => [faulted.get(), counted.get()]);
  expect(test.called.list().map((entry) => [entry.name, entry.calls])).toEqual([['users', 1]]);
  await test.dispose();
});

test('releasing one method (a chaos.stub() takes its place) puts that method back and keeps counting the others', async () => {
  const users = { get: () => 2, put: () => 3 };
  const orders = { get: () => 4 };
  const test = running();
  countSeamCalls(test, [
    { domain: 'db', name: 'users', object: users, methods: ['get', 'put'] },
    { domain: 'db', name: 'orders', object: orders, methods: ['get'] },
  ]);
  const counted = (): Array<[string, number, string[]]> => test.called.list().map((entry) => [entry.name, entry.calls, [...(entry.methods ?? [])]]);
  runInTest(test, () => [users.get(), users.put(), orders.get()]);
  releaseSeamCalls(test, users, 'get');
  expect(Object.getOwnPropertyDescriptor(users, 'get')?.value()).toBe(2);
  runInTest(test, () => [users.get(), users.put(), orders.get()]);
  expect(counted()).toEqual([['users', 3, ['get', 'put']], ['orders', 2, ['get']]]);
  await test.dispose();
  expect([users.get(), users.put(), orders.get()]).toEqual([2, 3, 4]);
  expect(Object.getOwnPropertyNames(users)).toEqual(['get', 'put']);
});
