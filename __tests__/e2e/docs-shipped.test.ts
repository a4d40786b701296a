/**
 * The docs that ship: what `npm pack` puts in the package (`npm pack --dry-run --json`) holds every file
 * that a relative link of README.md and of the shipped docs points at, and every `#anchor` of those links
 * names a heading of its file (GitHub's and npm's heading ids). A user reading the docs in
 * node_modules/jest-chaos, or the README on the registry, never meets a dead link.
 *
 * The checker itself is tested on a fixture package with one dead link of each kind
 * (__tests__/e2e/fixtures/docs-shipped/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../support/run-jest';
import { runProcess } from '../support/run-process';

jest.setTimeout(60_000);

const REPO = path.resolve(__dirname, '..', '..');

/** The files that `npm pack` would put in the package at `dir`, as paths relative to it (`/`-separated). */
async function packedFiles(dir: string): Promise<string[]> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
  const pack = await runProcess(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, env });
  if (pack.code !== 0) throw new Error(`npm pack --dry-run in ${dir} exited with ${String(pack.code)}:\n${pack.output.slice(-3000)}`);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { files: { path: string }[] }[];
  if (info === undefined) throw new Error(`npm pack --dry-run printed no result:\n${pack.stdout}`);
  return info.files.map((file) => file.path).sort();
}

/** The text with the lines of fenced code blocks blanked (same line numbers), where nothing is a link or a heading. */
function withoutFences(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return '';
    }
    if (marker !== undefined) {
      fence = marker;
      return '';
    }
    return line;
  });
}

/** GitHub's heading id: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
function headingId(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The ids of a Markdown file's headings; a repeated heading gets `-1`, `-2`, ... as on GitHub. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  for (const line of withoutFences(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = headingId(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    ids.add(count === 0 ? base : `${base}-${String(count)}`);
  }
  return ids;
}

interface Link {
  readonly line: number;
  readonly target: string;
}

/** Inline links and images `[text](target "title")` and reference definitions `[id]: target`, outside code. */
function linksOf(text: string): Link[] {
  const links: Link[] = [];
  withoutFences(text)
    // Inline code spans hold no links.
    .map((line) => line.replace(/(`+)[\s\S]*?\1/g, ''))
    .forEach((line, index) => {
      for (const match of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: index + 1, target: match[1] as string });
      const reference = /^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(line);
      if (reference !== null) links.push({ line: index + 1, target: reference[1] as string });
    });
  return links;
}

/**
 * Every relative link of the shipped Markdown files (README.md and docs/) that does not resolve in the
 * package: `file:line: target (why)`. Absolute URLs (`https:`, `mailto:`) are not checked.
 */
function deadLinks(dir: string, files: readonly string[]): string[] {
  const shipped = new Set(files);
  const markdown = files.filter((file) => file === 'README.md' || (file.startsWith('docs/') && file.endsWith('.md')));
  const headingIds = new Map<string, Set<string>>();
  const idsOf = (file: string) => {
    let ids = headingIds.get(file);
    if (ids === undefined) {
      ids = anchorsOf(readFileSync(path.join(dir, file), 'utf8'));
      headingIds.set(file, ids);
    }
    return ids;
  };
  const dead: string[] = [];
  for (const file of markdown) {
    for (const { line, target } of linksOf(readFileSync(path.join(dir, file), 'utf8'))) {
      if (/^[a-z][a-z\d+.-]*:/i.test(target)) continue;
      const [pathPart = '', anchor] = target.split('#', 2);
      const resolved = pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(pathPart)));
      const where = `${file}:${String(line)}: ${target}`;
      if (resolved.startsWith('../') || !shipped.has(resolved)) {
        dead.push(`${where} (${resolved} is not in the package)`);
      } else if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md') && !idsOf(resolved).has(anchor)) {
        dead.push(`${where} (no heading of ${resolved} has the id "${anchor}")`);
      }
    }
  }
  return dead;
}

test('the checker names every dead link of a package, and only those', async () => {
  const dir = path.join(FIXTURES, 'docs-shipped');
  const files = await packedFiles(dir);
  expect(files).toEqual(['README.md', 'docs/guide.md', 'package.json']);
  expect(deadLinks(dir, files)).toEqual([
    'README.md:4: docs/guide.md#no-such-section (no heading of docs/guide.md has the id "no-such-section")',
    'README.md:5: docs/missing.md (docs/missing.md is not in the package)',
    'README.md:6: docs/unshipped.md (docs/unshipped.md is not in the package)',
    'README.md:7: #nowhere (no heading of README.md has the id "nowhere")',
    'README.md:9: docs/diagram.png (docs/diagram.png is not in the package)',
    'README.md:11: docs/also-missing.md (docs/also-missing.md is not in the package)',
    'docs/guide.md:5: unshipped.md#anything (docs/unshipped.md is not in the package)',
  ]);
});

test('heading ids follow GitHub: code, punctuation and case', () => {
  expect(headingId('Merging shards: `npx jest-chaos merge`')).toBe('merging-shards-npx-jest-chaos-merge');
  expect(headingId('`instanceof Error` is false')).toBe('instanceof-error-is-false');
  expect(headingId('Node.js x Jest: what is tested where')).toBe('nodejs-x-jest-what-is-tested-where');
});

describe('jest-chaos as packed', () => {
  let files: string[] = [];
  beforeAll(async () => {
    files = await packedFiles(REPO);
  });

  test('ships README.md and every file of docs/', () => {
    const docs = listDocs(path.join(REPO, 'docs')).map((file) => `docs/${file}`);
    expect(docs.length).toBeGreaterThan(10);
    expect(['README.md', ...docs].filter((file) => !files.includes(file))).toEqual([]);
  });

  test('every relative link of README.md and the shipped docs resolves to a shipped file and heading', () => {
    expect(deadLinks(REPO, files)).toEqual([]);
  });
});

/** Every file below docs/, relative to it, `/`-separated. */
function listDocs(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    return entry.isDirectory() ? listDocs(dir, relative) : [relative];
  });
}
