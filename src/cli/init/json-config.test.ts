import { editJsonConfig, parseJsonObject, printJsonLike } from './json-config';

describe('editJsonConfig', () => {
  test('adds the preset, or the parts next to another preset, keeping user mappings and reporters', () => {
    expect(editJsonConfig({ verbose: true }, 'x').config).toEqual({ preset: 'jest-chaos', verbose: true });
    expect(editJsonConfig({ preset: 'ts-jest', reporters: ['default', 'jest-junit'], moduleNameMapper: { '^@/(.*)$': '<rootDir>/src/$1' } }, 'x').config).toEqual({
      preset: 'ts-jest',
      testEnvironment: 'jest-chaos/environment',
      runner: 'jest-chaos/runner',
      reporters: ['default', 'jest-junit', 'jest-chaos/reporter'],
      moduleNameMapper: { '^nock$': 'jest-chaos/nock', '^@/(.*)$': '<rootDir>/src/$1' },
    });
  });

  test('refuses projects, non-Node environments and custom runners', () => {
    expect(() => editJsonConfig({ projects: ['a'] }, 'package.json#jest')).toThrow(/in package\.json#jest: it has "projects"/);
    expect(() => editJsonConfig({ testEnvironment: 'jsdom' }, 'x')).toThrow(/testEnvironment "jsdom" is not Node's/);
    expect(() => editJsonConfig({ runner: 'groups' }, 'x')).toThrow(/runner "groups" would replace the chaos runner/);
  });
});

describe('parseJsonObject and printJsonLike', () => {
  test('a JSON object, or an error naming the file', () => {
    expect(parseJsonObject('a.json', '{ "a": 1 }')).toEqual({ a: 1 });
    expect(() => parseJsonObject('a.json', '[1]')).toThrow('jest-chaos: cannot read a.json: it is not a JSON object. Nothing was written.');
    expect(() => parseJsonObject('a.json', '{ "a": }')).toThrow(/^jest-chaos: cannot read a\.json: .*\. Nothing was written\. Fix the JSON/);
  });

  test('keeps the indentation and the final line break of the file', () => {
    expect(printJsonLike('{\n\t"a": 1\n}\n', { a: 1, b: 2 })).toBe('{\n\t"a": 1,\n\t"b": 2\n}\n');
    expect(printJsonLike('{"a": 1}', { a: 1 })).toBe('{\n  "a": 1\n}');
  });
});
