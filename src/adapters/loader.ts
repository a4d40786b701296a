import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Where `setup.ts` leaves the test realm's loader. */
export const LOADER_SLOT = Symbol.for('jest-chaos.require');

/** Where `setup.ts` leaves the test realm's check for a loaded module. */
const LOADED_SLOT = Symbol.for('jest-chaos.loaded');

/** Whether the test file's module registry holds an absolute module path (loaded, never loading it). */
export type RealmLoaded = (modulePath: string) => boolean;

/** The check the setup file left in `realm`, if it ran. */
export function realmLoaded(realm: object): RealmLoaded | undefined {
  const loaded = (realm as Record<PropertyKey, unknown>)[LOADED_SLOT];
  return typeof loaded === 'function' ? (loaded as RealmLoaded) : undefined;
}

/** Requires an absolute module path through the test file's module registry. */
export type RealmLoader = (modulePath: string) => unknown;

/** The loader the setup file left in `realm`, if it ran. */
export function realmLoader(realm: object): RealmLoader | undefined {
  const loader = (realm as Record<PropertyKey, unknown>)[LOADER_SLOT];
  return typeof loader === 'function' ? (loader as RealmLoader) : undefined;
}

/** Package directories found per worker: (rootDir, driver) -> directory, or null when not installed. */
const packageDirs = new Map<string, string | null>();

function findPackageDir(entry: string, name: string): string | undefined {
  // The installed folder (`node_modules/<name>`), else the nearest manifest that names the package.
  const suffix = path.sep + name.split('/').join(path.sep);
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (dir.endsWith(suffix) && existsSync(path.join(dir, 'package.json'))) return dir;
  }
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
    } catch {
      // not a readable manifest: keep walking up
    }
  }
  return undefined;
}

/** The directory of package `name` as resolved from `from`, or undefined when it is not installed. */
export function packageDir(name: string, from: string): string | undefined {
  const key = `${from}\0${name}`;
  const cached = packageDirs.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let dir: string | undefined;
  try {
    dir = findPackageDir(require.resolve(name, { paths: [from] }), name);
  } catch {
    dir = undefined;
  }
  packageDirs.set(key, dir ?? null);
  return dir;
}
