import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { docBlocks } from '../support/doc-blocks';
import { canIsolateNetwork } from '../support/jest-majors';
import { FIXTURES, loopbackOnly, runJest, statuses } from '../support/run-jest';
import { runProcess, withoutRunVariables } from '../support/run-process';

/**
 * `jest-chaos init` on fixture projects copied to temp dirs: what it prints and writes, its refusals,
 * and that the config it leaves behind is loaded by a real Jest with the chaos environment, runner and
 * reporter (jest-chaos resolves from this repository through node_modules/jest-chaos).
 */
const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const INIT_FIXTURES = path.join(FIXTURES, 'init');
const TEMPLATES = path.join(ROOT, 'docs', 'ci');
const WORKFLOWS = ['chaos-everyday.yml', 'chaos-scheduled.yml'];
const LINKED = ['jest', 'ts-jest', 'typescript', '@types'];

jest.setTimeout(60_000);

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A copy of a fixture project with the shared test files and node_modules links to jest, ts-jest and jest-chaos. */
function makeProject(fixture: string, typed = false): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `jest-chaos-init-${fixture}-`));
  made.push(dir);
  cpSync(path.join(INIT_FIXTURES, fixture), dir, { recursive: true });
  // The TypeScript test file only where ts-jest must show it still works: compiling it takes seconds.
  for (const name of ['plain.test.js', 'refused.test.js', ...(typed ? ['typed.test.ts'] : [])]) cpSync(path.join(INIT_FIXTURES, '_tests', name), path.join(dir, name));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(ROOT, path.join(dir, 'node_modules', 'jest-chaos'), 'dir');
  for (const name of LINKED) symlinkSync(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
  return dir;
}

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(cwd: string, args: readonly string[]): Promise<CliRun> {
  return runProcess(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
const template = (name: string) => readFileSync(path.join(TEMPLATES, name), 'utf8');

/**
 * Jest loads jest.config.ts through ts-node (type-checked, CommonJS), which this machine does not have:
 * type-check the file the same way, then load its CommonJS transpilation with Jest.
 */
function compileTsConfig(dir: string): string {
  const file = path.join(dir, 'jest.config.ts');
  const options: ts.CompilerOptions = { noEmit: true, strict: true, skipLibCheck: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, types: [] };
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([file], options)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diagnostics).toEqual([]);
  const output = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
  writeFileSync(path.join(dir, 'jest.config.loaded.cjs'), output.outputText);
  return 'jest.config.loaded.cjs';
}

const PLAIN = 'plain test';
const CHAOS = 'chaos: the rule refuses the call';
const TYPED = 'TypeScript test file through ts-jest';

interface Case {
  readonly fixture: string;
  readonly file: string;
  readonly verb: 'changed' | 'created';
  readonly note: string;
  /** The config file after init: exact text, or the parsed JSON (package.json: its "jest" key). */
  readonly expected: string | Record<string, unknown>;
  readonly tests: Record<string, string>;
}

const cases: Case[] = [
  {
    fixture: 'js',
    file: 'jest.config.js',
    verb: 'changed',
    note: "added preset: 'jest-chaos'",
    expected: `/** @type {import('jest').Config} */
module.exports = {
  preset: 'jest-chaos',
  testMatch: ['**/*.test.js'],
  // a comment with a brace { that must not confuse the edit
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/{ignored}/', /\\/generated\\/\\{[a-z]+\\}\\//.source],
};
`,
    tests: { [PLAIN]: 'passed', [CHAOS]: 'passed' },
  },
  {
    fixture: 'ts',
    file: 'jest.config.ts',
    verb: 'changed',
    note: "added preset: 'jest-chaos'",
    expected: `import type { Config } from 'jest';

export default {
  preset: 'jest-chaos',
  testMatch: ['**/*.test.js'],
} satisfies Config;
`,
    tests: { [PLAIN]: 'passed', [CHAOS]: 'passed' },
  },
  {
    fixture: 'ts-jest-ts',
    file: 'jest.config.ts',
    verb: 'changed',
    note: 'wrapped the exported config with withChaos(...)',
    expected: `import type { Config } from 'jest';
import { withChaos } from 'jest-chaos';

const config: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  testMatch: ['**/*.test.[jt]s'],
};

export default withChaos(config);
`,
    tests: { [PLAIN]: 'passed', [CHAOS]: 'passed' },
  },
  {
    fixture: 'ts-jest',
    file: 'jest.config.js',
    verb: 'changed',
    note: 'wrapped the exported config with withChaos(...)',
    expected: `const { withChaos } = require('jest-chaos/config');

module.exports = withChaos({
  preset: 'ts-jest',
  testMatch: ['**/*.test.[jt]s'],
});
`,
    tests: { [PLAIN]: 'passed', [CHAOS]: 'passed', [TYPED]: 'passed' },
  },
  {
    fixture: 'esm',
    file: 'jest.config.js',
    verb: 'changed',
    note: 'wrapped the exported config with withChaos(...)',
    expected: `import { withChaos } from 'jest-chaos/config';

const config = {
  testMatch: ['**/*.test.js'],
  reporters: ['default'],
};

export default withChaos(config);
`,
    tests: { [PLAIN]: 'passed', [CHAOS]: 'passed' },
  },
  {
    fixture: 'json',
    file: 'jest.config.json',
    verb: 'changed',
    note: "added preset: 'jest-chaos'",
    expected: { preset: 'jest-chaos', testMatch: ['**/*.test.js'], verbose: true },
    tests: { [PLAIN]: 'passed', [CHAOS]: 'passed' },
  },
  {
    fixture: 'package-json',
    file: 'package.json',
    verb: 'changed',
    note: `"jest": set testEnvironment, runner, reporters and the nock mapping to jest-chaos's (preset "ts-jest" kept)`,
    expected: {
      preset: 'ts-jest',
      testMatch: ['**/*.test.[jt]s'],
      testEnvironment: 'jest-chaos/environment',
      runner: 'jest-chaos/runner',
      reporters: ['default', 'jest-chaos/reporter'],
      moduleNameMapper: { '^nock$': 'jest-chaos/nock' },
    },
    tests: { [PLAIN]: 'passed', [CHAOS]: 'passed', [TYPED]: 'passed' },
  },
  {
    fixture: 'none',
    file: 'jest.config.js',
    verb: 'created',
    note: "preset: 'jest-chaos'",
    expected: `/** @type {import('jest').Config} */\nmodule.exports = { preset: 'jest-chaos' };\n`,
    tests: { [PLAIN]: 'passed', [CHAOS]: 'passed' },
  },
];

describe.each(cases)('jest-chaos init on the $fixture fixture', ({ fixture, file, verb, note, expected, tests }) => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject(fixture, TYPED in tests);
  });

  test(`${verb} ${file}, copies the workflows, ignores the reports and prints every file`, async () => {
    const before = existsSync(path.join(dir, file)) ? read(dir, file) : undefined;
    const run = await runCli(dir, ['init']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      `jest-chaos init in ${dir}:`,
      `  ${verb} ${file} (${note})`,
      '  created .github/workflows/chaos-everyday.yml',
      '  created .github/workflows/chaos-scheduled.yml',
      '  created .gitignore (chaos-report.json, chaos-report.html)',
    ]);
    expect(read(dir, '.gitignore')).toBe('chaos-report.json\nchaos-report.html\n');
    if (typeof expected === 'string') expect(read(dir, file)).toBe(expected);
    else if (file === 'package.json') {
      const pkg = JSON.parse(read(dir, file)) as Record<string, unknown>;
      expect(pkg.jest).toEqual(expected);
      // Everything else in package.json stays, in its order.
      const original = JSON.parse(before ?? '{}') as Record<string, unknown>;
      expect(Object.keys(pkg)).toEqual(Object.keys(original));
      expect({ ...pkg, jest: undefined }).toEqual({ ...original, jest: undefined });
    } else expect(JSON.parse(read(dir, file))).toEqual(expected);
    for (const name of WORKFLOWS) expect(read(dir, path.join('.github', 'workflows', name))).toBe(template(name));
  });

  test('the config loads in Jest with the chaos environment, runner and reporter', async () => {
    const args = file === 'jest.config.ts' ? ['--config', compileTsConfig(dir)] : [];
    // No CHAOS_SEED: the chaos runner draws one and says so.
    const run = await runJest(dir, args, { CHAOS_ENABLED: '1' });
    expect(statuses(run)).toEqual(tests);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/jest-chaos: chaos enabled with base seed \d+ \(drawn\)/);
    // The reporter's summary and its JSON report.
    expect(run.stderr).toMatch(/jest-chaos: base seed \d+; 1 chaos test ran, 0 failed/);
    expect(run.stderr).toContain('1 × http.refused api.example.com');
    expect(existsSync(path.join(dir, 'chaos-report.json'))).toBe(true);
  });

  test('a second run refuses: exit 1, a jest-chaos message, nothing written', async () => {
    const config = read(dir, file);
    const run = await runCli(dir, ['init']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `jest-chaos: not overwriting ${file} in ${dir}: ${file} already uses jest-chaos.\n` +
        'jest-chaos: nothing was written. Run jest-chaos init --force to overwrite the workflow files (a config that already uses jest-chaos is left as it is).\n',
    );
    expect(read(dir, file)).toBe(config);
  });

  test('--force leaves the config that already uses jest-chaos as it is', async () => {
    const config = read(dir, file);
    const run = await runCli(dir, ['init', '--force']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`  unchanged ${file} (already uses jest-chaos; left as it is)\n`);
    expect(run.stdout).toContain('  unchanged .github/workflows/chaos-scheduled.yml (already the current template)\n');
    expect(run.stdout).toContain('  unchanged .gitignore (already lists the chaos reports)\n');
    expect(read(dir, file)).toBe(config);
    expect(read(dir, '.gitignore')).toBe('chaos-report.json\nchaos-report.html\n');
  });
});

