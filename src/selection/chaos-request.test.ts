import { parseTagExpression } from '../tags/expression';
import { chaosRequests, patternAsksForChaos, testNamePatternFromArgv } from './chaos-request';

describe('patternAsksForChaos', () => {
  test.each(['chaos', 'Chaos', '^chaos', '^chaos: ', 'chaos:', '\\bchaos\\b', 'chaos|smoke', '(smoke|chaos)', 'c.a.s', '.+'])('%s asks for chaos tests', (pattern) => {
    expect(patternAsksForChaos(pattern)).toBe(true);
  });

  test.each(['chaos: retries', 'checkout chaos: pays', 'Chaos: Retries'])('%s names a chaos test by its prefix', (pattern) => {
    expect(patternAsksForChaos(pattern)).toBe(true);
  });

  test.each(['', 'plain', 'a', 's', '.', 'cha', '.*', '(?:)', '^(?!.*chaos)', '^(?!chaos: )', 'chaos|', '[', 'chaos(', 'x(?<!chaos: )'])('%s does not', (pattern) => {
    expect(patternAsksForChaos(pattern)).toBe(false);
  });
});

describe('chaosRequests', () => {
  const tags = (source: string) => parseTagExpression(source);

  test('a tag expression asks for chaos tests when only tag sets holding "chaos" match it', () => {
    for (const source of ['chaos', 'chaos and not slow', 'chaos and (db or http)', 'not not chaos', '(chaos or db) and (chaos or not db)']) {
      expect([source, chaosRequests(undefined, tags(source))]).toEqual([source, [{ by: 'CHAOS_TAGS', text: source }]]);
    }
    for (const source of ['chaos or integration', 'not chaos', 'integration', 'chaos and not chaos', 'db and not db']) {
      expect([source, chaosRequests(undefined, tags(source))]).toEqual([source, []]);
    }
  });

  test('the pattern comes first when both ask', () => {
    expect(chaosRequests('chaos', tags('chaos')).map((request) => request.by)).toEqual(['--testNamePattern', 'CHAOS_TAGS']);
    expect(chaosRequests('plain', undefined)).toEqual([]);
  });
});

test('testNamePatternFromArgv reads every spelling Jest accepts; the last one wins', () => {
  expect(testNamePatternFromArgv(['node', 'jest', '-t', 'chaos'])).toBe('chaos');
  expect(testNamePatternFromArgv(['--testNamePattern=chaos: x'])).toBe('chaos: x');
  expect(testNamePatternFromArgv(['--test-name-pattern', 'a', '-t=b'])).toBe('b');
  expect(testNamePatternFromArgv(['--listTests'])).toBeUndefined();
});
