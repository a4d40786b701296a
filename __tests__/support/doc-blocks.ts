/**
 * The fenced code blocks of README.md and docs/, and how each is checked. Every block carries, on the line
 * right before its opening fence, one marker `<!-- checked: <how> -->` (docs-blocks.test.ts requires it):
 *
 *   <!-- checked: run <name> -->          __tests__/docs-examples.test.ts runs the block as a test file
 *   <!-- checked: same-as <file> -->      the block is the whole of that file, byte for byte
 *   <!-- checked: by <test file> <id> --> that test reads the block with docBlock() or docBlocks() and
 *                                         compares it with what it produces
 *   <!-- checked: commands -->            every command line of the block goes through the real parsers
 *                                         (support/doc-commands.ts)
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const REPO = path.join(__dirname, '..', '..');

export type Check =
  | { readonly kind: 'run'; readonly name: string }
  | { readonly kind: 'same-as'; readonly file: string }
  | { readonly kind: 'by'; readonly test: string; readonly id: string }
  | { readonly kind: 'commands' };

/** The valid markers, as the inventory's messages list them. */
export const MARKER_FORMS = [
  '<!-- checked: run <name> -->  (js or ts; __tests__/docs-examples.test.ts runs it)',
  '<!-- checked: same-as <file> -->  (equal to that whole file, byte for byte)',
  "<!-- checked: by <test file> <id> -->  (that test calls docBlock(__filename, '<doc>', '<id>') or docBlocks(__filename, '<doc>'))",
  '<!-- checked: commands -->  (npm, npx jest, npx jest-chaos, node and cd lines, checked against the real parsers)',
];

export interface DocBlock {
  /** The markdown file, relative to the repository, `/`-separated: `docs/scan.md`. */
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's info string: `js`, `sh`, `` (none). */
  readonly info: string;
  /** The content, each line ended by `\n`, without the indentation of a fence inside a list item. */
  readonly text: string;
  /** What the marker says, or undefined when the line before the fence is no marker. */
  readonly marker: string | undefined;
  /** 0-based indexes of the first content line and of the closing fence in the doc's lines. */
  readonly start: number;
  readonly end: number;
  readonly indent: string;
}

/** README.md and every Markdown file under docs/, relative to `root`. */
export function docFiles(root: string = REPO): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((entry) => (entry.isDirectory() ? walk(`${dir}/${entry.name}`) : entry.name.endsWith('.md') ? [`${dir}/${entry.name}`] : []));
  return ['README.md', ...walk('docs')];
}

/** The fenced blocks of a markdown text (CommonMark fences of backticks or tildes, indented up to 3 spaces). */
export function parseBlocks(doc: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[end]!)) end++;
    if (end === lines.length) throw new Error(`${doc}:${i + 1}: the code block is never closed`);
    const marker = new RegExp(`^${indent}<!-- checked: (.*?) -->$`).exec(lines[i - 1] ?? '')?.[1];
    const text = lines
      .slice(i + 1, end)
      .map((line) => `${line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()}\n`)
      .join('');
    blocks.push({ doc, line: i + 1, info: info.trim(), text, marker, start: i + 1, end, indent });
    i = end;
  }
  return blocks;
}

export function readBlocks(doc: string, root: string = REPO): DocBlock[] {
  return parseBlocks(doc, readFileSync(path.join(root, doc), 'utf8'));
}

/** The check a marker declares, or a sentence saying what is wrong with it. */
export function parseCheck(marker: string): Check | string {
  const words = marker.trim().split(/\s+/);
  const [kind, ...args] = words;
  if (kind === 'run' && args.length === 1 && /^[\w-]+$/.test(args[0]!)) return { kind, name: args[0]! };
  if (kind === 'same-as' && args.length === 1) return { kind, file: args[0]! };
  if (kind === 'by' && args.length === 2) return { kind, test: args[0]!, id: args[1]! };
  if (kind === 'commands' && args.length === 0) return { kind };
  return `"<!-- checked: ${marker} -->" is not a valid marker`;
}

/** The repository-relative, `/`-separated path of a test file (`__filename` of the caller). */
function relativeTest(testFile: string): string {
  return path.relative(REPO, testFile).split(path.sep).join('/');
}

/**
 * The blocks of `doc` marked `<!-- checked: by <this test> <id> -->`, by id: what a test that compares a
 * whole doc's blocks with its output calls. The test must compare every one of them.
 */
export function docBlocks(testFile: string, doc: string): Map<string, DocBlock> {
  const test = relativeTest(testFile);
  const found = new Map<string, DocBlock>();
  for (const block of readBlocks(doc)) {
    const check = block.marker === undefined ? undefined : parseCheck(block.marker);
    if (typeof check !== 'object' || check.kind !== 'by' || check.test !== test) continue;
    if (found.has(check.id)) throw new Error(`${doc}:${block.line}: a second block with the id ${check.id} for ${test}`);
    found.set(check.id, block);
  }
  return found;
}

/** The text of the block of `doc` marked `<!-- checked: by <this test> <id> -->`. */
export function docBlock(testFile: string, doc: string, id: string): string {
  const block = docBlocks(testFile, doc).get(id);
  if (block === undefined) throw new Error(`${doc} has no block marked <!-- checked: by ${relativeTest(testFile)} ${id} -->`);
  return block.text;
}

/** Writes `produced[id]` into each block of `doc` that this test checks (a test's update mode; review the diff). */
export function writeDocBlocks(testFile: string, doc: string, produced: Readonly<Record<string, string>>): void {
  const file = path.join(REPO, doc);
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks = [...docBlocks(testFile, doc)].sort(([, a], [, b]) => b.start - a.start);
  for (const [id, block] of blocks) {
    const text = produced[id];
    if (text !== undefined) lines.splice(block.start, block.end - block.start, ...text.replace(/\n$/, '').split('\n').map((line) => (line === '' ? '' : block.indent + line)));
  }
  writeFileSync(file, lines.join('\n'));
}
