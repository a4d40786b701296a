/**
 * The TypeScript compiler API, loaded from the scanned project: jest-chaos does not depend on
 * `typescript` at run time, every TypeScript user of the preset has it already (ts-jest needs it), and a
 * JavaScript project adds it as a dev dependency to use `scan`.
 */
import type * as TS from 'typescript';
import { ScanError } from './scan-error';

export type TypeScript = typeof TS;

/** `typescript` as the project at `projectDir` resolves it; ERR_CHAOS_SCAN naming the install command when it is absent. */
export function loadTypeScript(projectDir: string): TypeScript {
  let file: string;
  try {
    file = require.resolve('typescript', { paths: [projectDir] });
  } catch {
    throw new ScanError(
      `cannot scan ${projectDir}: the typescript package is not installed in this project, and scan reads source files with the TypeScript compiler (JavaScript included). Install it as a dev dependency: npm i -D typescript`,
    );
  }
  const loaded = require(file) as TypeScript;
  if (typeof loaded.createSourceFile !== 'function') {
    throw new ScanError(`cannot scan ${projectDir}: ${file} is not the TypeScript compiler (no createSourceFile). Reinstall it: npm i -D typescript`);
  }
  return loaded;
}
