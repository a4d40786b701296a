import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Thrown by an adapter whose driver, as installed, lacks what the adapter patches. `applyDriverRule` turns it
 * into the user's error, with the rule and where it was written.
 */
export class UnsupportedDriverError extends Error {
  constructor(
    readonly driver: string,
    /** The installed version, as its package.json says (only named in the message). */
    readonly version: string,
    readonly dir: string,
    /** What is missing, e.g. "built/index.js exports no Pipeline". */
    readonly why: string,
    /** The supported majors, e.g. "ioredis 5 and 6". */
    readonly supported: string,
  ) {
    super(`${driver} ${version} in ${dir}: ${why}. jest-chaos supports ${supported}`);
    this.name = 'UnsupportedDriverError';
  }
}

const versions = new Map<string, string>();

/** The `version` of the package in `dir`, or `unknown version` (read once per directory). */
export function packageVersion(dir: string): string {
  let version = versions.get(dir);
  if (version === undefined) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown };
      version = typeof manifest.version === 'string' ? manifest.version : 'unknown version';
    } catch {
      version = 'unknown version';
    }
    versions.set(dir, version);
  }
  return version;
}

const present = new Map<string, boolean>();

/** Whether `file` exists (a driver's build layout; looked up once per path). */
export function hasFile(file: string): boolean {
  let found = present.get(file);
  if (found === undefined) {
    found = existsSync(file);
    present.set(file, found);
  }
  return found;
}
