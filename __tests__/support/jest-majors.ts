/**
 * Runs a fixture project under each supported Jest major.
 *
 * Jest 30 is the repository's own Jest (`runJest`). Jest 29 is installed once per machine into
 * `node_modules/.cache/jest-chaos-jest29/<hash>/`: jest, jest-environment-node and jest-runner 29.7.0, and
 * jest-chaos's runtime dependencies at the versions of this repository's package-lock. Each run copies the
 * current build of jest-chaos into a private folder inside that cache, so that the package resolves the
 * Jest 29 copies of jest-environment-node and jest-runner as it does in a Jest 29 project, and runs Jest
 * 29's binary on the fixture with a generated config: the fixture's own config, its jest-chaos paths
 * pointed at the copy, and Jest's defaults pinned to the Jest 29 copies (the fixture lives inside this
 * repository, whose node_modules would otherwise hand Jest 29 the Jest 30 ones).
 *
 * Relies on `dist/` being current, as `npm test` builds before it runs Jest.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runProcess } from './run-process';
import { installOnce } from './machine-lock';
import { FIXTURES, parseJestJson, runJest, type JestRun } from './run-jest';

export type JestMajor = 29 | 30;

/** Every Jest major that jest-chaos supports, oldest first. */
export const MAJORS: readonly JestMajor[] = [29, 30];

export interface MajorRunOptions {
  /** Ask the child for `--json` (default true). */
  readonly json?: boolean;
  /** The fixture's config file, relative to the fixture (default `jest.config.js`). */
  readonly config?: string;
  /**
   * Run the child in a network namespace that has only loopback, where this machine allows it (root on
   * Linux, with `unshare` and `ip`); elsewhere the child runs as usual. For fixtures whose requests would
   * leave the machine if interception broke.
   */
  readonly loopbackOnly?: boolean;
  /** The Node binary that runs the child (default: the Node that runs this test), e.g. `nodeBinary(24)` of node-versions.ts. */
  readonly node?: string;
}

const REPO = path.resolve(__dirname, '..', '..');
const JEST_29 = '29.7.0';
/** What jest-chaos ships: the parts of the package that a run under Jest 29 copies. */
const SHIPPED = ['package.json', 'jest-preset.js', 'nock.js', path.join('dist', 'src'), path.join('dist', 'environments')] as const;

interface LockEntry {
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
}

interface Lockfile {
  readonly packages: Record<string, LockEntry>;
}

/** The lockfile entry that `from` (a lockfile location) resolves `name` to, Node's lookup order. */
function resolveInLock(lock: Lockfile, from: string, name: string): string | undefined {
  for (let base = from; ; ) {
    const candidate = `${base}/node_modules/${name}`;
    if (lock.packages[candidate] !== undefined) return candidate;
    const up = base.lastIndexOf('/node_modules/');
    if (up === -1) break;
    base = base.slice(0, up);
  }
  return lock.packages[`node_modules/${name}`] === undefined ? undefined : `node_modules/${name}`;
}

/** Every package below `location` in the lockfile, name -> locked version. */
function lockedDependencies(lock: Lockfile, location: string): Record<string, string> {
  const found: Record<string, string> = {};
  const queue = [location];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const name of Object.keys(lock.packages[current]?.dependencies ?? {})) {
      const resolved = resolveInLock(lock, current, name);
      if (resolved === undefined || seen.has(resolved)) continue;
      seen.add(resolved);
      queue.push(resolved);
      const version = lock.packages[resolved]?.version;
      if (version !== undefined) found[name] ??= version;
    }
  }
  return found;
}

interface Jest29Manifest {
  readonly name: string;
  readonly private: true;
  readonly description: string;
  readonly dependencies: Record<string, string>;
  /** Each runtime dependency's own dependencies, pinned to the lockfile below it. */
  readonly overrides: Record<string, Record<string, string>>;
}

