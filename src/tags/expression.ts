import { ChaosError } from '../errors/chaos-error';
import { closest } from '../errors/suggest';

/** A compiled `CHAOS_TAGS` expression. */
export interface TagExpression {
  /** The expression as given. */
  readonly source: string;
  /** Whether a file or test carrying `tags` is selected. Does no parsing. */
  matches(tags: ReadonlySet<string>): boolean;
  /** Every tag name the expression mentions, once each, in order of first appearance. */
  readonly mentioned: readonly string[];
  /**
   * True when some tag set matches the expression and every tag set that matches holds `tag`: the
   * expression selects only tests that carry `tag` (`chaos`, `chaos and not slow`, but not `chaos or db`).
   */
  needs(tag: string): boolean;
}

type Matcher = (tags: ReadonlySet<string>) => boolean;

/** The expression as a tree: what `needs` reasons about. */
type Node = { readonly op: 'tag'; readonly name: string } | { readonly op: 'not'; readonly inner: Node } | { readonly op: 'and' | 'or'; readonly parts: readonly Node[] };

/** How deep parentheses and `not` may nest: far beyond any real expression, well within the stack. */
export const MAX_TAG_DEPTH = 100;

type TokenKind = 'tag' | 'and' | 'or' | 'not' | '(' | ')' | 'end';

interface Token {
  readonly kind: TokenKind;
  /** The text as written (`and` or `&&`, ...). */
  readonly text: string;
  /** 0-based index into the source. */
  readonly index: number;
}

const KEYWORDS = ['and', 'or', 'not'] as const;
const WORD = /[A-Za-z0-9_-]+/y;
const SPACE = /\s+/y;
const ALIASES: Readonly<Record<string, TokenKind>> = { '&&': 'and', '||': 'or', '!': 'not' };
const HINTS: Readonly<Record<string, string>> = { '&': ' (use "and" or "&&")', '|': ' (use "or" or "||")' };

const matchAll: Matcher = () => true;
/** Characters of the expression that an error shows around the mistake. */
const SHOWN_WIDTH = 60;
const VALID_EXPRESSION = 'Valid: tag names (letters, digits, - and _), and, or, not, parentheses. Example: CHAOS_TAGS="chaos and not slow"';

/**
 * Parses a tag expression: `or` binds loosest, then `and`, then `not`; parentheses group.
 * `&&`, `||` and `!` are accepted for `and`, `or` and `not`. An empty expression matches everything.
 * Throws a ChaosError (`ERR_CHAOS_TAGS`) that points at the offending column.
 */
export function parseTagExpression(source: string, where = 'CHAOS_TAGS'): TagExpression {
  const mentioned: string[] = [];
  const tree = source.trim() === '' ? undefined : new Parser(source, where, mentioned).parse();
  const matcher = tree === undefined ? matchAll : compile(tree);
  return {
    source,
    matches: matcher,
    mentioned: Object.freeze(mentioned),
    needs: (tag) => tree !== undefined && satisfiable(tree, new Map([[tag, true]])) && !satisfiable(tree, new Map([[tag, false]])),
  };
}

function compile(node: Node): Matcher {
  switch (node.op) {
    case 'tag': {
      const { name } = node;
      return (tags) => tags.has(name);
    }
    case 'not': {
      const inner = compile(node.inner);
      return (tags) => !inner(tags);
    }
    case 'and':
      return allOf(node.parts.map(compile));
    case 'or':
      return anyOf(node.parts.map(compile));
  }
}

