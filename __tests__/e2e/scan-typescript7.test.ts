/**
 * `jest-chaos scan` and `jest-chaos export` in projects on TypeScript 7, whose `typescript` package has no
 * JavaScript compiler API (`require('typescript')` is `{ version, versionMajorMinor }`). Three projects,
 * installed from the npm registry once per machine (support/consumer-projects.ts): TypeScript 7 alone,
 * TypeScript 7 with `@typescript/typescript6` (what the error says to install), and the aliases of
 * docs/configuration.md (`typescript` is `@typescript/typescript6`, TypeScript 7 is `@typescript/native`).
 * Each holds a copy of the js-cjs scan fixture and of the export fixture's suite; the scan and the export
 * must be what the repository's own TypeScript gives on the same files.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { consumerBase } from '../support/consumer-projects';
import { TOOLCHAIN, TS7_ALIASES } from '../support/compat-cells';
import { digest, ROOT, runCli, SCAN_FIXTURES } from './fixtures/scan/support';

jest.setTimeout(60_000);

const TS7 = TOOLCHAIN.typescript[7];
const TYPESCRIPT6 = `@typescript/typescript6`;
const EXPORT_SUITE = path.join(__dirname, 'fixtures', 'export', 'test', 'chaos', 'profile.test.ts');
const EXPORT_ARGS = ['export', '--toxiproxy', 'test/chaos/profile.test.ts', '--upstream-host', 'redis.staging'];

const manifest = (name: string, devDependencies: Record<string, string>) => ({
  name: `jest-chaos-scan-${name}`,
  private: true as const,
  description: `A project on TypeScript ${TS7} (${name}) that jest-chaos scan and export read.`,
  devDependencies,
});

const PROJECTS = {
  'typescript 7 alone': manifest('typescript7', { typescript: TS7 }),
  [`typescript 7 and ${TYPESCRIPT6}`]: manifest('typescript7-typescript6', { typescript: TS7, [TYPESCRIPT6]: TOOLCHAIN.typescript6 }),
  'the aliases of docs/configuration.md': manifest('typescript7-aliases', { ...TS7_ALIASES }),
};

const work = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-scan-ts7-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The js-cjs scan fixture and the export suite in a new folder below `work`, with `modules` as the node_modules of the folder above it. */
function project(name: string, modules: string): string {
  const root = path.join(work, name.replace(/\W+/g, '-'));
  mkdirSync(root);
  symlinkSync(modules, path.join(root, 'node_modules'), 'dir');
  const dir = path.join(root, 'project');
  cpSync(path.join(SCAN_FIXTURES, 'js-cjs'), dir, { recursive: true });
  cpSync(EXPORT_SUITE, path.join(dir, 'test', 'chaos', 'profile.test.ts'));
  return dir;
}

async function scanDigest(dir: string): Promise<unknown> {
  const run = await runCli(dir, ['scan', '--json']);
  if (run.code !== 0) throw new Error(`scan exited ${String(run.code)}\n${run.stderr}`);
  const result = JSON.parse(run.stdout) as Parameters<typeof digest>[0] & { warnings: string[] };
  return { digest: digest(result), warnings: result.warnings.map((warning) => warning.replaceAll(dir, '<project>')) };
}

let reference: { scan: unknown; exported: string };

beforeAll(async () => {
  // The same files read with the repository's TypeScript (5.9), the only package in the project's reach.
  const modules = path.join(work, 'reference-modules');
  mkdirSync(modules);
  symlinkSync(path.join(ROOT, 'node_modules', 'typescript'), path.join(modules, 'typescript'), 'dir');
  const dir = project('reference', modules);
  const exported = await runCli(dir, EXPORT_ARGS);
  if (exported.code !== 0) throw new Error(`export exited ${String(exported.code)}\n${exported.stderr}`);
  reference = { scan: await scanDigest(dir), exported: exported.stdout };
}, 60_000);

test('the reference reads the fixture: dependencies, scenarios and proxies', () => {
  const scan = reference.scan as { digest: { dependencies: unknown[]; scenarios: Record<string, string> } };
  expect(scan.digest.dependencies.length).toBeGreaterThanOrEqual(3);
  expect(Object.keys(scan.digest.scenarios).length).toBeGreaterThanOrEqual(3);
  expect((JSON.parse(reference.exported) as unknown[]).length).toBeGreaterThanOrEqual(1);
});

describe('typescript 7 alone', () => {
  let dir: string;
  beforeAll(async () => {
    dir = project('alone', path.join(await consumerBase(PROJECTS['typescript 7 alone']), 'node_modules'));
  }, 600_000);

  test("require('typescript') is TypeScript 7 without the JavaScript API", () => {
    const file = require.resolve('typescript', { paths: [dir] });
    const loaded = require(file) as Record<string, unknown>;
    expect(loaded.version).toBe(TS7);
    expect(typeof loaded.createSourceFile).toBe('undefined');
  });

  test(`scan and export say what is installed and to add ${TYPESCRIPT6}`, async () => {
    const file = require.resolve('typescript', { paths: [dir] });
    const why = `its typescript is ${TS7} (${file}), the native compiler, whose package has no JavaScript API, and jest-chaos reads the project's files (JavaScript included) with the TypeScript compiler's JavaScript API. Install TypeScript 6's API beside it, which leaves typescript ${TS7} as it is: npm i -D ${TYPESCRIPT6}`;
    const scan = await runCli(dir, ['scan']);
    expect({ code: scan.code, stderr: scan.stderr }).toEqual({ code: 2, stderr: `jest-chaos: cannot scan ${dir}: ${why}\n` });
    const exported = await runCli(dir, EXPORT_ARGS);
    expect({ code: exported.code, stdout: exported.stdout, stderr: exported.stderr }).toEqual({ code: 2, stdout: '', stderr: `jest-chaos export: cannot read the test files of ${dir}: ${why}\n` });
  });
});

describe.each([`typescript 7 and ${TYPESCRIPT6}`, 'the aliases of docs/configuration.md'] as const)('%s', (name) => {
  let dir: string;
  beforeAll(async () => {
    dir = project(name, path.join(await consumerBase(PROJECTS[name]), 'node_modules'));
  }, 600_000);

  test('scan finds what it finds with the repository\'s TypeScript', async () => {
    expect(await scanDigest(dir)).toEqual(reference.scan);
  });

  test('export prints what it prints with the repository\'s TypeScript', async () => {
    const exported = await runCli(dir, EXPORT_ARGS);
    expect({ code: exported.code, stdout: exported.stdout }).toEqual({ code: 0, stdout: reference.exported });
  });
});
