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

/** A walk of `root` that reads the .gitignore files it meets, as git would (outside a repository). */
function walkFiles(root: string): string[] {
  const files: string[] = [];
  const visit = (dir: string, relative: string, inherited: readonly IgnoreRule[]): void => {
    let rules = inherited;
    const ignoreFile = path.join(dir, '.gitignore');
    if (existsSync(ignoreFile)) rules = [...inherited, ...parseGitignore(readFileSync(ignoreFile, 'utf8'), relative)];
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const childRelative = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (SKIPPED_FOLDERS.has(entry.name) || entry.name.startsWith('.')) continue;
        if (isIgnored(rules, childRelative, true)) continue;
        visit(path.join(dir, entry.name), childRelative, rules);
      } else if (entry.isFile() && isSourceFile(entry.name) && !isIgnored(rules, childRelative, false)) {
        files.push(path.join(dir, entry.name));
      }
    }
  };
  visit(root, '', []);
  return files;
}

/**
 * The source files under `roots` (absolute paths, sorted): git's list of tracked and untracked files
 * when the root is in a git work tree (so every .gitignore, nested or global, counts), else a walk that
 * reads the .gitignore files under the root.
 */
export function listSourceFiles(roots: readonly string[]): string[] {
  const found = new Set<string>();
  for (const root of roots) {
    const listed = gitFiles(root);
    for (const file of listed ?? walkFiles(root)) {
      const relative = path.relative(root, file).split(path.sep).join('/');
      if (!isSourceFile(file) || skippedPath(relative)) continue;
      if (listed !== undefined && !existsSync(file)) continue;
      found.add(file);
    }
  }
  return [...found].sort();
}
