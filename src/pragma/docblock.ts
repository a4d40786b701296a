/** One `@name value` line of a file's docblock. */
export interface DocblockEntry {
  readonly name: string;
  /** The text after the name on the pragma's own line, trimmed, with `//` comments removed as jest-docblock does. */
  readonly value: string;
  /** 1-based line of the pragma in the file. */
  readonly line: number;
  /** The first line of prose that jest-docblock would append to this pragma's value, when there is one. */
  readonly merged?: { readonly text: string; readonly line: number };
}

const NON_SPACE = /\S/;
/** Characters that jest-docblock's `extract` pattern cannot cross: with one of them inside, the file has no docblock. */
const UNMATCHABLE = /\r(?!\n)|[\u2028\u2029]/;
const PRAGMA = /^ *@(\S+) *(.*)$/;
/** A line that jest-docblock's multi-line rule appends to the pragma above it (when a line break follows it). */
const PROSE = /^ *[^\s@][^@]+$/;
const LINE_COMMENT = /(?:^|\s+)\/\/.*$/;

/**
 * The pragmas of the file's docblock, in file order. Like jest-docblock's `extract`, only a comment
 * opening with `/*` or `/**` that comes first in the file (whitespace and a BOM aside) counts; anything
 * else gives []. Lines are read as jest-docblock's `parse` reads them: one leading ` * ` is stripped,
 * a pragma starts its line, a repeated pragma gives one entry per line.
 */
export function readDocblock(source: string): DocblockEntry[] {
  const start = source.search(NON_SPACE);
  if (start === -1 || !source.startsWith('/*', start)) return [];
  const end = source.indexOf('*/', start + 2);
  if (end === -1) return [];
  const opener = source.startsWith('/**', start) && end > start + 2 ? 3 : 2;
  const body = source.slice(start + opener, end);
  if (UNMATCHABLE.test(body)) return [];

  let firstLine = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < start; i = source.indexOf('\n', i + 1)) firstLine++;

  const lines = body.split('\n').map(stripStar);
  const entries: DocblockEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = PRAGMA.exec(lines[i]!);
    if (match === null) continue;
    const raw = match[2]!;
    const value = raw.replace(LINE_COMMENT, '').trim();
    const line = firstLine + i;
    const next = lines[i + 1];
    // jest-docblock appends the next line only when another line follows it, and a `//` comment on
    // the pragma's line swallows what was appended.
    if (next !== undefined && i + 2 < lines.length && PROSE.test(next) && !next.includes('//') && !LINE_COMMENT.test(raw)) {
      entries.push({ name: match[1]!, value, line, merged: { text: next.trim(), line: line + 1 } });
    } else {
      entries.push({ name: match[1]!, value, line });
    }
  }
  return entries;
}

/** Drops a trailing `\r` and the leading ` * ` of a docblock line (spaces, one `*`, one optional space). */
function stripStar(text: string): string {
  const line = text.endsWith('\r') ? text.slice(0, -1) : text;
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  if (line.charCodeAt(i) !== 42) return line;
  i++;
  if (line.charCodeAt(i) === 32) i++;
  return line.slice(i);
}
