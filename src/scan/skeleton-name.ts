/** The file name `--write` gives a scenario's skeleton suite: `<dependency>-<kind>.test.<ext>`. */
import type { DependencyType } from './schema';

function slug(text: string): string {
  const flat = text
    .replace(/\$\{[^}]*\}/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/^[a-z]+:\/\//i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (flat === '' ? 'dependency' : flat).slice(0, 48).replace(/-+$/, '');
}

/** The test file extension for a skeleton next to code in `file`: TypeScript for TypeScript code. */
export function skeletonExtension(file: string | undefined): string {
  if (file === undefined) return '.test.js';
  if (/\.(?:[mc]?ts|tsx)$/.test(file)) return '.test.ts';
  if (file.endsWith('.mjs')) return '.test.mjs';
  if (file.endsWith('.cjs')) return '.test.cjs';
  return '.test.js';
}

/**
 * `hint` names an unresolved host's skeleton: the function of its call site (`getJson` -> `get-json-url-...`),
 * since its URL has nothing static to name it by.
 */
export function skeletonName(dependency: string, type: DependencyType, kind: string, file: string | undefined, hint?: string): string {
  const base = type === 'seam' ? `seam-${dependency}` : type === 'unresolved-host' ? `${hint ?? dependency}-url` : dependency;
  return `${slug(base)}-${kind}${skeletonExtension(file)}`;
}
