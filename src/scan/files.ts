/**
 * The files `scan` reads: JavaScript and TypeScript sources under the project's roots, without what
 * .gitignore leaves out, node_modules, build output (dist, coverage) and hidden folders.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isIgnored, parseGitignore, type IgnoreRule } from './glob';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/** Folders never read, wherever they are. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage']);

export function isSourceFile(name: string): boolean {
  if (/\.d\.[mc]?ts$/.test(name)) return false;
  // Jest's own config reaches no dependency of the service.
  if (/(?:^|[\\/])jest\.config\.[mc]?[jt]s$/.test(name)) return false;
  return SOURCE_EXTENSIONS.some((extension) => name.endsWith(extension));
}

function skippedPath(relative: string): boolean {
  return relative.split('/').slice(0, -1).some((segment) => SKIPPED_FOLDERS.has(segment) || segment.startsWith('.'));
}

/** Files git lists under `root` (tracked and untracked, without ignored ones), or undefined outside a git work tree. */
function gitFiles(root: string): string[] | undefined {
  try {
    const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', '.'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
    });
    return [...new Set(out.split('\0').filter((line) => line !== ''))].map((relative) => path.join(root, relative));
  } catch {
    return undefined;
  }
}

/**
 * A walk of `root` that reads the .gitignore files it meets, as git would outside a repository; those of
 * the folders between `base` (the project's rootDir) and the root count too.
 */
function walkFiles(root: string, base: string): string[] {
  const files: string[] = [];
  const inside = root === base || root.startsWith(base + path.sep);
  const top = inside ? base : root;
  const toPosix = (dir: string): string => path.relative(top, dir).split(path.sep).join('/');
  const readRules = (dir: string): IgnoreRule[] => {
    const ignoreFile = path.join(dir, '.gitignore');
    return existsSync(ignoreFile) ? parseGitignore(readFileSync(ignoreFile, 'utf8'), toPosix(dir)) : [];
  };
  let above: IgnoreRule[] = [];
  if (inside && root !== base) {
    const steps = path.relative(base, path.dirname(root)).split(path.sep).filter((step) => step !== '');
    let dir = base;
    above = readRules(dir);
    for (const step of steps) {
      dir = path.join(dir, step);
      above = [...above, ...readRules(dir)];
    }
    if (isIgnored(above, toPosix(root), true)) return [];
  }
  const visit = (dir: string, inherited: readonly IgnoreRule[]): void => {
    const rules = [...inherited, ...readRules(dir)];
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SKIPPED_FOLDERS.has(entry.name) || entry.name.startsWith('.')) continue;
        if (isIgnored(rules, toPosix(full), true)) continue;
        visit(full, rules);
      } else if (entry.isFile() && isSourceFile(entry.name) && !isIgnored(rules, toPosix(full), false)) {
        files.push(full);
      }
    }
  };
  visit(root, above);
  return files;
}

/**
 * The source files under `roots` (absolute paths, sorted): git's list of tracked and untracked files
 * when the root is in a git work tree (so every .gitignore, nested or global, counts), else a walk that
 * reads the .gitignore files from `base` (the rootDir) down.
 */
export function listSourceFiles(roots: readonly string[], base: string): string[] {
  const found = new Set<string>();
  for (const root of roots) {
    // A root that git lists nothing under (outside a work tree, or a folder the outer repository ignores) is walked.
    const fromGit = gitFiles(root);
    const listed = fromGit === undefined || fromGit.length === 0 ? undefined : fromGit;
    for (const file of listed ?? walkFiles(root, base)) {
      const relative = path.relative(root, file).split(path.sep).join('/');
      if (!isSourceFile(file) || skippedPath(relative)) continue;
      if (listed !== undefined && !existsSync(file)) continue;
      found.add(file);
    }
  }
  return [...found].sort();
}