/** The Jest 29 project that the cache holds: Jest 29.7.0 and jest-chaos's locked runtime dependencies. */
export function jest29Manifest(): Jest29Manifest {
  const own = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as Lockfile;
  const dependencies: Record<string, string> = { jest: JEST_29, 'jest-environment-node': JEST_29, 'jest-runner': JEST_29 };
  const overrides: Record<string, Record<string, string>> = {};
  for (const name of Object.keys(own.dependencies).sort()) {
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (version === undefined) throw new Error(`package-lock.json has no node_modules/${name}: run npm install.`);
    dependencies[name] = version;
    const below = lockedDependencies(lock, `node_modules/${name}`);
    if (Object.keys(below).length > 0) overrides[name] = below;
  }
  return { name: 'jest-chaos-jest29', private: true, description: 'Jest 29 for the end-to-end tests of jest-chaos.', dependencies, overrides };
}

/** The cache folder of a manifest: a new set of versions gets a folder of its own. */
function cacheDirOf(manifest: Jest29Manifest): string {
  const hash = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  return path.join(REPO, 'node_modules', '.cache', 'jest-chaos-jest29', hash);
}


/** The installed version of `name` as Node would find it from folder `from` (exports maps aside), or undefined. */
function installedVersion(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The Jest 29 packages the cache must hold at exactly the pinned versions, else the install is refused. */
function checkInstall(dir: string, manifest: Jest29Manifest): void {
  const wrong: string[] = [];
  for (const [name, version] of Object.entries(manifest.dependencies)) {
    const actual = installedVersion(dir, name);
    if (actual !== version) wrong.push(`${name}: wanted ${version}, found ${String(actual)}`);
    for (const [child, childVersion] of Object.entries(manifest.overrides[name] ?? {})) {
      const seen = installedVersion(path.join(dir, 'node_modules', name), child);
      if (seen !== childVersion) wrong.push(`${child} below ${name}: wanted ${childVersion}, found ${String(seen)}`);
    }
  }
  if (wrong.length > 0) throw new Error(`the Jest 29 cache in ${dir} does not hold the pinned versions:\n  ${wrong.join('\n  ')}`);
}

let isolation: Promise<boolean> | undefined;

/** Whether children can be run with loopback as their only network (see MajorRunOptions.loopbackOnly). */
export function canIsolateNetwork(): Promise<boolean> {
  isolation ??= (async () => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
    try {
      const probe = await runProcess('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { cwd: REPO, env: process.env });
      return probe.code === 0;
    } catch {
      return false;
    }
  })();
  return isolation;
}

/** Runs `node` with `args`, inside a loopback-only network namespace when asked and possible. */
async function runNode(node: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, loopbackOnly: boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (loopbackOnly && (await canIsolateNetwork())) {
    return runProcess('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', node, ...args], { cwd, env });
  }
  return runProcess(node, args, { cwd, env });
}

let installing: Promise<string> | undefined;

/** The Jest 29 cache folder, installed on first use (once per machine, whatever the number of workers). */
export function jest29Home(): Promise<string> {
  installing ??= (async () => {
    const manifest = jest29Manifest();
    const dir = cacheDirOf(manifest);
    await installOnce(dir, async () => {
      writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const env = scrubbed({});
      const install = await runProcess(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, env });
      if (install.code !== 0) throw new Error(`npm install of Jest ${JEST_29} in ${dir} exited with ${String(install.code)}:\n${install.output.slice(-4000)}`);
      checkInstall(dir, manifest);
    });
    return dir;
  })();
  // A failed install is retried by the next caller, not remembered.
  installing.catch(() => {
    installing = undefined;
  });
  return installing;
}

/** A child's environment, as runJest builds it: none of the parent run's chaos or Jest worker variables. */
function scrubbed(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', CHAOS_ENABLED: undefined, CHAOS_SEED: undefined, CHAOS_TAGS: undefined, JEST_CHAOS_DRAWN_SEED: undefined, JEST_CHAOS_RECORDS_DIR: undefined, JEST_WORKER_ID: undefined, GITHUB_STEP_SUMMARY: undefined };
  for (const [key, value] of Object.entries(env)) childEnv[key] = value;
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  return childEnv;
}

/**
 * The generated config of a Jest 29 run. It loads the fixture's own config when Jest loads it (so a config
 * that reads the environment sees the child's), then points every path into this repository's build at the
 * copy, and pins the defaults that Jest resolves from rootDir (which is inside this repository) to Jest 29.
 */