/** The node with the `fixed` tags replaced by their truth values: true, false, or what is left. */
function simplify(node: Node, fixed: ReadonlyMap<string, boolean>): Node | boolean {
  switch (node.op) {
    case 'tag':
      return fixed.get(node.name) ?? node;
    case 'not': {
      const inner = simplify(node.inner, fixed);
      return typeof inner === 'boolean' ? !inner : { op: 'not', inner };
    }
    case 'and':
    case 'or': {
      // `and` is decided by a false part, `or` by a true one; parts of the other value drop out.
      const decisive = node.op === 'or';
      const rest: Node[] = [];
      for (const part of node.parts) {
        const value = simplify(part, fixed);
        if (value === decisive) return decisive;
        if (typeof value !== 'boolean') rest.push(value);
      }
      if (rest.length === 0) return !decisive;
      return rest.length === 1 ? rest[0]! : { op: node.op, parts: rest };
    }
  }
}

function firstTag(node: Node): string {
  switch (node.op) {
    case 'tag':
      return node.name;
    case 'not':
      return firstTag(node.inner);
    default:
      return firstTag(node.parts[0]!);
  }
}

/** Whether some tag set agreeing with `fixed` matches: splits on one free tag at a time. */
function satisfiable(node: Node, fixed: ReadonlyMap<string, boolean>): boolean {
  const rest = simplify(node, fixed);
  if (typeof rest === 'boolean') return rest;
  const tag = firstTag(rest);
  return satisfiable(rest, new Map([[tag, true]])) || satisfiable(rest, new Map([[tag, false]]));
}

