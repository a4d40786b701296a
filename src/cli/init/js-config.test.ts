import { errorOf } from '../../../__tests__/support/thrown';
import { editJsConfig } from './js-config';

const edit = (file: string, text: string): string => editJsConfig(file, text).content;

describe('editJsConfig adds the preset first in the exported object', () => {
  test('in the file quote style and indentation', () => {
    expect(edit('jest.config.js', 'module.exports = {\n    verbose: true,\n};\n')).toBe("module.exports = {\n    preset: 'jest-chaos',\n    verbose: true,\n};\n");
    expect(edit('jest.config.js', 'module.exports = { verbose: "yes" };\n')).toBe('module.exports = { preset: "jest-chaos", verbose: "yes" };\n');
    expect(edit('jest.config.cjs', 'module.exports = {};\n')).toBe("module.exports = { preset: 'jest-chaos' };\n");
    expect(edit('jest.config.mjs', 'const config = { bail: 1 };\nexport default config;\n')).toBe("const config = { preset: 'jest-chaos', bail: 1 };\nexport default config;\n");
  });

  test('a regular expression literal, braces in strings and comments, template literals', () => {
    const text = [
      'module.exports = {',
      '  // a comment with a brace { and a quote \'',
      '  testRegex: /(\\/__tests__\\/.*|(\\.|\\/)(test|spec))\\.[jt]sx?$}/,',
      '  testPathIgnorePatterns: [`/fixtures/${"{"}/`, \'/}/\'], /* } */',
      '};',
      '',
    ].join('\n');
    expect(edit('jest.config.js', text)).toBe(text.replace('module.exports = {\n', "module.exports = {\n  preset: 'jest-chaos',\n"));
  });

  test('export default, with satisfies Config, and defineConfig', () => {
    const satisfies = "import type { Config } from 'jest';\n\nexport default {\n  testMatch: ['**/*.test.ts'],\n} satisfies Config;\n";
    expect(edit('jest.config.ts', satisfies)).toBe(satisfies.replace('export default {\n', "export default {\n  preset: 'jest-chaos',\n"));
    const define = "import { defineConfig } from 'jest';\n\nexport default defineConfig({\n\tbail: 1, // stop early\n});\n";
    expect(edit('jest.config.mts', define)).toBe(define.replace('defineConfig({\n', "defineConfig({\n\tpreset: 'jest-chaos',\n"));
  });

  test('a typed variable that is exported: const config: Config = { ... }; export default config', () => {
    const text = "import type { Config } from 'jest';\n\n/* the config */\nconst config: Config = {\n  bail: 1,\n};\n\nexport default config;\n";
    expect(edit('jest.config.ts', text)).toBe(text.replace('const config: Config = {\n', "const config: Config = {\n  preset: 'jest-chaos',\n"));
  });

  test("only the object's own keys count: not comments, string values or nested objects", () => {
    expect(edit('jest.config.js', "module.exports = {\n  // preset: 'ts-jest' later\n  displayName: 'runner: fast',\n  globals: { reporters: 1 },\n};\n")).toBe(
      "module.exports = {\n  preset: 'jest-chaos',\n  // preset: 'ts-jest' later\n  displayName: 'runner: fast',\n  globals: { reporters: 1 },\n};\n",
    );
  });

  test('CRLF line breaks stay CRLF', () => {
    expect(edit('jest.config.js', 'module.exports = {\r\n  bail: 1,\r\n};\r\n')).toBe("module.exports = {\r\n  preset: 'jest-chaos',\r\n  bail: 1,\r\n};\r\n");
  });
});

