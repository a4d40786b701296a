/**
 * Glob patterns as Jest (`testMatch`), .gitignore files and `scan.priorities.paths` write them, compiled
 * to regular expressions over `/`-separated paths: `*`, `?`, `**`, `[...]`, `{a,b}` and the extglobs
 * `?(...)`, `*(...)`, `+(...)`, `@(...)`, `!(...)`.
 */

const SPECIAL = /[.+^$()|\\]/;

/** The regular expression source for `glob` (no anchors). */
export function globSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    const next = glob[i + 1];
    if ('?*+@!'.includes(c) && next === '(') {
      const close = matchingParen(glob, i + 1);
      if (close !== -1) {
        const inner = splitTop(glob.slice(i + 2, close), '|').map(globSource).join('|');
        out += c === '?' ? `(?:${inner})?` : c === '*' ? `(?:${inner})*` : c === '+' ? `(?:${inner})+` : c === '@' ? `(?:${inner})` : `(?!(?:${inner})(?:/|$))[^/]*`;
        i = close;
        continue;
      }
    }
    if (c === '*') {
      if (next === '*') {
        const before = i === 0 || glob[i - 1] === '/';
        const after = glob[i + 2];
        if (before && after === '/') {
          out += '(?:[^/]*/)*';
          i += 2;
          continue;
        }
        if (before && after === undefined) {
          out += '.*';
          i += 1;
          continue;
        }
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else if (c === '{') {
      const close = matchingBrace(glob, i);
      if (close === -1) out += '\\{';
      else {
        out += `(?:${splitTop(glob.slice(i + 1, close), ',').map(globSource).join('|')})`;
        i = close;
      }
    } else if (c === '\\' && next !== undefined) {
      out += SPECIAL.test(next) || '*?[]{}'.includes(next) ? `\\${next}` : next;
      i++;
    } else out += SPECIAL.test(c) ? `\\${c}` : c;
  }
  return out;
}

/** A whole-path matcher for `glob`. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globSource(glob)}$`);
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Splits on `separator` outside of (), {} and []. */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** One line of a .gitignore file, compiled; `base` is the folder of that file, relative to the walk's root ('' for the root). */
export interface IgnoreRule {
  readonly negate: boolean;
  readonly directoryOnly: boolean;
  readonly pattern: RegExp;
}

/** The rules of one .gitignore file (git's syntax: `#` comments, `!` negation, trailing `/`, anchoring by a `/`). */
export function parseGitignore(text: string, base: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    let directoryOnly = false;
    if (line.endsWith('/')) {
      directoryOnly = true;
      line = line.slice(0, -1);
    }
    if (line === '') continue;
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const prefix = base === '' ? '' : `${base}/`;
    const glob = anchored ? `${prefix}${line}` : `${prefix}**/${line}`;
    rules.push({ negate, directoryOnly, pattern: globToRegExp(glob) });
  }
  return rules;
}

/** Whether `relative` (a `/`-separated path from the walk's root) is ignored by `rules`, the last matching rule deciding. */
export function isIgnored(rules: readonly IgnoreRule[], relative: string, directory: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (rule.directoryOnly && !directory) continue;
    if (rule.pattern.test(relative)) ignored = !rule.negate;
  }
  return ignored;
}
