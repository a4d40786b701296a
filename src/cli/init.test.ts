import { editJsConfig, editJsonConfig, maskCode } from './init';

describe('maskCode', () => {
  test('blanks comments and string contents, keeps length, quotes and line breaks', () => {
    const text = "a = '{x}'; // }\nb = `t ${ {} }` /* { */ + \"\\\"}\"";
    const masked = maskCode(text);
    expect(masked).toHaveLength(text.length);
    expect(masked.split('\n')).toHaveLength(2);
    expect(masked.replace(/[^{}]/g, '')).toBe('');
    expect(masked.startsWith("a = '   ';")).toBe(true);
  });
});

describe('editJsConfig', () => {
  const edit = (file: string, text: string) => editJsConfig(file, text).content;

  test('adds the preset first in the exported object, in the file quote style and indentation', () => {
    expect(edit('jest.config.js', 'module.exports = {\n    verbose: true,\n};\n')).toBe("module.exports = {\n    preset: 'jest-chaos',\n    verbose: true,\n};\n");
    expect(edit('jest.config.js', 'module.exports = { verbose: "yes" };\n')).toBe('module.exports = { preset: "jest-chaos", verbose: "yes" };\n');
    expect(edit('jest.config.cjs', 'module.exports = {};\n')).toBe("module.exports = { preset: 'jest-chaos' };\n");
    expect(edit('jest.config.mjs', "const config = { bail: 1 };\nexport default config;\n")).toBe("const config = { preset: 'jest-chaos', bail: 1 };\nexport default config;\n");
  });

  test('wraps with withChaos when the config has a preset, projects, its own parts, or a spread', () => {
    expect(edit('jest.config.js', "'use strict';\nmodule.exports = {\n  'preset': 'ts-jest',\n};\n")).toBe(
      "'use strict';\nconst { withChaos } = require('jest-chaos/config');\n\nmodule.exports = withChaos({\n  'preset': 'ts-jest',\n});\n",
    );
    expect(edit('jest.config.mjs', "import base from './base.mjs';\n\nexport default defineConfig({ ...base });\n")).toBe(
      "import base from './base.mjs';\nimport { withChaos } from 'jest-chaos/config';\n\nexport default defineConfig(withChaos({ ...base }));\n",
    );
    expect(edit('jest.config.ts', "/** @jest-config-loader esbuild-register */\n\nexport default {\n  projects: [{ displayName: 'a' }],\n};\n")).toBe(
      "/** @jest-config-loader esbuild-register */\n\nimport { withChaos } from 'jest-chaos';\n\nexport default withChaos({\n  projects: [{ displayName: 'a' }],\n});\n",
    );
  });

  test("only the object's own keys count: not comments, string values or nested objects", () => {
    expect(edit('jest.config.js', "module.exports = {\n  // preset: 'ts-jest' later\n  displayName: 'runner: fast',\n  globals: { reporters: 1 },\n};\n")).toBe(
      "module.exports = {\n  preset: 'jest-chaos',\n  // preset: 'ts-jest' later\n  displayName: 'runner: fast',\n  globals: { reporters: 1 },\n};\n",
    );
    expect(edit('jest.config.js', 'const reporters = [];\nmodule.exports = { bail: 1, reporters };\n')).toContain('withChaos({ bail: 1, reporters })');
    expect(edit('jest.config.js', 'module.exports = { "testEnvironment": "node" };\n')).toContain('withChaos(');
  });

  test('refuses shapes it cannot edit safely, naming the line', () => {
    expect(() => edit('jest.config.js', 'module.exports = makeConfig();\n')).toThrow(/^jest-chaos: cannot edit the Jest config in jest\.config\.js:1: /);
    expect(() => edit('jest.config.js', 'const a = {};\nmodule.exports = a;\nmodule.exports = {};\n')).toThrow(/jest\.config\.js:2: its export is not one/);
    expect(() => edit('jest.config.ts', 'export default async () => ({});\n')).toThrow(/export default withChaos\(config\);$/);
    // A regular expression literal with a brace leaves the braces unbalanced: refused, not corrupted.
    expect(() => edit('jest.config.js', 'module.exports = { testRegex: /}/ };\n')).toThrow(/cannot edit/);
  });
});

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
