import path from 'node:path';
import { parseRules } from '../rules/parse';
import type { StoreRule } from '../rules/types';
import { TestChaos } from '../runtime/test-chaos';
import { LOADER_SLOT } from './loader';
import { applyDriverRule, type DriverContext } from './index';

const ROOT = path.resolve(__dirname, '..', '..');
const clock = { setTimeout, clearTimeout } as unknown as ConstructorParameters<typeof TestChaos>[2];

function apply(source: string, context: Partial<DriverContext>): TestChaos {
  const test = new TestChaos(1, 'a test', clock);
  const [rule] = parseRules(source, 'file.test.ts:2') as StoreRule[];
  const state = test.createState(rule!);
  applyDriverRule(state, test, { realm: {}, rootDir: ROOT, registered: () => false, ...context });
  return test;
}

describe('applyDriverRule', () => {
  test('a rule naming a driver without the setup file in the realm is a config error saying what to add', () => {
    expect(() => apply('db.down pg', {})).toThrow(
      expect.objectContaining({
        code: 'ERR_CHAOS_CONFIG',
        message: expect.stringContaining("rule \"db.down pg\" in file.test.ts:2 targets pg, but jest-chaos's setup file did not run in this test file"),
      }),
    );
  });

  test('`*` without the setup file leaves the drivers alone', () => {
    expect(() => apply('db.down *', {})).not.toThrow();
  });

  test('a cache driver in a db rule is a rule error naming the right domain', () => {
    expect(() => apply('db.down ioredis', {})).toThrow(
      expect.objectContaining({ code: 'ERR_CHAOS_RULE', message: 'jest-chaos: invalid rule "db.down ioredis" in file.test.ts:2: ioredis is a cache driver. Write "cache.down ioredis".' }),
    );
  });

  test('a driver that is not installed is a config error; a seam of that name takes the rule instead', () => {
    const elsewhere = path.parse(ROOT).root;
    expect(() => apply('db.down mysql2', { rootDir: elsewhere })).toThrow(expect.objectContaining({ code: 'ERR_CHAOS_CONFIG', message: expect.stringContaining('targets mysql2, which cannot be resolved from rootDir') }));
    expect(() => apply('db.down mysql2', { rootDir: elsewhere, registered: (domain, name) => domain === 'db' && name === 'mysql2' })).not.toThrow();
  });

  test('patches the driver loaded through the realm, and the test disposes the patch', async () => {
    const loaded: string[] = [];
    const realm = { [LOADER_SLOT]: (id: string) => (loaded.push(id), require(id)), Error };
    const pg = require('pg') as { Client: { prototype: Record<string, unknown> } };
    const original = pg.Client.prototype.query;
    const test = apply('db.error pg', { realm });
    expect(loaded).toEqual([require.resolve('pg')]);
    expect(pg.Client.prototype.query).not.toBe(original);
    await test.dispose();
    expect(pg.Client.prototype.query).toBe(original);
  });
});
