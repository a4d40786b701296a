import { isChaosError } from '../errors/chaos-error';
import { describeTags, parseTagExpression } from './expression';
import { errorOf } from '../../__tests__/support/thrown';

const VALID =
  'Valid: tag names (letters, digits, - and _), and, or, not, parentheses. Example: CHAOS_TAGS="chaos and not slow"';

function matches(source: string, ...tags: string[]): boolean {
  return parseTagExpression(source).matches(new Set(tags));
}

/** Every subset of `names`, for comparing two expressions exhaustively. */
function subsets(names: readonly string[]): Set<string>[] {
  return Array.from({ length: 2 ** names.length }, (_, bits) => new Set(names.filter((_, i) => (bits >> i) & 1)));
}

describe('parseTagExpression: meaning', () => {
  it('matches a single tag by exact, case-sensitive name', () => {
    expect(matches('chaos', 'chaos')).toBe(true);
    expect(matches('chaos', 'integration')).toBe(false);
    expect(matches('chaos', 'Chaos')).toBe(false);
    expect(matches('chaos')).toBe(false);
  });

  it('binds "and" tighter than "or": a or b and c is a or (b and c)', () => {
    expect(matches('a or b and c', 'a')).toBe(true);
    expect(matches('a or b and c', 'b')).toBe(false);
    expect(matches('a or b and c', 'c')).toBe(false);
    expect(matches('a or b and c', 'b', 'c')).toBe(true);
  });

  it('binds "and" tighter than "or" on the left too: a and b or c is (a and b) or c', () => {
    expect(matches('a and b or c', 'c')).toBe(true);
    expect(matches('a and b or c', 'a')).toBe(false);
    expect(matches('a and b or c', 'a', 'b')).toBe(true);
  });

  it('binds "not" tighter than "and": not a and b is (not a) and b', () => {
    expect(matches('not a and b', 'b')).toBe(true);
    expect(matches('not a and b')).toBe(false);
    expect(matches('not a and b', 'a', 'b')).toBe(false);
    expect(matches('not a and b', 'a')).toBe(false);
  });

  it('applies "not" repeatedly', () => {
    expect(matches('not not a', 'a')).toBe(true);
    expect(matches('not not a')).toBe(false);
  });

  it('lets parentheses override precedence', () => {
    expect(matches('(a or b) and c', 'a')).toBe(false);
    expect(matches('(a or b) and c', 'a', 'c')).toBe(true);
    expect(matches('not (a and b)')).toBe(true);
    expect(matches('not (a and b)', 'a')).toBe(true);
    expect(matches('not (a and b)', 'a', 'b')).toBe(false);
    expect(matches('((a))', 'a')).toBe(true);
    expect(matches('((a))', 'b')).toBe(false);
  });

  it('evaluates long chains of one operator', () => {
    expect(matches('a and b and c and d', 'a', 'b', 'c', 'd')).toBe(true);
    expect(matches('a and b and c and d', 'a', 'b', 'c')).toBe(false);
    expect(matches('a or b or c or d', 'd')).toBe(true);
    expect(matches('a or b or c or d', 'e')).toBe(false);
  });

  it('accepts &&, || and ! as aliases, with or without spaces', () => {
    const words = parseTagExpression('not a and (b or c)');
    const spaced = parseTagExpression('! a && ( b || c )');
    const tight = parseTagExpression('!a&&(b||c)');
    for (const tags of subsets(['a', 'b', 'c'])) {
      expect([spaced.matches(tags), tight.matches(tags)]).toEqual([words.matches(tags), words.matches(tags)]);
    }
    expect(tight.matches(new Set(['b']))).toBe(true);
    expect(tight.matches(new Set(['a', 'b']))).toBe(false);
  });

  it('reads letters, digits, - and _ as one tag name, even when it starts with a keyword', () => {
    expect(matches('not-slow', 'not-slow')).toBe(true);
    expect(matches('not-slow')).toBe(false);
    expect(matches('db_2 and order', 'db_2', 'order')).toBe(true);
    expect(matches('android', 'android')).toBe(true);
    expect(parseTagExpression('not-slow or db_2 or -x').mentioned).toEqual(['not-slow', 'db_2', '-x']);
  });

  it('treats an empty or blank expression as matching everything', () => {
    for (const source of ['', '   ', '\t\n']) {
      const expr = parseTagExpression(source);
      expect(expr.matches(new Set())).toBe(true);
      expect(expr.matches(new Set(['anything']))).toBe(true);
      expect(expr.mentioned).toEqual([]);
      expect(expr.source).toBe(source);
    }
  });

  it('lists mentioned tags once each, in order of first appearance', () => {
    expect(parseTagExpression('b or a and not b or (c and a)').mentioned).toEqual(['b', 'a', 'c']);
  });

  it('keeps the source as given', () => {
    expect(parseTagExpression('  chaos  ').source).toBe('  chaos  ');
  });
});

