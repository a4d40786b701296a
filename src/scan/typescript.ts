/**
 * The TypeScript compiler API, loaded from the scanned project: jest-chaos does not depend on
 * `typescript` at run time, every TypeScript user of the preset has it already (ts-jest needs it), and a
 * JavaScript project adds it as a dev dependency to use `scan`.
 *
 * From 7.0 on, the `typescript` package is the native compiler: `require('typescript')` gives only
 * `{ version, versionMajorMinor }`, and its programmatic API (`typescript/unstable/*`) talks to the native
 * binary about tsconfig projects instead of parsing a file. TypeScript 6's JavaScript API comes beside it
 * as `@typescript/typescript6`, which a TypeScript 7 project installs under that name or as the alias
 * `typescript` (the layout that ts-jest's and TypeScript's own guides give).
 */
import type * as TS from 'typescript';
import { ScanError } from './scan-error';

export type TypeScript = typeof TS;

/** TypeScript 6's JavaScript API as a package of its own, for projects on TypeScript 7. */
const TYPESCRIPT6 = '@typescript/typescript6';
/** What a project installs to give scan and export a compiler API, whichever TypeScript it uses. */
const INSTALL = `npm i -D typescript@6, or beside TypeScript 7: npm i -D ${TYPESCRIPT6}`;

interface Found {
  readonly file: string;
  readonly loaded: Partial<TypeScript>;
}

function find(name: string, projectDir: string): Found | undefined {
  let file: string;
  try {
    file = require.resolve(name, { paths: [projectDir] });
  } catch {
    return undefined;
  }
  return { file, loaded: require(file) as Partial<TypeScript> };
}

const hasApi = (found: Found | undefined): found is Found & { loaded: TypeScript } => typeof found?.loaded.createSourceFile === 'function';

/** Why a project needs the compiler API: the end of each message of findTypeScript. */
const READS = "jest-chaos reads the project's files (JavaScript included) with the TypeScript compiler's JavaScript API";

/**
 * The compiler API that `projectDir` resolves: its `typescript` when that has the JavaScript API
 * (TypeScript 5 and 6, or `@typescript/typescript6` under that name), else its `@typescript/typescript6`.
 * When there is none, what is wrong and what to install, as a sentence.
 */
export function findTypeScript(projectDir: string): TypeScript | string {
  const typescript = find('typescript', projectDir);
  if (hasApi(typescript)) return typescript.loaded;
  const typescript6 = find(TYPESCRIPT6, projectDir);
  if (hasApi(typescript6)) return typescript6.loaded;
  if (typescript === undefined) return `neither typescript nor ${TYPESCRIPT6} is installed in this project, and ${READS}. Install one as a dev dependency: ${INSTALL}`;
  const version = typescript.loaded.version;
  if (typeof version === 'string' && Number(version.split('.')[0]) >= 7) {
    return `its typescript is ${version} (${typescript.file}), the native compiler, whose package has no JavaScript API, and ${READS}. Install TypeScript 6's API beside it, which leaves typescript ${version} as it is: npm i -D ${TYPESCRIPT6}`;
  }
  return `${typescript.file} is not the TypeScript compiler (no createSourceFile), and ${READS}. Reinstall it: ${INSTALL}`;
}

/** The compiler API of the project at `projectDir` (findTypeScript); ERR_CHAOS_SCAN naming what to install when it has none. */
export function loadTypeScript(projectDir: string): TypeScript {
  const found = findTypeScript(projectDir);
  if (typeof found === 'string') throw new ScanError(`cannot scan ${projectDir}: ${found}`);
  return found;
}
