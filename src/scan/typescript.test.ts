import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTypeScript, loadTypeScript } from './typescript';

/**
 * Which compiler API a project gets, on stand-in packages: `typescript` as TypeScript 5/6 export it (with
 * createSourceFile), as TypeScript 7 exports it (`{ version, versionMajorMinor }` only), and
 * `@typescript/typescript6`. The real packages are installed by __tests__/e2e/scan-typescript7.test.ts.
 */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

type Stand = 'api' | 'native' | 'other';

const SOURCES: Record<Stand, (name: string, version: string) => string> = {
  api: (name, version) => `exports.version = '${version}'; exports.createSourceFile = () => '${name} ${version}';\n`,
  native: (_name, version) => `exports.version = '${version}'; exports.versionMajorMinor = '${version.split('.').slice(0, 2).join('.')}';\n`,
  other: () => 'exports.hello = () => 1;\n',
};

/** A project folder whose node_modules holds the given stand-ins, name -> [kind, version]. */
function projectWith(packages: Record<string, [Stand, string]>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-find-ts-'));
  made.push(dir);
  for (const [name, [kind, version]] of Object.entries(packages)) {
    const home = path.join(dir, 'node_modules', name);
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'package.json'), JSON.stringify({ name, version, main: 'index.js' }));
    writeFileSync(path.join(home, 'index.js'), SOURCES[kind](name, version));
  }
  return dir;
}

/** Which stand-in was loaded: what its createSourceFile returns. */
const loadedFrom = (dir: string): unknown => {
  const found = findTypeScript(dir);
  return typeof found === 'string' ? found : (found.createSourceFile as unknown as () => string)();
};

const READS = "jest-chaos reads the project's files (JavaScript included) with the TypeScript compiler's JavaScript API";

test('typescript with the JavaScript API (5, 6, or @typescript/typescript6 under that name) is used', () => {
  expect(loadedFrom(projectWith({ typescript: ['api', '5.9.3'] }))).toBe('typescript 5.9.3');
  expect(loadedFrom(projectWith({ typescript: ['api', '6.0.3'], '@typescript/typescript6': ['api', '6.0.2'] }))).toBe('typescript 6.0.3');
});

test('beside TypeScript 7, @typescript/typescript6 is used; without typescript too', () => {
  expect(loadedFrom(projectWith({ typescript: ['native', '7.0.2'], '@typescript/typescript6': ['api', '6.0.2'] }))).toBe('@typescript/typescript6 6.0.2');
  expect(loadedFrom(projectWith({ '@typescript/typescript6': ['api', '6.0.2'] }))).toBe('@typescript/typescript6 6.0.2');
});

test('TypeScript 7 alone: what it is, where, and to install @typescript/typescript6 beside it', () => {
  const dir = projectWith({ typescript: ['native', '7.0.2'] });
  const file = path.join(dir, 'node_modules', 'typescript', 'index.js');
  expect(findTypeScript(dir)).toBe(
    `its typescript is 7.0.2 (${file}), the native compiler, whose package has no JavaScript API, and ${READS}. Install TypeScript 6's API beside it, which leaves typescript 7.0.2 as it is: npm i -D @typescript/typescript6`,
  );
});

test('nothing installed: neither package, and an install that gets an API (npm i -D typescript gets 7)', () => {
  expect(findTypeScript(projectWith({}))).toBe(
    `neither typescript nor @typescript/typescript6 is installed in this project, and ${READS}. Install one as a dev dependency: npm i -D typescript@6, or beside TypeScript 7: npm i -D @typescript/typescript6`,
  );
});

test('a typescript that is no compiler at all is named by its file', () => {
  const dir = projectWith({ typescript: ['other', '1.0.0'] });
  expect(findTypeScript(dir)).toBe(
    `${path.join(dir, 'node_modules', 'typescript', 'index.js')} is not the TypeScript compiler (no createSourceFile), and ${READS}. Reinstall it: npm i -D typescript@6, or beside TypeScript 7: npm i -D @typescript/typescript6`,
  );
});

test('loadTypeScript throws ERR_CHAOS_SCAN with the project and the reason', () => {
  const dir = projectWith({ typescript: ['native', '7.0.2'] });
  expect(() => loadTypeScript(dir)).toThrow(expect.objectContaining({ code: 'ERR_CHAOS_SCAN', message: `jest-chaos: cannot scan ${dir}: ${String(findTypeScript(dir))}` }));
});
