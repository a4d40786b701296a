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
}

type Matcher = (tags: ReadonlySet<string>) => boolean;

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

/**
 * Parses a tag expression: `or` binds loosest, then `and`, then `not`; parentheses group.
 * `&&`, `||` and `!` are accepted for `and`, `or` and `not`. An empty expression matches everything.
 * Throws a ChaosError (`ERR_CHAOS_TAGS`) that points at the offending column.
 */
export function parseTagExpression(source: string, where = 'CHAOS_TAGS'): TagExpression {
  const mentioned: string[] = [];
  const matcher = source.trim() === '' ? matchAll : new Parser(source, where, mentioned).parse();
  return { source, matches: matcher, mentioned: Object.freeze(mentioned) };
}

/** Short text for summaries, e.g. `tags matching "chaos or integration"`. */
export function describeTags(expr: TagExpression): string {
  const text = expr.source.trim().replace(/\s+/g, ' ');
  return text === '' ? 'any tags' : `tags matching "${text}"`;
}

class Parser {
  private pos = 0;
  private current: Token;
  private previous: Token | undefined;

  constructor(
    private readonly source: string,
    private readonly where: string,
    private readonly mentioned: string[],
  ) {
    this.current = this.lex();
  }

  parse(): Matcher {
    const matcher = this.parseOr();
    if (this.current.kind !== 'end') {
      this.unexpectedAfterOperand();
    }
    return matcher;
  }

  private parseOr(): Matcher {
    const parts = [this.parseAnd()];
    while (this.current.kind === 'or') {
      this.advance();
      parts.push(this.parseAnd());
    }
    return parts.length === 1 ? parts[0]! : anyOf(parts);
  }

  private parseAnd(): Matcher {
    const parts = [this.parseNot()];
    while (this.current.kind === 'and') {
      this.advance();
      parts.push(this.parseNot());
    }
    return parts.length === 1 ? parts[0]! : allOf(parts);
  }

  private parseNot(): Matcher {
    const token = this.current;
    const before = this.previous;
    switch (token.kind) {
      case 'not': {
        this.advance();
        const inner = this.parseNot();
        return (tags) => !inner(tags);
      }
      case 'tag': {
        this.advance();
        const name = token.text;
        if (!this.mentioned.includes(name)) this.mentioned.push(name);
        return (tags) => tags.has(name);
      }
      case '(': {
        this.advance();
        if (this.current.kind === ')') this.fail('empty parentheses "()"', token.index);
        const inner = this.parseOr();
        const close = this.peek();
        if (close === 'end') this.fail('"(" is never closed', token.index);
        if (close !== ')') this.unexpectedAfterOperand();
        this.advance();
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

  private fail(what: string, index: number): never {
    // Whitespace is shown as a space so the caret lines up. Everything left of a reported
    // position lexed as ASCII or whitespace, so the UTF-16 index is the column.
    const shown = this.source.replace(/\s/g, ' ');
    const column = index + 1;
    throw new ChaosError(
      'ERR_CHAOS_TAGS',
      `jest-chaos: invalid tag expression in ${this.where}: ${what} at position ${column}.\n` +
        `  ${shown}\n` +
        `  ${' '.repeat(column - 1)}^\n` +
        'Valid: tag names (letters, digits, - and _), and, or, not, parentheses. Example: CHAOS_TAGS="chaos and not slow"',
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