describe('jest-chaos init refusals and options', () => {
  test('--dry-run prints what it would do and writes nothing', async () => {
    const dir = makeProject('js');
    const config = read(dir, 'jest.config.js');
    const run = await runCli(dir, ['init', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 5)).toEqual([
      `jest-chaos init --dry-run (nothing written) in ${dir}:`,
      "  would change jest.config.js (added preset: 'jest-chaos')",
      '  would create .github/workflows/chaos-everyday.yml',
      '  would create .github/workflows/chaos-scheduled.yml',
      '  would create .gitignore (chaos-report.json, chaos-report.html)',
    ]);
    expect(read(dir, 'jest.config.js')).toBe(config);
    expect(existsSync(path.join(dir, '.github'))).toBe(false);
    expect(existsSync(path.join(dir, '.gitignore'))).toBe(false);
  });

  test('a workflow file that differs from the template is not overwritten without --force', async () => {
    const dir = makeProject('none');
    const own = 'name: our own chaos workflow\n';
    mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(path.join(dir, '.github', 'workflows', 'chaos-scheduled.yml'), own);

    const refused = await runCli(dir, ['init']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`jest-chaos: not overwriting .github/workflows/chaos-scheduled.yml in ${dir}: .github/workflows/chaos-scheduled.yml exists and differs from the template.\n`);
    // All or nothing: neither the config nor the other workflow was written.
    expect(existsSync(path.join(dir, 'jest.config.js'))).toBe(false);
    expect(existsSync(path.join(dir, '.github', 'workflows', 'chaos-everyday.yml'))).toBe(false);
    expect(read(dir, '.github/workflows/chaos-scheduled.yml')).toBe(own);

    const forced = await runCli(dir, ['init', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("  created jest.config.js (preset: 'jest-chaos')\n");
    expect(forced.stdout).toContain('  overwrote .github/workflows/chaos-scheduled.yml\n');
    expect(read(dir, '.github/workflows/chaos-scheduled.yml')).toBe(template('chaos-scheduled.yml'));
  });

  test('a config shape it cannot edit safely is refused with the line to add', async () => {
    const dir = makeProject('unrecognised');
    const config = read(dir, 'jest.config.js');
    const run = await runCli(dir, ['init']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'jest-chaos: cannot edit the Jest config in jest.config.js:1: its export is not one that init changes safely ' +
        '(module.exports = { ... }, export default { ... }, defineConfig({ ... }), or an exported variable that holds an object). ' +
        'Nothing was written. To add jest-chaos yourself, add this line at the end of jest.config.js:\n' +
        "  module.exports = require('jest-chaos/config').withChaos(module.exports);\n" +
        '(when the config exports a function, wrap the object it returns with withChaos instead)\n',
    );
    expect(read(dir, 'jest.config.js')).toBe(config);
    expect(existsSync(path.join(dir, '.github'))).toBe(false);
  });

  test('--cwd, --no-workflows, an existing .gitignore, --help and unknown options', async () => {
    const dir = makeProject('json');
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n/chaos-report.json');
    const run = await runCli(os.tmpdir(), ['init', '--cwd', dir, '--no-workflows']);
    expect(run.code).toBe(0);
    // Nothing about the workflows it did not write: no advice to delete one, no lockfile warning.
    expect(run.stdout).toBe(
      `jest-chaos init in ${dir}:\n  changed jest.config.json (added preset: 'jest-chaos')\n  changed .gitignore (added chaos-report.html)\n\n` +
        'Next: `npx jest` runs as before, with chaos tests skipped; `CHAOS_ENABLED=1 npx jest` runs them.\n',
    );
    expect(existsSync(path.join(dir, '.github'))).toBe(false);
    expect(read(dir, '.gitignore')).toBe('node_modules/\n/chaos-report.json\nchaos-report.html\n');

    const help = await runCli(dir, ['init', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: jest-chaos init \[--cwd <dir>\] \[--dry-run\] \[--force\] \[--no-workflows\]/);

    const unknown = await runCli(dir, ['init', '--forse']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'jest-chaos: unknown option "--forse" in the jest-chaos init command line. Valid options: --cwd <dir>, --dry-run, --force, --no-workflows, --agent, --help (-h). Did you mean "--force"?\n',
    );

    const missing = await runCli(dir, ['init', '--cwd', path.join(dir, 'nowhere')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`jest-chaos: cannot run jest-chaos init in ${path.join(dir, 'nowhere')}: no such directory. Pass an existing project directory with --cwd <dir>.\n`);
  });

  test('a non-Node testEnvironment is refused; an ESM package gets an ESM config', async () => {
    const jsdom = makeProject('js');
    writeFileSync(path.join(jsdom, 'jest.config.js'), "module.exports = {\n  preset: 'ts-jest',\n  testEnvironment: 'jsdom',\n};\n");
    const refused = await runCli(jsdom, ['init']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^jest-chaos: cannot add jest-chaos to jest\.config\.js:3: testEnvironment "jsdom" is not Node's/);
    expect(read(jsdom, 'jest.config.js')).toContain("testEnvironment: 'jsdom'");

    const esm = makeProject('none');
    writeFileSync(path.join(esm, 'package.json'), '{ "name": "esm-none", "type": "module" }\n');
    const created = await runCli(esm, ['init', '--no-workflows']);
    expect(created.code).toBe(0);
    expect(read(esm, 'jest.config.js')).toBe(`/** @type {import('jest').Config} */\nexport default { preset: 'jest-chaos' };\n`);
  });

  test('in a package below the repository root, it says where GitHub reads workflows', async () => {
    const repo = makeProject('json');
    mkdirSync(path.join(repo, '.git'));
    const pkg = path.join(repo, 'packages', 'api');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), '{ "name": "api" }\n');
    const run = await runCli(pkg, ['init']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `note: ${pkg} is not the repository root (${repo}). GitHub reads workflows only from ${path.join(repo, '.github', 'workflows')}: move them there and add defaults.run.working-directory: packages/api to each job.`,
    );
  });

  test('two Jest configs are refused, as Jest refuses them', async () => {
    const dir = makeProject('json');
    writeFileSync(path.join(dir, 'jest.config.js'), 'module.exports = {};\n');
    const run = await runCli(dir, ['init']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`jest-chaos: found several Jest configs in ${dir}: jest.config.js, jest.config.json. Jest refuses to choose between them; keep one and run jest-chaos init again.\n`);
  });
});

describe('jest-chaos init in a yarn project (yarn.lock)', () => {
  const YARN = '1.22.22';
  let dir: string;
  let yarnBin: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-init-yarn-'));
    made.push(dir);
    cpSync(path.join(INIT_FIXTURES, 'yarn'), dir, { recursive: true });
    for (const name of ['plain.test.js', 'refused.test.js']) cpSync(path.join(INIT_FIXTURES, '_tests', name), path.join(dir, name));
    // Yarn 1 itself, from the registry through npm, outside the project.
    const tools = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-yarn-'));
    made.push(tools);
    writeFileSync(path.join(tools, 'package.json'), `${JSON.stringify({ name: 'tools', private: true, dependencies: { yarn: YARN } })}\n`);
    const install = await runProcess('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: tools, env: process.env });
    if (install.code !== 0) throw new Error(`npm install yarn@${YARN} exited with ${String(install.code)}:\n${install.output.slice(-3000)}`);
    yarnBin = path.join(tools, 'node_modules', 'yarn', 'bin');
  }, 120_000);

  test('writes workflows that install and run with yarn, and says so', async () => {
    const run = await runCli(dir, ['init']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `jest-chaos init in ${dir}:`,
        "  changed jest.config.js (added preset: 'jest-chaos')",
        '  created .github/workflows/chaos-everyday.yml (for yarn: yarn.lock)',
        '  created .github/workflows/chaos-scheduled.yml (for yarn: yarn.lock)',
        '  created .gitignore (chaos-report.json, chaos-report.html)',
        '',
        'Next: `yarn jest` runs as before, with chaos tests skipped; `CHAOS_ENABLED=1 yarn jest` runs them.',
        'Keep your existing CI workflow if it already runs `yarn jest`, and delete .github/workflows/chaos-everyday.yml then.',
        '',
      ].join('\n'),
    );
    const everyday = read(dir, '.github/workflows/chaos-everyday.yml');
    const scheduled = read(dir, '.github/workflows/chaos-scheduled.yml');
    for (const workflow of [everyday, scheduled]) {
      expect(workflow).not.toMatch(/\bnp[mx]\b/);
      expect(workflow).toContain('cache: yarn');
    }
    const steps = (parse(everyday) as { jobs: { test: { steps: { run?: string }[] } } }).jobs.test.steps.flatMap((step) => (step.run === undefined ? [] : [step.run]));
    expect(steps).toEqual(['yarn install --frozen-lockfile', 'yarn jest-chaos check', 'yarn jest --ci']);

    // A second run finds its own yarn workflows current.
    const again = await runCli(dir, ['init', '--force']);
    expect(again.stdout).toContain('  unchanged .github/workflows/chaos-everyday.yml (already the current template)\n');
  });

  test("the everyday workflow's commands pass with Yarn 1, loopback only", async () => {
    const steps = (parse(read(dir, '.github/workflows/chaos-everyday.yml')) as { jobs: { test: { steps: { run?: string }[] } } }).jobs.test.steps.flatMap((step) => (step.run === undefined ? [] : [step.run]));
    const env = withoutRunVariables({ PATH: `${yarnBin}${path.delimiter}${process.env.PATH ?? ''}`, FORCE_COLOR: '0', CI: 'true', YARN_DISABLE_SELF_UPDATE_CHECK: 'true' });
    const isolated = await canIsolateNetwork();
    const step = (script: string) => {
      const [command, args] = isolated ? loopbackOnly('bash', ['-e', '-c', script]) : ['bash', ['-e', '-c', script]];
      return runProcess(command, args, { cwd: dir, env });
    };
    const [install, ...rest] = steps;
    // The install against the fixture's lockfile (no dependencies: nothing to fetch)...
    const installed = await step(install as string);
    expect([installed.code, installed.output]).toEqual([0, expect.stringContaining('yarn install v1.22.22')]);
    // ...then node_modules as a real install of jest and jest-chaos would leave it, for `yarn <bin>`.
    mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(ROOT, path.join(dir, 'node_modules', 'jest-chaos'), 'dir');
    for (const name of LINKED) symlinkSync(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
    for (const [bin, target] of [['jest', require.resolve('jest/bin/jest')], ['jest-chaos', CLI]] as const) {
      writeFileSync(path.join(dir, 'node_modules', '.bin', bin), `#!/bin/sh\nexec "${process.execPath}" "${target}" "$@"\n`);
      chmodSync(path.join(dir, 'node_modules', '.bin', bin), 0o755);
    }
    const [check, jestRun] = [await step(rest[0] as string), await step(rest[1] as string)];
    expect([check.code, check.output]).toEqual([0, expect.stringContaining('jest-chaos check: 1 chaos suite checked, 0 with errors.')]);
    expect([jestRun.code, jestRun.output]).toEqual([0, expect.stringMatching(/Tests: +1 passed, 1 total[\s\S]*skipped 1 chaos suite/)]);
  }, 120_000);
});

describe("init's JS parser loads only for init", () => {
  /** The files that `require`-ing `files`, then running `then`, left in a fresh Node's module cache. */
  async function loaded(files: readonly string[], then = ''): Promise<string[]> {
    const script = `for (const file of process.argv.slice(1)) require(file);\n${then}\nprocess.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
    const run = await runProcess(process.execPath, ['-e', script, ...files], { cwd: ROOT, env: process.env });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as string[];
  }
  const PARSER = `${path.sep}node_modules${path.sep}@babel${path.sep}parser${path.sep}`;
  const CLI_DIR = path.join(ROOT, 'dist', 'src', 'cli') + path.sep;

  test('the preset, environment, runner, reporter, config helper and package root load neither init nor the parser', async () => {
    const entries = ['jest-preset.js', 'dist/environments/node.js', 'dist/src/runner/chaos-runner.js', 'dist/src/reporter/chaos-reporter.js', 'dist/src/config/with-chaos.js', 'dist/src/index.js'];
    const files = await loaded(entries.map((entry) => path.join(ROOT, entry)));
    expect(files.filter((file) => file.includes(PARSER) || file.startsWith(CLI_DIR))).toEqual([]);
  });

  test('init loads the parser for a JS config, not for a JSON one', async () => {
    const configFiles = path.join(CLI_DIR, 'init', 'config-files.js');
    const edit = (fixture: string) => `require(${JSON.stringify(configFiles)}).configAction(${JSON.stringify(path.join(INIT_FIXTURES, fixture))}, false);`;
    expect((await loaded([], edit('js'))).some((file) => file.includes(PARSER))).toBe(true);
    expect((await loaded([], edit('json'))).some((file) => file.includes(PARSER))).toBe(false);
  });
});

describe('docs/ci.md', () => {
  test('every code block of the init section is what init prints', async () => {
    const shown = (dir: string, run: CliRun) => `$ npx jest-chaos init\n${(run.stdout + run.stderr).split(dir).join('/home/me/shop')}`;
    const project = makeProject('js');
    const refused = makeProject('unrecognised');
    const expected = new Map<string, string>([
      ['init', shown(project, await runCli(project, ['init']))],
      ['refused', shown(refused, await runCli(refused, ['init']))],
    ]);
    expect(new Map([...docBlocks(__filename, 'docs/ci.md')].map(([name, block]) => [name, block.text]))).toEqual(expected);
  });
});
