import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The major of the Jest that runs this filter: the one whose @jest/core this process loaded (not the
 * one that the working directory would resolve, which may be another). 30 when none is found.
 */
export function runningJestMajor(loaded: readonly string[] = Object.keys(require.cache)): number {
  const marker = `${path.sep}@jest${path.sep}core${path.sep}`;
  for (const file of loaded) {
    const at = file.lastIndexOf(marker);
    if (at === -1) continue;
    try {
      const manifest = JSON.parse(readFileSync(path.join(file.slice(0, at + marker.length), 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof manifest.version === 'string') return Number(manifest.version.split('.')[0]);
    } catch {
      // Not a package folder after all: look on.
    }
  }
  return 30;
}
