import { isChaosError } from '../errors/chaos-error';
import { createTransformer, type LazyTransformOptions } from './lazy-ts-jest';

const TS_JEST = require.resolve('ts-jest');

/** A stand-in for ts-jest's module that records every call, shaped like ts-jest's `exports.default`. */
function fakeTsJest() {
  const calls: { member: string; args: unknown[] }[] = [];
  const created: unknown[] = [];
  const transformer = {
    process: (...args: unknown[]) => (calls.push({ member: 'process', args }), { code: 'compiled' }),
    processAsync: async (...args: unknown[]) => (calls.push({ member: 'processAsync', args }), { code: 'compiled async' }),
    getCacheKey: (...args: unknown[]) => (calls.push({ member: 'getCacheKey', args }), `key of ${String(args[1])}`),
    getCacheKeyAsync: async (...args: unknown[]) => (calls.push({ member: 'getCacheKeyAsync', args }), `async key of ${String(args[1])}`),
  };
  const loads: string[] = [];
  const load = (modulePath: string) => {
    loads.push(modulePath);
    return { default: { createTransformer: (options: unknown) => (created.push(options), transformer) } };
  };
  return { calls, created, loads, load };
}

/** ts-jest's and TypeScript's modules in this test file's module registry. */
const tsJestModules = () => Object.keys(require.cache).filter((file) => file.includes('/node_modules/ts-jest/') || file.endsWith('/typescript/lib/typescript.js'));

const jestOptions = (): LazyTransformOptions => ({ config: { rootDir: '/project' }, instrument: false, transformerConfig: { tsJestPath: '/x/ts-jest.js', isolatedModules: true } });

describe('createTransformer', () => {
  test('does not load ts-jest: neither the loader is called nor ts-jest or typescript enter require.cache', () => {
    const fake = fakeTsJest();
    const transformer = createTransformer({ tsJestPath: TS_JEST }, fake.load);
    // With the real loader too: its creation must not require ts-jest.
    const real = createTransformer({ tsJestPath: TS_JEST });
    expect(fake.loads).toEqual([]);
    // This file's module registry: the test below shows ts-jest does enter it once a transformer is used.
    expect(tsJestModules()).toEqual([]);
    // Jest rejects a transformer without process/processAsync at load time; ts-jest has no canInstrument.
    for (const created of [transformer, real]) {
      expect(typeof created.process).toBe('function');
      expect(typeof created.processAsync).toBe('function');
      expect(typeof created.getCacheKey).toBe('function');
      expect(typeof created.getCacheKeyAsync).toBe('function');
      expect('canInstrument' in created).toBe(false);
    }
  });

  test('process and getCacheKey delegate to ts-jest, loaded once from tsJestPath with the other options', async () => {
    const fake = fakeTsJest();
    const transformer = createTransformer({ tsJestPath: '/x/ts-jest.js', isolatedModules: true }, fake.load);
    expect(transformer.getCacheKey('let a: number = 1;', '/project/a.ts', jestOptions())).toBe('key of /project/a.ts');
    expect(transformer.process('let a: number = 1;', '/project/a.ts', jestOptions())).toEqual({ code: 'compiled' });
    await expect(transformer.getCacheKeyAsync('x', '/project/b.ts', jestOptions())).resolves.toBe('async key of /project/b.ts');
    await expect(transformer.processAsync('x', '/project/b.ts', jestOptions())).resolves.toEqual({ code: 'compiled async' });
    expect(fake.loads).toEqual(['/x/ts-jest.js']);
    expect(fake.created).toEqual([{ isolatedModules: true }]);
    expect(fake.calls.map((call) => call.member)).toEqual(['getCacheKey', 'process', 'getCacheKeyAsync', 'processAsync']);
    // ts-jest sees the source, the path and Jest's options, with transformerConfig as if it were named directly.
    expect(fake.calls[1]?.args).toEqual(['let a: number = 1;', '/project/a.ts', { config: { rootDir: '/project' }, instrument: false, transformerConfig: { isolatedModules: true } }]);
  });

  test("the cache key is ts-jest's own: it changes when ts-jest's options change", () => {
    const options = (tsconfig: Record<string, unknown>): LazyTransformOptions => ({
      // As Jest does: the project config lists the transform entry with its options.
      config: { rootDir: __dirname, cwd: __dirname, globals: {}, transform: [['^.+\\.[cm]?tsx?$', '/dist/src/config/lazy-ts-jest.js', { tsJestPath: TS_JEST, tsconfig }]], testMatch: [] },
      configString: '{}',
      instrument: false,
      supportsStaticESM: false,
      cacheFS: new Map(),
      transformerConfig: { tsJestPath: TS_JEST, tsconfig },
    });
    const key = (tsconfig: Record<string, unknown>) => createTransformer({ tsJestPath: TS_JEST, tsconfig }).getCacheKey('const a: number = 1;\n', `${__dirname}/x.ts`, options(tsconfig));
    const commonjs = key({ module: 'commonjs', target: 'ES2020', isolatedModules: true });
    expect(commonjs).toMatch(/^[0-9a-f]{40}$/);
    expect(key({ module: 'commonjs', target: 'ES2020', isolatedModules: true })).toBe(commonjs);
    expect(key({ module: 'commonjs', target: 'ES2017', isolatedModules: true })).not.toBe(commonjs);
    expect(tsJestModules()).toContain(TS_JEST);
  });

  test('a missing tsJestPath is a configuration error naming the option', () => {
    let thrown: unknown;
    try {
      createTransformer({ isolatedModules: true });
    } catch (error) {
      thrown = error;
    }
    expect(isChaosError(thrown)).toBe(true);
    expect((thrown as { code?: string }).code).toBe('ERR_CHAOS_CONFIG');
    expect((thrown as Error).message).toMatch(/^jest-chaos: transform options in the Jest config: tsJestPath is undefined, not a path\. Give \{ tsJestPath/);
  });

  test('a module without createTransformer is a configuration error, raised on first use', () => {
    const transformer = createTransformer({ tsJestPath: '/x/not-a-transformer.js' }, () => ({ something: 1 }));
    expect(() => transformer.getCacheKey('', '/project/a.ts', jestOptions())).toThrow('jest-chaos: transform option tsJestPath in the Jest config: "/x/not-a-transformer.js" exports no createTransformer function.');
  });
});
