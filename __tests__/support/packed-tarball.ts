/**
 * The package as users get it: `npm pack` of this repository (its `files`, `bin` and `exports` as
 * published), written into a folder of the caller's. A test file packs once and installs that tarball
 * into every consumer project it builds.
 *
 * Relies on `dist/` being current, as `npm test` builds before it runs Jest.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runProcess, withoutRunVariables } from './run-process';

const REPO = path.resolve(__dirname, '..', '..');

export interface PackedFile {
  readonly path: string;
  readonly mode: number;
}

export interface PackedTarball {
  /** Absolute path of the `.tgz`. */
  readonly tarball: string;
  /** What the tarball holds, as `npm pack --json` lists it. */
  readonly files: readonly PackedFile[];
}

/** npm's environment for the pack: none of the parent run's chaos or Jest worker variables. */
function packEnv(): NodeJS.ProcessEnv {
  return withoutRunVariables();
}

/** Packs this repository into `destination` (an existing folder) with `npm pack`. */
export async function packTarball(destination: string): Promise<PackedTarball> {
  if (!existsSync(path.join(REPO, 'dist', 'src', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test.');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const pack = await runProcess(npm, ['pack', '--json', '--pack-destination', destination], { cwd: REPO, env: packEnv() });
  if (pack.code !== 0) throw new Error(`npm pack exited with ${String(pack.code)}\n${pack.output.slice(-4000)}`);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: PackedFile[] }[];
  if (info === undefined) throw new Error(`npm pack printed no result:\n${pack.stdout}`);
  return { tarball: path.join(destination, info.filename), files: info.files };
}
