import path from 'node:path';

/** The package's root, from which every part's absolute path is built. */
const packageRoot = path.resolve(__dirname, '..', '..', '..');

/** Absolute paths of the parts a Jest config points at; absolute so they resolve from any rootDir. */
export const parts = {
  environment: path.join(packageRoot, 'dist', 'environments', 'node.js'),
  runner: path.join(packageRoot, 'dist', 'src', 'runner', 'chaos-runner.js'),
  reporter: path.join(packageRoot, 'dist', 'src', 'reporter', 'chaos-reporter.js'),
  filter: path.join(packageRoot, 'dist', 'src', 'selection', 'list-filter.js'),
  nock: path.join(packageRoot, 'nock.js'),
  /** Runs in each test file's realm: lets the db/cache adapters reach the drivers the test loads. */
  setup: path.join(packageRoot, 'dist', 'src', 'adapters', 'setup.js'),
} as const;

/** `setupFiles` with jest-chaos's setup file first, the user's own entries kept after it (no duplicate). */
export function withSetupFile(setupFiles: unknown): string[] {
  const own = Array.isArray(setupFiles) ? (setupFiles as string[]) : [];
  return own.includes(parts.setup) ? own : [parts.setup, ...own];
}

function resolvable(name: string): string | undefined {
  try {
    return require.resolve(name, { paths: [process.cwd(), packageRoot] });
  } catch {
    return undefined;
  }
}

/** One `transform` entry: a transformer's path, or its path and options. */
export type TransformEntry = string | [string, Record<string, unknown>];

/** The transformer that loads ts-jest on first use (see lazy-ts-jest.ts). */
const lazyTsJest = path.join(packageRoot, 'dist', 'src', 'config', 'lazy-ts-jest.js');

/**
 * ts-jest for TypeScript test files when the project has it, behind a wrapper that loads it only when a
 * TypeScript file is transformed; babel-jest for JavaScript, as plain Jest does.
 */
export function defaultTransform(): Record<string, TransformEntry> {
  const transform: Record<string, TransformEntry> = {};
  // By absolute path: Jest resolves a bare name from rootDir, which may not see the copy found here.
  const tsJest = resolvable('ts-jest');
  if (tsJest !== undefined) transform['^.+\\.[cm]?tsx?$'] = [lazyTsJest, { tsJestPath: tsJest }];
  const babelJest = resolvable('babel-jest');
  if (babelJest !== undefined) transform['^.+\\.[cm]?jsx?$'] = babelJest;
  return transform;
}
