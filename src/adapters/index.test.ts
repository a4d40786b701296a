import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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

  test('an installed driver without what the adapter patches is a config error naming the supported range', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-old-driver-'));
    try {
      for (const [name, version, files] of [
        ['ioredis', '4.28.5', { 'built/index.js': 'module.exports = { Redis: class Redis {} };' }],
        ['redis', '3.1.2', { 'index.js': 'module.exports = {};' }],
      ] as const) {
        const dir = path.join(root, 'node_modules', name);
        for (const [file, text] of Object.entries({ 'package.json': JSON.stringify({ name, version, main: Object.keys(files)[0] }), ...files })) {
          mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
          writeFileSync(path.join(dir, file), text);
        }
      }
      const realm = { [LOADER_SLOT]: (id: string) => require(id), Error };
      expect(() => apply('cache.down ioredis', { realm, rootDir: root })).toThrow(
        expect.objectContaining({
          code: 'ERR_CHAOS_CONFIG',
          message: `jest-chaos: rule "cache.down ioredis" in file.test.ts:2 cannot fault ioredis 4.28.5 (${path.join(root, 'node_modules', 'ioredis')}): its Redis class has no sendCommand() and silentEmit(). jest-chaos supports ioredis 5 and 6: install one of them, or register your own seam with chaos.register({ domain: 'cache', name: 'ioredis', ... }).`,
        }),
      );
      expect(() => apply('cache.down *', { realm, rootDir: root })).toThrow(expect.objectContaining({ code: 'ERR_CHAOS_CONFIG', message: expect.stringContaining('cannot fault ioredis 4.28.5') }));
      expect(() => apply('cache.lost redis', { realm, rootDir: root })).toThrow(
        expect.objectContaining({ code: 'ERR_CHAOS_CONFIG', message: expect.stringMatching(/cannot fault redis 3\.1\.2 \(.*\): no @redis\/client can be resolved next to it\. jest-chaos supports node-redis \(redis\) 4, 5 and 6: /) }),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('ioredis 5 and node-redis 5 and 6 are found by their layout, patched, and restored when the test ends', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-majors-'));
    const modules = path.join(ROOT, 'node_modules');
    const prototypeOf = (file: string, name?: string): Record<string, unknown> => {
      const exported = require(path.join(modules, file)) as Record<string, { prototype: Record<string, unknown> }>;
      return exported[name ?? 'default']!.prototype;
    };
    try {
      for (const [driver, pkg, proto, method] of [
        ['ioredis', 'ioredis5', prototypeOf('ioredis5/built/index.js', 'Redis'), 'sendCommand'],
        ['redis', 'redis5', prototypeOf('redis5/node_modules/@redis/client/dist/lib/client/index.js'), '_executeMulti'],
        ['redis', 'redis6', prototypeOf('redis6/node_modules/@redis/client/dist/lib/client/index.js'), '_executeMulti'],
      ] as const) {
        const project = path.join(root, pkg);
        mkdirSync(path.join(project, 'node_modules'), { recursive: true });
        symlinkSync(path.join(modules, pkg), path.join(project, 'node_modules', driver), 'dir');
        const original = proto[method];
        const test = apply(`cache.down ${driver}`, { realm: { [LOADER_SLOT]: (id: string) => require(id), Error }, rootDir: project });
        expect([pkg, proto[method] === original]).toEqual([pkg, false]);
        await test.dispose();
        expect([pkg, proto[method] === original]).toEqual([pkg, true]);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
