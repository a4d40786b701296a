/**
 * What `scan` reads of a project: its rootDir, roots, which files are tests (Jest's testMatch /
 * testRegex, setup files), testPathIgnorePatterns, from the project's own Jest config when one is found.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { globToRegExp } from './glob';

/** One Jest project (a config has one, or several under `projects`). */
export interface JestProject {
  readonly rootDir: string;
  readonly roots: readonly string[];
  readonly testMatch: readonly RegExp[];
  readonly testRegex: readonly RegExp[];
  readonly testPathIgnorePatterns: readonly RegExp[];
  readonly setupFiles: readonly string[];
}

export interface ScanProject {
  /** The rootDir of the Jest config (of the first project), else the directory scanned. */
  readonly rootDir: string;
  readonly projects: readonly JestProject[];
  /** Why Jest's defaults were used instead of the project's config, when they were. */
  readonly note: string | undefined;
}

/** Jest's default testMatch. */
const DEFAULT_TEST_MATCH = ['**/__tests__/**/*.?([mc])[jt]s?(x)', '**/?(*.)+(spec|test).?([mc])[jt]s?(x)'];

interface RawProjectConfig {
  rootDir: string;
  roots?: string[];
  testMatch?: string[];
  testRegex?: (string | RegExp)[];
  testPathIgnorePatterns?: string[];
  setupFiles?: string[];
  setupFilesAfterEnv?: string[];
}

interface JestConfigModule {
  readConfigs(argv: { $0: string; _: string[] }, projectPaths: string[]): Promise<{ configs: RawProjectConfig[]; globalConfig: { rootDir: string } }>;
}

/** jest-config as the project resolves it (directly, or through its jest). */
function loadJestConfig(dir: string): JestConfigModule | undefined {
  const attempts: (() => string)[] = [
    () => require.resolve('jest-config', { paths: [dir] }),
    () => require.resolve('jest-config', { paths: [path.dirname(require.resolve('jest/package.json', { paths: [dir] }))] }),
    () => require.resolve('jest-config', { paths: [path.dirname(require.resolve('jest-cli/package.json', { paths: [path.dirname(require.resolve('jest/package.json', { paths: [dir] }))] }))] }),
  ];
  for (const attempt of attempts) {
    try {
      return require(attempt()) as JestConfigModule;
    } catch {
      // next way of finding it
    }
  }
  return undefined;
}

const toRegExp = (pattern: string | RegExp): RegExp => (typeof pattern === 'string' ? new RegExp(pattern) : pattern);

function compile(config: RawProjectConfig): JestProject {
  const testRegex = (config.testRegex ?? []).map(toRegExp);
  return {
    rootDir: config.rootDir,
    roots: config.roots ?? [config.rootDir],
    testMatch: testRegex.length > 0 ? [] : (config.testMatch ?? DEFAULT_TEST_MATCH).map((glob) => globToRegExp(glob.replace(/^!/, ''))),
    testRegex,
    testPathIgnorePatterns: (config.testPathIgnorePatterns ?? ['/node_modules/']).map(toRegExp),
    setupFiles: [...(config.setupFiles ?? []), ...(config.setupFilesAfterEnv ?? [])],
  };
}

/** The project as Jest's defaults see it, rooted at `dir`. */
export function defaultProject(dir: string): JestProject {
  return compile({ rootDir: dir });
}

/**
 * Reads the Jest config of the project in `dir` with the project's own jest-config (so presets,
 * `<rootDir>` and `projects` resolve as Jest resolves them). When there is no jest-config to load, or the
 * config cannot be read, Jest's defaults rooted at `dir` are used and `note` says why.
 */
export async function readProject(dir: string): Promise<ScanProject> {
  const jestConfig = loadJestConfig(dir);
  if (jestConfig === undefined) {
    return { rootDir: dir, projects: [defaultProject(dir)], note: `jest is not installed in ${dir}: scanned with Jest's default testMatch, rooted at ${dir}` };
  }
  try {
    const { configs, globalConfig } = await jestConfig.readConfigs({ $0: 'jest-chaos', _: [] }, [dir]);
    const projects = configs.map(compile);
    return { rootDir: globalConfig.rootDir ?? projects[0]?.rootDir ?? dir, projects: projects.length > 0 ? projects : [defaultProject(dir)], note: undefined };
  } catch (error) {
    // Jest's messages are coloured and framed ("● Validation Error:"): keep their first lines of substance.
    const lines = String((error as Error)?.message ?? error)
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('●') && !line.startsWith('Configuration Documentation') && !line.startsWith('https://'));
    const why = lines.slice(0, 2).join(' ') || 'unknown error';
    return { rootDir: dir, projects: [defaultProject(dir)], note: `the Jest config in ${dir} could not be read (${why}): scanned with Jest's default testMatch, rooted at ${dir}` };
  }
}

/** Path segments that hold test code by convention, even when they match no testMatch (helpers, mocks, fixtures). */
const TEST_FOLDERS = new Set(['__tests__', '__mocks__', '__fixtures__', 'test', 'tests']);

/** Whether Jest runs `file` (absolute) as a test file of one of the projects: in its roots, matched by testMatch or testRegex. */
export function isJestTest(project: ScanProject, file: string): boolean {
  const posix = file.split(path.sep).join('/');
  return project.projects.some(
    (jest) => jest.roots.some((root) => file.startsWith(root + path.sep)) && (jest.testRegex.some((regex) => regex.test(file)) || jest.testMatch.some((regex) => regex.test(posix))),
  );
}

/**
 * Whether `file` (absolute) is test code rather than the service's own: a test file Jest runs, a setup file,
 * a file under a test folder, or one named `*.test.*` / `*.spec.*` that the config leaves out.
 */
export function isTestCode(project: ScanProject, file: string): boolean {
  if (project.projects.some((jest) => jest.setupFiles.includes(file)) || isJestTest(project, file)) return true;
  if (/\.(?:test|spec)\.[mc]?[jt]sx?$/.test(file)) return true;
  const relative = path.relative(project.rootDir, file).split(path.sep);
  return relative.slice(0, -1).some((segment) => TEST_FOLDERS.has(segment));
}

/** Whether a project's testPathIgnorePatterns leave `file` out (every project that holds it must ignore it). */
export function isIgnoredByJest(project: ScanProject, file: string): boolean {
  const holders = project.projects.filter((jest) => jest.roots.some((root) => file.startsWith(root + path.sep)));
  if (holders.length === 0) return false;
  return holders.every((jest) => jest.testPathIgnorePatterns.some((regex) => regex.test(file)));
}

/** The roots of every project, without duplicates or roots nested in another, that exist. */
export function scanRoots(project: ScanProject): string[] {
  const all = [...new Set(project.projects.flatMap((jest) => jest.roots))].filter((root) => existsSync(root)).sort();
  return all.filter((root) => !all.some((other) => other !== root && root.startsWith(other + path.sep)));
}
