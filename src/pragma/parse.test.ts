import { extract, parse } from 'jest-docblock';
import { isChaosError } from '../errors/chaos-error';
import type { ChaosErrorCode } from '../errors/chaos-error';
import { readDocblock } from './docblock';
import { parseSuite } from './parse';

const FILE = '__tests__/a.test.ts';

/** Joins lines with `\n` (or the given line break) into a file's source. */
function file(lines: readonly string[], eol = '\n'): string {
  return lines.join(eol);
}

/** The message of the ChaosError that parseSuite throws, checking its code. */
function errorOf(source: string, code: ChaosErrorCode = 'ERR_CHAOS_PRAGMA'): string {
  let thrown: unknown;
  try {
    parseSuite(source, FILE);
  } catch (error) {
    thrown = error;
  }
  if (!isChaosError(thrown)) throw new Error(`expected a ChaosError, got ${String(thrown)}`);
  expect(thrown.code).toBe(code);
  return thrown.message;
}

describe('readDocblock', () => {
  test('entries with values and 1-based file lines', () => {
    const source = file(['', '/**', ' * Intro prose.', ' *', ' * @chaos http.timeout api.example.com', ' * @chaos-seed 42', ' */', "test('x', () => {});"]);
    expect(readDocblock(source)).toEqual([
      { name: 'chaos', value: 'http.timeout api.example.com', line: 5 },
      { name: 'chaos-seed', value: '42', line: 6 },
    ]);
  });

  test('CRLF files give the same lines and values without a trailing \\r', () => {
    const source = file(['/**', ' * @chaos db.down primary', ' * @tag slow', ' */', ''], '\r\n');
    expect(readDocblock(source)).toEqual([
      { name: 'chaos', value: 'db.down primary', line: 2 },
      { name: 'tag', value: 'slow', line: 3 },
    ]);
  });

  test('a one-line docblock, a bare pragma and a repeated pragma', () => {
    expect(readDocblock('/** @chaos */')).toEqual([{ name: 'chaos', value: '', line: 1 }]);
    expect(readDocblock(file(['/**', ' * @tag a', ' * @tag b', ' */']))).toEqual([
      { name: 'tag', value: 'a', line: 2 },
      { name: 'tag', value: 'b', line: 3 },
    ]);
  });

  test('a BOM and leading whitespace are skipped', () => {
    expect(readDocblock('\uFEFF/** @chaos-seed 7 */')).toEqual([{ name: 'chaos-seed', value: '7', line: 1 }]);
    expect(readDocblock('\n\n  \t/**\n * @chaos-seed 7\n */')).toEqual([{ name: 'chaos-seed', value: '7', line: 4 }]);
  });

  test.each([
    ['a line comment first', "// header\n/** @chaos */\ntest('x', () => {});"],
    ['a shebang first', '#!/usr/bin/env node\n/** @chaos */'],
    ["'use strict' first", "'use strict';\n/** @chaos */"],
    ['an import first', "import x from 'y';\n/** @chaos */"],
    ['an unterminated comment', '/** @chaos http.timeout'],
    ['an empty file', ''],
    ['a lone \\r inside the block', '/**\r * @chaos\r */'],
  ])('no docblock with %s', (_, source) => {
    expect(readDocblock(source)).toEqual([]);
    expect(extract(source)).toBe('');
  });

  test('only the first comment counts', () => {
    expect(readDocblock(file(['/** @chaos-seed 1 */', '/** @chaos-seed 2 */']))).toEqual([{ name: 'chaos-seed', value: '1', line: 1 }]);
  });

  test('a `/*` comment counts, as it does for jest-docblock', () => {
    expect(readDocblock('/* @chaos db.down */')).toEqual([{ name: 'chaos', value: 'db.down', line: 1 }]);
  });

  test('`//` comments are removed from values, as jest-docblock does; `//` inside a URL stays', () => {
    const source = file(['/**', ' * @chaos http.timeout api.example.com // flaky upstream', ' * @chaos http.dns https://api.example.com/*', ' */']);
    expect(readDocblock(source).map((entry) => entry.value)).toEqual(['http.timeout api.example.com', 'http.dns https://api.example.com/*']);
  });

  test('an `@` inside a line is not a pragma', () => {
    expect(readDocblock(file(['/**', ' * Mail ops@example.com about @chaos.', ' */']))).toEqual([]);
  });

  test('marks prose that jest-docblock would merge into the pragma above it', () => {
    const source = file(['/**', ' * @chaos', ' * This file injects faults.', ' */']);
    expect(readDocblock(source)).toEqual([{ name: 'chaos', value: '', line: 2, merged: { text: 'This file injects faults.', line: 3 } }]);
    expect(parse(extract(source))).toEqual({ chaos: 'This file injects faults.' });
  });

  test.each([
    ['a blank line between', ['/**', ' * @chaos', ' *', ' * This file injects faults.', ' */']],
    ['prose on the last line of the block', ['/**', ' * @chaos', ' * This file injects faults. */']],
    ['a line that holds an @', ['/**', ' * @chaos', ' * Mail ops@example.com', ' */']],
    ['a line that holds //', ['/**', ' * @chaos', ' * See https://example.com/docs', ' */']],
    ['a one-character line', ['/**', ' * @chaos', ' * x', ' */']],
    ['a comment on the pragma line', ['/**', ' * @chaos db.down // primary only', ' * This file injects faults.', ' */']],
  ])('no merge with %s', (_, lines) => {
    const source = file(lines);
    const [entry] = readDocblock(source);
    expect(entry).toBeDefined();
    expect(entry!.merged).toBeUndefined();
    expect(parse(extract(source))['chaos']).toBe(entry!.value);
  });

  test.each([
    ['/**\n * @chaos http.timeout api.example.com\n * @chaos db.down primary\n * @chaos-seed 42\n * @tag integration slow\n * @jest-environment node\n */'],
    ['/** @chaos http.latency * ms=1000-5000 p=0.3 */'],
    ['\uFEFF\r\n/**\r\n * Prose first.\r\n *\r\n * @chaos\r\n * @group unit\r\n */\r\n'],
    ['/***\n * @chaos-priority A\n */'],
    ['/**\n *   @tag   spaced    \n *\t@chaos tab-indented\n \t* @chaos tab-before-star\n ** @chaos two-stars\n */'],
    ['/**\n@chaos no-star\n*/'],
  ])('agrees with jest-docblock: %j', (source) => {
    const expected = parse(extract(source));
    const actual: Record<string, string | string[]> = {};
    for (const { name, value } of readDocblock(source)) {
      const previous = actual[name];
      actual[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    const trimmed = Object.fromEntries(Object.entries(expected).map(([name, value]) => [name, Array.isArray(value) ? value.map((v) => v.trim()) : value.trim()]));
    expect(actual).toEqual(trimmed);
  });
});

describe('parseSuite', () => {
  test('a file without a docblock is not a chaos suite', () => {
    expect(parseSuite("test('x', () => {});\n", FILE)).toEqual({ isChaosSuite: false, rules: [], tags: [], seed: undefined, priority: undefined, time: undefined });
  });

  test('the contract example', () => {
    const source = file([
      '/**',
      ' * @chaos http.timeout api.example.com',
      ' * @chaos http.latency * ms=1000-5000 p=0.3',
      ' * @chaos http.refused * p=0.1',
      ' * @chaos db.down primary',
      ' * @chaos-seed 42',
      ' * @chaos-priority A',
      ' * @tag integration',
      ' */',
      '',
    ]);
    const suite = parseSuite(source, FILE);
    expect(suite).toMatchObject({ isChaosSuite: true, tags: ['chaos', 'integration'], seed: 42, priority: 'A', time: undefined });
    expect(suite.rules.map((rule) => [rule.source, rule.origin])).toEqual([
      ['http.timeout api.example.com', `${FILE}:2`],
      ['http.latency * ms=1000-5000 p=0.3', `${FILE}:3`],
      ['http.refused * p=0.1', `${FILE}:4`],
      ['db.down primary', `${FILE}:5`],
    ]);
    expect(suite.rules[1]!.options).toMatchObject({ p: 0.3, ms: { min: 1000, max: 5000 } });
  });

  test('a bare @chaos only tags the file', () => {
    expect(parseSuite('/** @chaos */', FILE)).toEqual({ isChaosSuite: true, rules: [], tags: ['chaos'], seed: undefined, priority: undefined, time: undefined });
  });

  test('tags: several per line, repeated lines, de-duplicated in order of first appearance', () => {
    const source = file(['/**', ' * @tag integration slow', ' * @tag api-v2 slow', ' * @chaos', ' * @tag integration my_tag', ' */']);
    expect(parseSuite(source, FILE).tags).toEqual(['integration', 'slow', 'api-v2', 'chaos', 'my_tag']);
  });

  test('@tag without @chaos gives a plain suite with tags', () => {
    expect(parseSuite('/** @tag slow */', FILE)).toMatchObject({ isChaosSuite: false, tags: ['slow'] });
  });

  test('@tag chaos is redundant but allowed in a chaos suite', () => {
    expect(parseSuite(file(['/**', ' * @tag chaos', ' * @chaos', ' */']), FILE).tags).toEqual(['chaos']);
  });

  test('seed bounds, priorities and virtual time', () => {
    expect(parseSuite('/** @chaos-seed 0 */', FILE).seed).toBe(0);
    expect(parseSuite('/** @chaos-seed 4294967295 */', FILE).seed).toBe(4294967295);
    for (const priority of ['A', 'B', 'C']) expect(parseSuite(`/** @chaos-priority ${priority} */`, FILE).priority).toBe(priority);
    expect(parseSuite('/** @chaos-time virtual */', FILE).time).toBe('virtual');
  });

  test('other pragmas are ignored', () => {
    const source = file(['/**', ' * @jest-environment node', ' * @group integration', ' * @flow', ' * @class', ' * @license MIT', ' * @chaos db.down', ' */']);
    expect(parseSuite(source, FILE)).toMatchObject({ isChaosSuite: true, tags: ['chaos'], rules: [{ source: 'db.down' }] });
  });

  test('a docblock that is not first in the file is not read, even when it is wrong', () => {
    expect(parseSuite("'use strict';\n/** @choas http.timeout */", FILE).isChaosSuite).toBe(false);
  });

  test('CRLF line numbers reach rule errors', () => {
    const source = file(['/**', ' * @chaos http.timeout', ' * @chaos http.timout', ' */'], '\r\n');
    expect(errorOf(source, 'ERR_CHAOS_RULE')).toBe(
      'jest-chaos: invalid rule "http.timout" in __tests__/a.test.ts:3: unknown http fault "timout". Valid: timeout, hang, refused, reset, dns, status, latency, malformed. Did you mean "timeout"?',
    );
  });

  test('leading blank lines count towards line numbers', () => {
    expect(errorOf('\n\n/**\n *\n * @chaos-seed x\n */')).toBe(
      'jest-chaos: invalid pragma in __tests__/a.test.ts:5: @chaos-seed "x" is not an integer. Valid: @chaos-seed <integer from 0 to 4294967295>, e.g. @chaos-seed 42.',
    );
  });

  test.each([
    [
      'merged prose after a bare @chaos',
      ['/**', ' * @chaos', ' * This file injects faults.', ' */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:2: the prose on line 3 ("This file injects faults.") directly follows @chaos, so Jest merges it into the pragma\'s value. Put a blank " *" line between them, or move the prose above the pragmas.',
    ],
    [
      'merged prose after a rule',
      ['/**', ' * @chaos http.timeout api.example.com', ' * Retries must recover.', ' * More prose.', ' */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:2: the prose on line 3 ("Retries must recover.") directly follows @chaos, so Jest merges it into the pragma\'s value. Put a blank " *" line between them, or move the prose above the pragmas.',
    ],
    [
      'merged prose after @tag',
      ['/**', ' * @chaos', ' *', ' * @tag slow', ' *   covers the retry path', ' */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:4: the prose on line 5 ("covers the retry path") directly follows @tag, so Jest merges it into the pragma\'s value. Put a blank " *" line between them, or move the prose above the pragmas.',
    ],
    [
      'merged prose after @chaos-seed',
      ['/**', ' * @chaos-seed 42', ' * Pinned for now.', ' */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:2: the prose on line 3 ("Pinned for now.") directly follows @chaos-seed, so Jest merges it into the pragma\'s value. Put a blank " *" line between them, or move the prose above the pragmas.',
    ],
    [
      'an unknown @chaos-* pragma',
      ['/**', ' * @chaos-sead 42', ' */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:2: unknown pragma "@chaos-sead". Valid: @chaos, @chaos-seed, @chaos-priority, @chaos-time, @tag. Did you mean "@chaos-seed"?',
    ],
    [
      'an unknown @chaos-* pragma with nothing close',
      ['/** @chaos-everything on */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: unknown pragma "@chaos-everything". Valid: @chaos, @chaos-seed, @chaos-priority, @chaos-time, @tag.',
    ],
    [
      '@choas',
      ['/**', ' * @choas http.timeout', ' */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:2: unknown pragma "@choas". Valid: @chaos, @chaos-seed, @chaos-priority, @chaos-time, @tag. Did you mean "@chaos"?',
    ],
    [
      '@caos',
      ['/** @caos */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: unknown pragma "@caos". Valid: @chaos, @chaos-seed, @chaos-priority, @chaos-time, @tag. Did you mean "@chaos"?',
    ],
    [
      '@Chaos',
      ['/** @Chaos db.down */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: unknown pragma "@Chaos". Valid: @chaos, @chaos-seed, @chaos-priority, @chaos-time, @tag. Did you mean "@chaos"?',
    ],
    [
      '@tags',
      ['/** @tags slow */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: unknown pragma "@tags". Valid: @chaos, @chaos-seed, @chaos-priority, @chaos-time, @tag. Did you mean "@tag"?',
    ],
    [
      'a repeated @chaos-seed',
      ['/**', ' * @chaos-seed 1', ' * @chaos', ' * @chaos-seed 2', ' */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:4: @chaos-seed is repeated (first on line 2). Valid: one @chaos-seed per file.',
    ],
    [
      'a repeated @chaos-priority',
      ['/**', ' * @chaos-priority A', ' * @chaos-priority A', ' */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:3: @chaos-priority is repeated (first on line 2). Valid: one @chaos-priority per file.',
    ],
    [
      'a repeated @chaos-time',
      ['/**', ' * @chaos-time virtual', ' * @chaos-time virtual', ' */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:3: @chaos-time is repeated (first on line 2). Valid: one @chaos-time per file.',
    ],
    [
      'an empty @chaos-seed',
      ['/** @chaos-seed */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: @chaos-seed has no value. Valid: @chaos-seed <integer from 0 to 4294967295>, e.g. @chaos-seed 42.',
    ],
    [
      'a negative seed',
      ['/** @chaos-seed -1 */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: @chaos-seed "-1" is negative; a seed is a whole number from 0 to 4294967295. Valid: @chaos-seed <integer from 0 to 4294967295>, e.g. @chaos-seed 42.',
    ],
    [
      'a seed above 2^32-1',
      ['/** @chaos-seed 4294967296 */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: @chaos-seed "4294967296" is out of range. Valid: @chaos-seed <integer from 0 to 4294967295>, e.g. @chaos-seed 42.',
    ],
    [
      'a seed with a fraction',
      ['/** @chaos-seed 4.2 */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: @chaos-seed "4.2" is not an integer. Valid: @chaos-seed <integer from 0 to 4294967295>, e.g. @chaos-seed 42.',
    ],
    [
      'an unknown priority',
      ['/** @chaos-priority D */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: @chaos-priority "D" is not a priority. Valid: A (financial decisions and safety), B (state consistency), C (self-repair).',
    ],
    [
      'a lower-case priority',
      ['/** @chaos-priority b */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: @chaos-priority "b" is not a priority. Valid: A (financial decisions and safety), B (state consistency), C (self-repair). Did you mean "B"?',
    ],
    [
      'an empty priority',
      ['/** @chaos-priority */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: @chaos-priority has no value. Valid: A (financial decisions and safety), B (state consistency), C (self-repair).',
    ],
    [
      'a misspelt time mode',
      ['/** @chaos-time virtal */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: @chaos-time "virtal" is not a time mode. Valid: @chaos-time virtual; leave it out for real time. Did you mean "virtual"?',
    ],
    [
      'an empty time mode',
      ['/** @chaos-time */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: @chaos-time has no value. Valid: @chaos-time virtual; leave it out for real time.',
    ],
    [
      'an empty @tag',
      ['/**', ' * @tag', ' */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:2: @tag has no tag names. Valid: names of letters, digits, "-" and "_", e.g. @tag integration slow.',
    ],
    [
      'a tag with a dot',
      ['/** @tag api.v2 */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: "api.v2" is not a valid tag name. Valid: names of letters, digits, "-" and "_", e.g. @tag integration slow.',
    ],
    [
      'a tag list with commas',
      ['/** @tag a, b */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: "a," is not a valid tag name. Valid: names of letters, digits, "-" and "_", e.g. @tag integration slow.',
    ],
    [
      'a tag that is an expression operator',
      ['/** @tag fast NOT */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:1: "NOT" cannot be a tag name: and, or and not are operators in CHAOS_TAGS expressions. Valid: any other name of letters, digits, "-" and "_".',
    ],
    [
      '@tag chaos in a file without @chaos',
      ['/**', ' * @tag slow', ' * @tag chaos', ' */'],
      'jest-chaos: invalid pragma in __tests__/a.test.ts:3: the tag "chaos" is reserved for chaos suites. Add a @chaos pragma to make this file a chaos suite, or remove the tag.',
    ],
  ])('%s', (_, lines, message) => {
    expect(errorOf(file(lines))).toBe(message);
  });

  test('the first mistake in file order is reported', () => {
    expect(errorOf(file(['/**', ' * @chaos-priority Z', ' * @chaos-seed x', ' */']))).toContain('a.test.ts:2: @chaos-priority "Z"');
  });
});