describe('describeTags', () => {
  it('quotes the expression with whitespace collapsed', () => {
    expect(describeTags(parseTagExpression('chaos or integration'))).toBe('tags matching "chaos or integration"');
    expect(describeTags(parseTagExpression('  chaos \t or\nintegration '))).toBe('tags matching "chaos or integration"');
  });

  it('says "any tags" for an empty expression', () => {
    expect(describeTags(parseTagExpression(' '))).toBe('any tags');
  });
});

describe('parseTagExpression: errors', () => {
  // [expression, what is wrong, position, caret line as printed]
  const cases: Array<[string, string, number, string]> = [
    ['(a', '"(" is never closed', 1, '  ^'],
    ['(a or (b)', '"(" is never closed', 1, '  ^'],
    ['a and (', '"(" is never closed', 7, '        ^'],
    ['a)', '")" has no matching "("', 2, '   ^'],
    [')', '")" has no matching "("', 1, '  ^'],
    ['(a)) or b', '")" has no matching "("', 4, '     ^'],
    ['a and', '"and" has no tag after it', 3, '    ^'],
    ['a ||', '"||" has no tag after it', 3, '    ^'],
    ['(a or)', '"or" has no tag after it', 4, '     ^'],
    ['not', '"not" has no tag after it', 1, '  ^'],
    ['!', '"!" has no tag after it', 1, '  ^'],
    ['not and a', '"not" has no tag after it', 1, '  ^'],
    ['and a', '"and" has no tag before it', 1, '  ^'],
    ['(or a)', '"or" has no tag before it', 2, '   ^'],
    ['a or or b', '"or" has no tag before it', 6, '       ^'],
    ['a b', 'missing "and" or "or" between "a" and "b"', 3, '    ^'],
    ['(a  b)', 'missing "and" or "or" between "a" and "b"', 5, '      ^'],
    ['a (b)', 'missing "and" or "or" between "a" and "("', 3, '    ^'],
    ['a not b', 'missing "and" or "or" between "a" and "not"', 3, '    ^'],
    ['a adn b', 'missing "and" or "or" between "a" and "adn" (did you mean "and"?)', 3, '    ^'],
    ['a & b', 'unexpected character "&" (use "and" or "&&")', 3, '    ^'],
    ['a | b', 'unexpected character "|" (use "or" or "||")', 3, '    ^'],
    ['a, b', 'unexpected character ","', 2, '   ^'],
    ['a AND b', 'keywords are lower-case: write "and" instead of "AND"', 3, '    ^'],
    ['a OR b', 'keywords are lower-case: write "or" instead of "OR"', 3, '    ^'],
    ['Not a', 'keywords are lower-case: write "not" instead of "Not"', 1, '  ^'],
    ['()', 'empty parentheses "()"', 1, '  ^'],
    ['a and ( )', 'empty parentheses "()"', 7, '        ^'],
  ];

  it.each(cases)('%j: %s at position %i', (source, what, position, caret) => {
    const error = errorOf(() => parseTagExpression(source));
    expect(error.message).toBe(
      `jest-chaos: invalid tag expression in CHAOS_TAGS: ${what} at position ${position}.\n  ${source}\n${caret}\n${VALID}`,
    );
  });

  it('throws a ChaosError with code ERR_CHAOS_TAGS', () => {
    const error = errorOf(() => parseTagExpression('a b'));
    expect(isChaosError(error)).toBe(true);
    expect(error.code).toBe('ERR_CHAOS_TAGS');
  });

  it('names the place the expression came from', () => {
    const error = errorOf(() => parseTagExpression('a and', 'testTags in jest.config.js'));
    expect(error.message.split('\n')[0]).toBe(
      'jest-chaos: invalid tag expression in testTags in jest.config.js: "and" has no tag after it at position 3.',
    );
  });

  it('reports the first problem from the left', () => {
    const error = errorOf(() => parseTagExpression('and a &'));
    expect(error.message.split('\n')[0]).toContain('"and" has no tag before it at position 1.');
  });

  it('shows tabs and newlines as spaces so the caret lines up', () => {
    const error = errorOf(() => parseTagExpression('a\tand\n'));
    expect(error.message.split('\n').slice(1, 3)).toEqual(['  a and ', '    ^']);
  });

  it('prints a character outside the Basic Multilingual Plane whole', () => {
    const error = errorOf(() => parseTagExpression('a and 😀'));
    expect(error.message.split('\n').slice(0, 3)).toEqual([
      'jest-chaos: invalid tag expression in CHAOS_TAGS: unexpected character "😀" at position 7.',
      '  a and 😀',
      '        ^',
    ]);
  });
});