function generatedConfig(fixtureConfig: string, rootDir: string, copy: string, home: string): string {
  const modules = path.join(home, 'node_modules');
  const settings = {
    fixtureConfig,
    rootDir,
    shipped: SHIPPED.map((part) => [path.join(REPO, part), path.join(copy, part)]),
    environment: path.join(modules, 'jest-environment-node', 'build', 'index.js'),
    runner: path.join(modules, 'jest-runner', 'build', 'index.js'),
    sequencer: path.join(modules, '@jest', 'test-sequencer', 'build', 'index.js'),
    index: path.join(copy, 'dist', 'src', 'index.js'),
    preset: path.join(copy, 'jest-preset.js'),
    copy,
  };
  return `// Generated for one Jest 29 run of ${path.relative(REPO, rootDir)}.
const path = require('path');
const settings = ${JSON.stringify(settings, null, 2)};

function remap(value) {
  if (typeof value === 'string') {
    for (const [from, to] of settings.shipped) if (value === from || value.startsWith(from + path.sep)) return to + value.slice(from.length);
    return value;
  }
  if (Array.isArray(value)) return value.map(remap);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, remap(item)]));
  }
  return value;
}

module.exports = async () => {
  const loaded = require(settings.fixtureConfig);
  const base = remap(typeof loaded === 'function' ? await loaded() : loaded);
  const config = { ...base, rootDir: settings.rootDir };
  // Jest 29 takes a preset as a package (folder) that holds jest-preset.js, not the file itself.
  if (base.preset === settings.preset) config.preset = settings.copy;
  if (base.testEnvironment === 'node' || (base.testEnvironment === undefined && base.preset === undefined)) config.testEnvironment = settings.environment;
  if (base.runner === undefined && base.preset === undefined) config.runner = settings.runner;
  if (base.testSequencer === undefined) config.testSequencer = settings.sequencer;
  config.moduleNameMapper = { '^jest-chaos$': settings.index, ...base.moduleNameMapper };
  return config;
};
`;
}

/**
 * Runs a real child `jest --ci` of the given major in a fixture project: the same result and the same
 * child environment as `runJest`. `options.config` picks a config file of the fixture other than
 * `jest.config.js`.
 */
export async function runJestMajor(major: JestMajor, fixture: string, args: readonly string[] = [], env: Record<string, string | undefined> = {}, options: MajorRunOptions = {}): Promise<JestRun> {
  const cwd = path.isAbsolute(fixture) ? fixture : path.join(FIXTURES, fixture);
  const configFile = path.join(cwd, options.config ?? 'jest.config.js');
  const json = options.json ?? true;
  const loopbackOnly = options.loopbackOnly ?? false;
  const node = options.node ?? process.execPath;
  const jsonArgs = json ? ['--json'] : [];
  if (major === 30) {
    const configArgs = options.config === undefined ? [] : ['--config', configFile];
    if (!loopbackOnly && options.node === undefined) return runJest(cwd, [...configArgs, ...args], env, { json });
    const { code, stdout, stderr } = await runNode(node, [require.resolve('jest/bin/jest'), '--ci', ...jsonArgs, ...configArgs, ...args], cwd, scrubbed(env), loopbackOnly);
    return { code, stdout, stderr, json: json ? parseJestJson(stdout) : undefined };
  }
  if (!existsSync(path.join(REPO, 'dist', 'src', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test.');
  const home = await jest29Home();
  const runs = path.join(home, 'runs');
  mkdirSync(runs, { recursive: true });
  const work = mkdtempSync(path.join(runs, 'run-'));
  try {
    const copy = path.join(work, 'node_modules', 'jest-chaos');
    for (const part of SHIPPED) cpSync(path.join(REPO, part), path.join(copy, part), { recursive: true });
    const generated = path.join(work, 'jest.config.js');
    writeFileSync(generated, generatedConfig(configFile, cwd, copy, home));
    const jestBin = path.join(home, 'node_modules', 'jest', 'bin', 'jest.js');
    // The working folder is inside the cache, as a Jest 29 project's own folder would be: what jest-chaos
    // resolves from the working folder (Jest's version, babel-jest) is then Jest 29's.
    // The generated config is the working folder's jest.config.js, which Jest reads by default: no
    // --config, as a project run with its default config (a replay command then names none either).
    const { code, stdout, stderr } = await runNode(node, [jestBin, '--ci', ...jsonArgs, ...args], work, scrubbed(env), loopbackOnly);
    return { code, stdout, stderr, json: json ? parseJestJson(stdout) : undefined };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
