/**
 * The package manager of a project, as `jest-chaos init` needs it: to write CI workflows whose install and
 * run commands work in that project. The workflow templates (docs/ci/) are written for npm; a yarn or
 * pnpm project gets them with its own commands.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type PackageManagerName = 'npm' | 'yarn' | 'pnpm';

export interface PackageManager {
  readonly name: PackageManagerName;
  /** How it was told: the lockfile or the `packageManager` field that decided, relative to the project. */
  readonly source: string;
  /** The CI install command that fails rather than change the lockfile. */
  readonly install: string;
  /** What runs a binary of the project's dependencies, in front of `jest` or `jest-chaos`. */
  readonly exec: string;
  /** Whether GitHub's runners need `corepack enable` to have it (Yarn 2 and later, pnpm). */
  readonly corepack: boolean;
  /** Set when the workflows will not work as written: what the user must change. */
  readonly warning?: string;
}

const LOCKFILES: readonly (readonly [string, PackageManagerName])[] = [
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
  ['yarn.lock', 'yarn'],
  ['pnpm-lock.yaml', 'pnpm'],
];

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Yarn 2 and later (berry): a `.yarnrc.yml`, a lockfile with `__metadata`, or `packageManager: yarn@2+`. */
function isYarnBerry(dir: string, declared: string | undefined): boolean {
  const major = /^yarn@(\d+)/.exec(declared ?? '')?.[1];
  if (major !== undefined) return Number(major) >= 2;
  if (existsSync(path.join(dir, '.yarnrc.yml'))) return true;
  const lock = path.join(dir, 'yarn.lock');
  return existsSync(lock) && /^__metadata:/m.test(readFileSync(lock, 'utf8').slice(0, 2000));
}

function manager(name: PackageManagerName, source: string, dir: string, declared: string | undefined): PackageManager {
  if (name === 'yarn') {
    const berry = isYarnBerry(dir, declared);
    return { name, source, install: berry ? 'yarn install --immutable' : 'yarn install --frozen-lockfile', exec: 'yarn', corepack: berry };
  }
  if (name === 'pnpm') return { name, source, install: 'pnpm install --frozen-lockfile', exec: 'pnpm exec', corepack: true };
  return { name, source, install: 'npm ci', exec: 'npx', corepack: false };
}

/**
 * The package manager of the project in `cwd`: the `packageManager` field of the nearest package.json
 * (corepack's own setting) when it names npm, yarn or pnpm, else the lockfile of the nearest folder that
 * has one, from `cwd` up to the repository root (a workspace package uses its root's lockfile). Without
 * either, npm, with a warning: `npm ci` and setup-node's npm cache need a package-lock.json.
 */
export function detectPackageManager(cwd: string): PackageManager {
  let declared: string | undefined;
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const pkg = existsSync(path.join(dir, 'package.json')) ? readJson(path.join(dir, 'package.json')) : undefined;
    if (declared === undefined && typeof pkg?.packageManager === 'string') {
      declared = pkg.packageManager;
      const name = /^(npm|yarn|pnpm)@/.exec(declared)?.[1] as PackageManagerName | undefined;
      if (name !== undefined) return manager(name, `${path.relative(cwd, path.join(dir, 'package.json')) || 'package.json'}#packageManager`, dir, declared);
    }
    const found = LOCKFILES.filter(([file]) => existsSync(path.join(dir, file)));
    if (found.length > 0) {
      const names = [...new Set(found.map(([, name]) => name))];
      const [file, name] = found.find(([, candidate]) => candidate !== 'npm') ?? (found[0] as readonly [string, PackageManagerName]);
      const chosen = manager(name, path.relative(cwd, path.join(dir, file)) || file, dir, declared);
      if (names.length === 1) return chosen;
      const files = found.map(([lockfile]) => lockfile).join(', ');
      return { ...chosen, warning: `${dir} has the lockfiles of several package managers (${files}): the workflows use ${name}. Delete the lockfiles you do not use, or set "packageManager" in package.json, and run jest-chaos init --force again.` };
    }
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) break;
  }
  return {
    ...manager('npm', 'no lockfile', cwd, declared),
    warning: 'no lockfile found (package-lock.json, yarn.lock or pnpm-lock.yaml): the workflows run npm ci and cache npm downloads, and both need a committed package-lock.json. Commit your lockfile, and run jest-chaos init --force again if it is not npm\'s.',
  };
}

/**
 * A workflow template (written for npm) with the commands of `pm`: its install command for `npm ci`, its
 * runner for `npx`, its setup-node cache, and `corepack enable` before setup-node where the runners need
 * it. Throws when the template holds an npm command that this does not know how to replace.
 */
export function workflowFor(template: string, pm: PackageManager): string {
  if (pm.name === 'npm') return template;
  const cache = pm.name;
  const text = template
    .replace(/\bnpm ci\b/g, pm.install)
    .replace(/\bnpx (?=jest\b|jest-chaos\b)/g, `${pm.exec} `)
    .replace(/^(\s*)cache: npm\s*$/gm, `$1cache: ${cache}`)
    .replace(/^(\s*)- uses: actions\/setup-node@/gm, (line: string, indent: string) => (pm.corepack ? `${indent}- run: corepack enable\n${line}` : line));
  const left = text.split('\n').filter((line) => /\bnp[mx]\b/.test(line)).map((line) => line.trim());
  if (left.length > 0) throw new Error(`jest-chaos: the workflow template still runs npm after its conversion to ${pm.name}:\n  ${left.join('\n  ')}`);
  return text;
}
