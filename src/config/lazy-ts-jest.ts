import { ChaosError } from '../errors/chaos-error';

/**
 * The transformer `preset: 'jest-chaos'` names for TypeScript files: ts-jest, loaded on first use.
 *
 * Jest loads every configured transformer in each worker before the first test file runs. Naming
 * ts-jest directly made a JavaScript-only project load ts-jest and the TypeScript compiler in every
 * worker; this module loads them only when Jest first asks for a TypeScript file's cache key or code.
 */

/** The options Jest passes to a transformer's `process`/`getCacheKey`; only `transformerConfig` is read here. */
export interface LazyTransformOptions {
  transformerConfig?: unknown;
  [key: string]: unknown;
}

/** The transformer object Jest receives: the members ts-jest's own transformer has, nothing more. */
export interface LazyTsJestTransformer {
  process(sourceText: string, sourcePath: string, options: LazyTransformOptions): unknown;
  processAsync(sourceText: string, sourcePath: string, options: LazyTransformOptions): Promise<unknown>;
  getCacheKey(sourceText: string, sourcePath: string, options: LazyTransformOptions): string;
  getCacheKeyAsync(sourceText: string, sourcePath: string, options: LazyTransformOptions): Promise<string>;
}

/** How ts-jest is loaded; a parameter so tests can observe when it happens. */
export type ModuleLoader = (modulePath: string) => unknown;

interface TransformerFactory {
  createTransformer(options?: Record<string, unknown>): LazyTsJestTransformer;
}

const OPTIONS_DOC = "Give { tsJestPath: <absolute path of ts-jest's entry> } as this transformer's options";

function isFactory(value: unknown): value is TransformerFactory {
  return typeof value === 'object' && value !== null && typeof (value as { createTransformer?: unknown }).createTransformer === 'function';
}

/** ts-jest's CommonJS entry puts `createTransformer` on `default`; accept it at the top level too. */
function factoryOf(loaded: unknown, tsJestPath: string): TransformerFactory {
  const candidate = isFactory(loaded) ? loaded : (loaded as { default?: unknown } | null)?.default;
  if (!isFactory(candidate)) {
    throw new ChaosError('ERR_CHAOS_CONFIG', `transform option tsJestPath in the Jest config: "${tsJestPath}" exports no createTransformer function. ${OPTIONS_DOC}.`);
  }
  return candidate;
}

/**
 * Splits this transformer's options into the path of ts-jest and the options meant for ts-jest itself
 * (everything else, forwarded unchanged).
 */
function splitOptions(options: unknown): { tsJestPath: string; forwarded: Record<string, unknown> } {
  const own = typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
  const { tsJestPath, ...forwarded } = own;
  if (typeof tsJestPath !== 'string' || tsJestPath === '') {
    throw new ChaosError('ERR_CHAOS_CONFIG', `transform options in the Jest config: tsJestPath is ${JSON.stringify(tsJestPath) ?? 'undefined'}, not a path. ${OPTIONS_DOC}.`);
  }
  return { tsJestPath, forwarded };
}

/**
 * Jest's transformer factory. Creating the transformer only checks the options; ts-jest is required,
 * and its transformer created with the forwarded options, on the first call of any member.
 */
export function createTransformer(options?: unknown, load: ModuleLoader = require): LazyTsJestTransformer {
  const { tsJestPath, forwarded } = splitOptions(options);
  let inner: LazyTsJestTransformer | undefined;
  const tsJest = (): LazyTsJestTransformer => {
    inner ??= factoryOf(load(tsJestPath), tsJestPath).createTransformer(forwarded);
    return inner;
  };
  // ts-jest reads its own options (e.g. useESM) from transformerConfig: hand it what it would get if named directly.
  const forTsJest = (transformOptions: LazyTransformOptions): LazyTransformOptions => ({ ...transformOptions, transformerConfig: forwarded });
  return {
    process: (sourceText, sourcePath, transformOptions) => tsJest().process(sourceText, sourcePath, forTsJest(transformOptions)),
    processAsync: (sourceText, sourcePath, transformOptions) => tsJest().processAsync(sourceText, sourcePath, forTsJest(transformOptions)),
    // ts-jest's key covers its version, the TypeScript version, the Jest config (which names tsJestPath) and the file's imports.
    getCacheKey: (sourceText, sourcePath, transformOptions) => tsJest().getCacheKey(sourceText, sourcePath, forTsJest(transformOptions)),
    getCacheKeyAsync: (sourceText, sourcePath, transformOptions) => tsJest().getCacheKeyAsync(sourceText, sourcePath, forTsJest(transformOptions)),
  };
}

/**
 * What Jest reads: it requires a transformer with `interopRequireDefault`, so a compiled module's named
 * exports are invisible to it and the factory must be the default export (as ts-jest's own is).
 */
const transformerFactory: { createTransformer(options?: unknown): LazyTsJestTransformer } = {
  createTransformer: (options?: unknown) => createTransformer(options),
};
export default transformerFactory;
