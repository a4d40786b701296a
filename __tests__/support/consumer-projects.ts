/**
 * Consumer projects: what a user's project holds after `npm i -D jest-chaos jest ...`, built from the
 * packed tarball and the npm registry, run by the project's own Jest under a chosen Node major.
 *
 * The third-party packages of a project (Jest, ts-jest, TypeScript, their types) are installed once per
 * machine into `node_modules/.cache/jest-chaos-consumers/<hash>/` (`npm install --prefer-offline` from the
 * npm registry through the machine's npm cache, under the machine-wide lock), then checked against the
 * pinned versions. Each test run installs its tarball once with npm (installTarball): jest-chaos and its
 * own dependencies, which every consumer project of the run gets a copy of as its own node_modules; Node
 * finds Jest and the rest one folder up, in the cached ones (consumerProject). The peers are there, so the
 * tarball's install skips them (`--legacy-peer-deps`) instead of installing a second Jest.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installOnce } from './machine-lock';
import { childEnv, nodeBinary, type NodeMajor } from './node-versions';
import { parseJestJson, type JestJson } from './run-jest';
import { runProcess } from './run-process';

const REPO = path.resolve(__dirname, '..', '..');
const CACHE = path.join(REPO, 'node_modules', '.cache', 'jest-chaos-consumers');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface ConsumerManifest {
  readonly name: string;
  readonly private: true;
  readonly description: string;
  readonly devDependencies: Readonly<Record<string, string>>;
  readonly overrides?: Readonly<Record<string, string>>;
}

/** The installed version of `name` in `dir`'s own node_modules, or undefined. */
function installedVersion(dir: string, name: string): string | undefined {
  const manifest = path.join(dir, 'node_modules', name, 'package.json');
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : undefined;
}

const bases = new Map<string, Promise<string>>();

/** The version a dev dependency pins: `1.2.3`, or the version of an alias `npm:<package>@1.2.3`. */
const pinnedVersion = (spec: string): string => spec.slice(spec.lastIndexOf('@') + 1);

/**
 * The cache folder that holds `manifest`'s packages, installed on first use (once per machine) by
 * `npm install` with `npmArgs` added.
 */
export function consumerBase(manifest: ConsumerManifest, npmArgs: readonly string[] = []): Promise<string> {
  const key = JSON.stringify({ manifest, npmArgs });
  let install = bases.get(key);
  if (install !== undefined) return install;
  install = (async () => {
    const dir = path.join(CACHE, createHash('sha256').update(key).digest('hex').slice(0, 16));
    await installOnce(dir, async () => {
      writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      const result = await runProcess(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...npmArgs], { cwd: dir, env: childEnv(process.execPath, {}) });
      if (result.code !== 0) throw new Error(`npm install of ${manifest.name} in ${dir} exited with ${String(result.code)}:\n${result.output.slice(-4000)}`);
      const wrong = Object.entries(manifest.devDependencies).flatMap(([name, spec]) => {
        const actual = installedVersion(dir, name);
        return actual === pinnedVersion(spec) ? [] : [`${name}: wanted ${spec}, found ${String(actual)}`];
      });
      if (wrong.length > 0) throw new Error(`the consumer project in ${dir} does not hold the pinned versions:\n  ${wrong.join('\n  ')}`);
    });
    return dir;
  })();
  bases.set(key, install);
  // A failed install is retried by the next caller, not remembered.
  install.catch(() => bases.delete(key));
  return install;
}

/**
 * Installs `tarball` with npm into a new folder below `parent`, as a project's only dev dependency:
 * jest-chaos and its own dependencies, without its peers (Jest and ts-jest come from the cached
 * projects). Returns that folder's `node_modules`, which consumerProject copies.
 */
export async function installTarball(parent: string, tarball: string): Promise<string> {
  const dir = mkdtempSync(path.join(parent, 'jest-chaos-install-'));
  const manifest = { name: 'jest-chaos-consumer', private: true, devDependencies: { 'jest-chaos': `file:${tarball}` } };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const result = await runProcess(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', '--legacy-peer-deps'], { cwd: dir, env: childEnv(process.execPath, {}) });
  if (result.code !== 0) throw new Error(`npm install of ${tarball} in ${dir} exited with ${String(result.code)}:\n${result.output.slice(-4000)}`);
  return path.join(dir, 'node_modules');
}

/**
 * A consumer project in a new folder below `parent`: a copy of the installed tarball (`installed`, from
 * installTarball) as its own node_modules, and a copy of each fixture project of `projects` (folders) as
 * a subfolder of the same name. The folder above it has a `node_modules` that links to `base`'s, where
 * Node finds what the project does not hold itself. The project stays out of any `node_modules` path,
 * in which Jest would find no tests.
 */
export function consumerProject(parent: string, base: string, installed: string, projects: readonly string[]): string {
  const root = mkdtempSync(path.join(parent, 'consumer-'));
  symlinkSync(path.join(base, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const dir = path.join(root, 'project');
  cpSync(installed, path.join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  cpSync(path.join(installed, '..', 'package.json'), path.join(dir, 'package.json'));
  for (const project of projects) cpSync(project, path.join(dir, path.basename(project)), { recursive: true });
  return dir;
}

export interface ConsumerRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Jest's `--json` result, when it printed one. */
  readonly json: JestJson | undefined;
  /** The chaos reporter's `chaos-report.json`, when it wrote one. */
  readonly report: unknown;
}

export interface ConsumerJestOptions {
  readonly node: NodeMajor;
  /** The project folder: Jest's working folder and rootDir, where the chaos report is written. */
  readonly project: string;
  /** Its config file, relative to the project. */
  readonly config: string;
  /** Node options in front of Jest's bin (`--experimental-vm-modules`). */
  readonly nodeArgs?: readonly string[];
  readonly env?: Record<string, string | undefined>;
}

/**
 * Runs the project's own Jest (`node [nodeArgs] node_modules/jest/bin/jest.js --ci --json --config ...`, the
 * Jest that Node resolves from the project) with the Node of `options.node`, and reads its chaos report.
 */
export async function runConsumerJest(options: ConsumerJestOptions): Promise<ConsumerRun> {
  const binary = await nodeBinary(options.node);
  const jestBin = require.resolve('jest/bin/jest', { paths: [options.project] });
  const reportFile = path.join(options.project, 'chaos-report.json');
  rmSync(reportFile, { force: true });
  const args = [...(options.nodeArgs ?? []), jestBin, '--ci', '--json', '--config', options.config];
  const { code, stdout, stderr } = await runProcess(binary, args, { cwd: options.project, env: childEnv(binary, options.env ?? {}) });
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as unknown) : undefined;
  return { code, stdout, stderr, json: parseJestJson(stdout), report };
}