describe('parseTagExpression: needs', () => {
  test('is true when every matching tag set holds the tag, and some set matches', () => {
    expect(parseTagExpression('chaos').needs('chaos')).toBe(true);
    expect(parseTagExpression('chaos and not slow').needs('chaos')).toBe(true);
    expect(parseTagExpression('(chaos or db) and (chaos or not db)').needs('chaos')).toBe(true);
    expect(parseTagExpression('chaos or db').needs('chaos')).toBe(false);
    expect(parseTagExpression('not chaos').needs('chaos')).toBe(false);
    expect(parseTagExpression('chaos and not chaos').needs('chaos')).toBe(false);
    expect(parseTagExpression('').needs('chaos')).toBe(false);
  });

  test('agrees with an exhaustive check over every tag set', () => {
    const names = ['chaos', 'a', 'b'];
    const sources = ['chaos and a', 'a or chaos', 'not (a or not chaos)', '(chaos and a) or (chaos and not a)', 'a and not a', 'not not chaos and (b or not b)'];
    for (const source of sources) {
      const expr = parseTagExpression(source);
      const matching = subsets(names).filter((set) => expr.matches(set));
      expect([source, expr.needs('chaos')]).toEqual([source, matching.length > 0 && matching.every((set) => set.has('chaos'))]);
    }
  });
});

describe('parseTagExpression: nesting', () => {
  test('100 levels of parentheses and "not" are fine', () => {
    expect(parseTagExpression(`${'('.repeat(100)}chaos${')'.repeat(100)}`).matches(new Set(['chaos']))).toBe(true);
    expect(parseTagExpression(`${'not '.repeat(100)}chaos`).matches(new Set(['chaos']))).toBe(true);
  });

  test('deeper nesting is a clear error with the limit, showing a window around the place', () => {
    const error = errorOf(() => parseTagExpression(`${'('.repeat(3000)}chaos${')'.repeat(3000)}`));
    expect(isChaosError(error) && error.code).toBe('ERR_CHAOS_TAGS');
    const [first, shown, caret, valid] = error.message.split('\n');
    expect(first).toBe('jest-chaos: invalid tag expression in CHAOS_TAGS: parentheses and "not" nest more than 100 deep at position 101.');
    expect(shown).toBe(`  ...${'('.repeat(60)}...`);
    expect(caret).toBe(`  ${' '.repeat(33)}^`);
    expect(valid).toBe('Valid: at most 100 levels of nesting; write the expression flatter.');
    expect(errorOf(() => parseTagExpression(`${'not '.repeat(101)}chaos`)).message).toContain('nest more than 100 deep at position 401.');
  });
});