/** Short text for summaries, e.g. `tags matching "chaos or integration"`. */
export function describeTags(expr: TagExpression): string {
  const text = expr.source.trim().replace(/\s+/g, ' ');
  return text === '' ? 'any tags' : `tags matching "${text}"`;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private current: Token;
  private previous: Token | undefined;

  constructor(
    private readonly source: string,
    private readonly where: string,
    private readonly mentioned: string[],
  ) {
    this.current = this.lex();
  }

  parse(): Node {
    const matcher = this.parseOr();
    if (this.current.kind !== 'end') {
      this.unexpectedAfterOperand();
    }
    return matcher;
  }

  private parseOr(): Node {
    const parts = [this.parseAnd()];
    while (this.current.kind === 'or') {
      this.advance();
      parts.push(this.parseAnd());
    }
    return parts.length === 1 ? parts[0]! : { op: 'or', parts };
  }

  private parseAnd(): Node {
    const parts = [this.parseNot()];
    while (this.current.kind === 'and') {
      this.advance();
      parts.push(this.parseNot());
    }
    return parts.length === 1 ? parts[0]! : { op: 'and', parts };
  }

  /** Enters one level of `not` or parentheses, refusing to go deeper than MAX_TAG_DEPTH. */
  private deeper(token: Token): void {
    this.depth += 1;
    if (this.depth > MAX_TAG_DEPTH) {
      this.fail(`parentheses and "not" nest more than ${MAX_TAG_DEPTH} deep`, token.index, `Valid: at most ${MAX_TAG_DEPTH} levels of nesting; write the expression flatter.`);
    }
  }

  private parseNot(): Node {
    const token = this.current;
    const before = this.previous;
    switch (token.kind) {
      case 'not': {
        this.deeper(token);
        this.advance();
        const inner = this.parseNot();
        this.depth -= 1;
        return { op: 'not', inner };
      }
      case 'tag': {
        this.advance();
        const name = token.text;
        if (!this.mentioned.includes(name)) this.mentioned.push(name);
        return { op: 'tag', name };
      }
      case '(': {
        this.deeper(token);
        this.advance();
        if (this.current.kind === ')') this.fail('empty parentheses "()"', token.index);
        const inner = this.parseOr();
        const close = this.peek();
        if (close === 'end') this.fail('"(" is never closed', token.index);
        if (close !== ')') this.unexpectedAfterOperand();
        this.advance();
        this.depth -= 1;
        return inner;
      }
      case 'and':
      case 'or':
        if (before?.kind === 'not') this.fail(`"${before.text}" has no tag after it`, before.index);
        return this.fail(`"${token.text}" has no tag before it`, token.index);
      case ')':
        if (before === undefined) this.fail('")" has no matching "("', token.index);
        return this.fail(`"${before.text}" has no tag after it`, before.index);
      case 'end':
        // The source is not blank, so `end` here always follows an operator or "(".
        if (before === undefined) throw new Error('unreachable: empty tag expression');
        if (before.kind === '(') this.fail('"(" is never closed', before.index);
        return this.fail(`"${before.text}" has no tag after it`, before.index);
    }
  }

  /** An operand ended and the next token is neither an operator, ")" where allowed, nor the end. */
  private unexpectedAfterOperand(): never {
    const token = this.current;
    const before = this.previous;
    if (token.kind === ')') this.fail('")" has no matching "("', token.index);
    let what = `missing "and" or "or" between "${before?.text ?? ''}" and "${token.text}"`;
    if (token.kind === 'tag') {
      const typo = closest(token.text, KEYWORDS);
      if (typo !== undefined) what += ` (did you mean "${typo}"?)`;
    }
    return this.fail(what, token.index);
  }

  /** The current token's kind, read fresh (not narrowed by earlier checks). */
  private peek(): TokenKind {
    return this.current.kind;
  }

  private advance(): void {
    this.previous = this.current;
    this.current = this.lex();
  }

  private lex(): Token {
    const { source } = this;
    SPACE.lastIndex = this.pos;
    if (SPACE.test(source)) this.pos = SPACE.lastIndex;
    const index = this.pos;
    if (index >= source.length) return { kind: 'end', text: '', index };

    WORD.lastIndex = index;
    const word = WORD.exec(source);
    if (word !== null) {
      const text = word[0];
      this.pos = WORD.lastIndex;
      const lower = text.toLowerCase();
      if (lower === 'and' || lower === 'or' || lower === 'not') {
        if (text !== lower) this.fail(`keywords are lower-case: write "${lower}" instead of "${text}"`, index);
        return { kind: lower, text, index };
      }
      return { kind: 'tag', text, index };
    }

    const two = source.slice(index, index + 2);
    const alias = ALIASES[two] ?? ALIASES[source[index]!];
    if (alias !== undefined) {
      const text = ALIASES[two] !== undefined ? two : source[index]!;
      this.pos += text.length;
      return { kind: alias, text, index };
    }
    const char = source[index]!;
    if (char === '(' || char === ')') {
      this.pos += 1;
      return { kind: char, text: char, index };
    }
    const codePoint = String.fromCodePoint(source.codePointAt(index)!);
    return this.fail(`unexpected character "${codePoint}"${HINTS[codePoint] ?? ''}`, index);
  }

  private fail(what: string, index: number, valid = VALID_EXPRESSION): never {
    // Whitespace is shown as a space so the caret lines up. Everything left of a reported
    // position lexed as ASCII or whitespace, so the UTF-16 index is the column.
    // A long expression is shown as a window around the position, marked with "...".
    const column = index + 1;
    const from = this.source.length <= SHOWN_WIDTH ? 0 : Math.max(0, Math.min(index - SHOWN_WIDTH / 2, this.source.length - SHOWN_WIDTH));
    const to = Math.min(this.source.length, from + SHOWN_WIDTH);
    const lead = from > 0 ? '...' : '';
    const shown = `${lead}${this.source.slice(from, to).replace(/\s/g, ' ')}${to < this.source.length ? '...' : ''}`;
    throw new ChaosError(
      'ERR_CHAOS_TAGS',
      `jest-chaos: invalid tag expression in ${this.where}: ${what} at position ${column}.\n` +
        `  ${shown}\n` +
        `  ${' '.repeat(lead.length + index - from)}^\n` +
        valid,
    );
  }
}

function allOf(parts: readonly Matcher[]): Matcher {
  return (tags) => {
    for (const part of parts) if (!part(tags)) return false;
    return true;
  };
}

function anyOf(parts: readonly Matcher[]): Matcher {
  return (tags) => {
    for (const part of parts) if (part(tags)) return true;
    return false;
  };
}