describe('editJsConfig wraps with withChaos when the config has a preset, projects, its own parts, or a spread', () => {
  test('module.exports, after use strict; the object keeps its text', () => {
    expect(edit('jest.config.js', "'use strict';\nmodule.exports = {\n  'preset': 'ts-jest',\n};\n")).toBe(
      "'use strict';\nconst { withChaos } = require('jest-chaos/config');\n\nmodule.exports = withChaos({\n  'preset': 'ts-jest',\n});\n",
    );
    expect(edit('jest.config.js', 'const reporters = [];\nmodule.exports = { bail: 1, reporters };\n')).toContain('withChaos({ bail: 1, reporters })');
    expect(edit('jest.config.js', 'module.exports = { "testEnvironment": "node" };\n')).toBe(
      'const { withChaos } = require("jest-chaos/config");\n\nmodule.exports = withChaos({ "testEnvironment": "node" });\n',
    );
  });

  test('after the leading imports and requires, inside defineConfig', () => {
    expect(edit('jest.config.mjs', "import base from './base.mjs';\n\nexport default defineConfig({ ...base });\n")).toBe(
      "import base from './base.mjs';\nimport { withChaos } from 'jest-chaos/config';\n\nexport default defineConfig(withChaos({ ...base }));\n",
    );
    const requires = "const base = require('./base'); // shared\nconst { join } = require('node:path');\n\nmodule.exports = { ...base, roots: [join(__dirname, 'src')] };\n";
    expect(edit('jest.config.js', requires)).toBe(
      "const base = require('./base'); // shared\nconst { join } = require('node:path');\nconst { withChaos } = require('jest-chaos/config');\n\nmodule.exports = withChaos({ ...base, roots: [join(__dirname, 'src')] });\n",
    );
  });

  test('after a header comment that a blank line ends (loader pragmas), before a comment that belongs to the export', () => {
    expect(edit('jest.config.ts', "/** @jest-config-loader esbuild-register */\n\nexport default {\n  projects: [{ displayName: 'a' }],\n};\n")).toBe(
      "/** @jest-config-loader esbuild-register */\n\nimport { withChaos } from 'jest-chaos';\n\nexport default withChaos({\n  projects: [{ displayName: 'a' }],\n});\n",
    );
    expect(edit('jest.config.js', "#!/usr/bin/env node\n/** @type {import('jest').Config} */\nmodule.exports = { preset: 'ts-jest' };\n")).toBe(
      "#!/usr/bin/env node\nconst { withChaos } = require('jest-chaos/config');\n\n/** @type {import('jest').Config} */\nmodule.exports = withChaos({ preset: 'ts-jest' });\n",
    );
  });

  test('TypeScript: satisfies Config, and an exported typed variable, importing the package root', () => {
    expect(edit('jest.config.ts', "import type { Config } from 'jest';\n\nexport default {\n  preset: 'ts-jest',\n} satisfies Config;\n")).toBe(
      "import type { Config } from 'jest';\nimport { withChaos } from 'jest-chaos';\n\nexport default withChaos({\n  preset: 'ts-jest',\n}) satisfies Config;\n",
    );
    expect(edit('jest.config.ts', "import type { Config } from 'jest';\n\nconst config: Config = {\n  preset: 'ts-jest',\n  testRegex: /\\.spec\\.ts$/,\n};\n\nexport default config;\n")).toBe(
      "import type { Config } from 'jest';\nimport { withChaos } from 'jest-chaos';\n\nconst config: Config = {\n  preset: 'ts-jest',\n  testRegex: /\\.spec\\.ts$/,\n};\n\nexport default withChaos(config);\n",
    );
  });

  test('a statement on the same line as the last require does not run before the import', () => {
    expect(edit('jest.config.js', "const base = require('./base'); module.exports = { ...base };")).toBe(
      "const base = require('./base');\nconst { withChaos } = require('jest-chaos/config');\n module.exports = withChaos({ ...base });",
    );
  });
});

describe('editJsConfig refuses', () => {
  test('shapes it cannot edit safely, naming the line', () => {
    expect(() => edit('jest.config.js', 'module.exports = makeConfig();\n')).toThrow(/^jest-chaos: cannot edit the Jest config in jest\.config\.js:1: /);
    expect(() => edit('jest.config.js', 'const a = {};\nmodule.exports = a;\nmodule.exports = {};\n')).toThrow(/jest\.config\.js:2: its export is not one/);
    expect(() => edit('jest.config.ts', 'export default async () => ({});\n')).toThrow(/export default withChaos\(config\);$/);
    expect(() => edit('jest.config.js', "const config = require('./base');\nmodule.exports = config;\n")).toThrow(/jest\.config\.js:2: its export is not one/);
  });

  test('a file that does not parse, with the line and column', () => {
    expect(errorOf(() => edit('jest.config.js', 'module.exports = {\n  bail: 1\n  verbose: true,\n};\n')).message).toBe(
      'jest-chaos: cannot edit the Jest config in jest.config.js:3:3: it does not parse (Unexpected token, expected ","). Nothing was written. Fix it (Jest cannot load it either) and run jest-chaos init again.',
    );
  });

  test('a non-Node testEnvironment, in the config or one of its projects', () => {
    expect(() => edit('jest.config.js', "module.exports = {\n  preset: 'ts-jest',\n  testEnvironment: 'jsdom',\n};\n")).toThrow(/^jest-chaos: cannot add jest-chaos to jest\.config\.js:3: testEnvironment "jsdom" is not Node's/);
    expect(() => edit('jest.config.js', "module.exports = { projects: [{ testEnvironment: 'node' }, { testEnvironment: 'jsdom' }] };\n")).toThrow(/jest\.config\.js:1: testEnvironment "jsdom"/);
  });
});
