import { readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** jest-chaos's own version, from the package.json above this file (in src/ or in dist/src/). */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'jest-chaos' && typeof manifest.version === 'string') return (cached = manifest.version);
    } catch {
      // not here: look one level up
    }
    if (path.dirname(dir) === dir) return (cached = '0.0.0');
  }
}
