import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseSuite } from '../src/pragma/parse';
import { checkBuilderTarget } from '../src/rules/builder';
import { parseRule } from '../src/rules/parse';
import { storeTargetError } from '../src/rules/store-target';
import { TCP_KINDS, type StoreRule } from '../src/rules/types';
import { realmClock } from '../src/runtime/clock';
import { TestChaos } from '../src/runtime/test-chaos';
import { chaosRequests, TEST_NAME_PATTERN_VARIABLE } from '../src/selection/chaos-request';
import { emptySelectionError, noTestSelectedError, unknownTagsError } from '../src/selection/check-tags';
import { enabledByLine, parseEnabled, parseSeed, parseSwitch, readSettings } from '../src/settings/env';
import { readEnvironmentOptions } from '../src/settings/environment-options';
import { MethodFaults } from '../src/stub/method-faults';
import { parseTagExpression } from '../src/tags/expression';
import { TS7_ALIASES } from './support/compat-cells';
import { docBlock, docBlocks, readBlocks, REPO } from './support/doc-blocks';
import { runJest, statuses, type JestRun } from './support/run-jest';
import { errorOf } from './support/thrown';

/**
 * The messages, pragmas and grammars that the docs show, each compared with what jest-chaos's own code
 * produces for the case the doc describes (messages byte for byte) or parsed by jest-chaos's parsers.
 */

/** A block's text per id, as a test compares it with what it produced. */
const texts = (blocks: ReturnType<typeof docBlocks>): Record<string, string> => Object.fromEntries([...blocks].map(([id, block]) => [id, block.text]));
const line = (text: string): string => `${text}\n`;
const thrown = (run: () => unknown): string => line(errorOf(run).message);
/** Whether `run` returns without throwing. */
const succeeds = (run: () => unknown): boolean => {
  try {
    run();
    return true;
  } catch {
    return false;
  }
};

const tagged = (source: string) => parseTagExpression(source, 'CHAOS_TAGS');
const KNOWN_TAGS = ['chaos', 'db-slow', 'integration', 'upstream'];
const unknownTag = () => line(unknownTagsError(tagged('integraton'), KNOWN_TAGS)!.message);
const emptySelection = () => line(emptySelectionError(tagged('integration and db-slow'), 4, 0).message);
const enabledByPattern = () => line(enabledByLine(chaosRequests('chaos', undefined)[0]!));

/** A docblock whose `line`-th line (1-based) is `pragma`, parsed as the file `file`. */
const pragmaOnLine = (file: string, lineNumber: number, pragma: string): string =>
  thrown(() => parseSuite(['/**', ...Array.from({ length: lineNumber - 2 }, () => ' * @chaos http.timeout *'), ` * ${pragma}`, ' */', ''].join('\n'), file));

test('docs/troubleshooting.md: each message is what jest-chaos raises for the case it describes', () => {
  const registered = [
    { domain: 'db', name: 'primary' },
    { domain: 'db', name: 'replica' },
  ];
  const store = { domain: 'db', kind: 'down', target: 'primray', source: 'db.down primray', origin: 'orders.test.js:2' } as const;
  const { guard, outside, ...pure } = texts(docBlocks(__filename, 'docs/troubleshooting.md'));
  expect([guard, outside].every((text) => text !== undefined)).toBe(true);
  expect(pure).toEqual({
    'enabled-maybe': thrown(() => parseEnabled('maybe')),
    'seed-fraction': thrown(() => parseSeed('1.5', 'the environment')),
    'tags-typo': thrown(() => tagged('chaos adn db')),
    'option-typo': thrown(() => readEnvironmentOptions({ allowNetconnect: [] }, 'the Jest config of /home/me/shop')),
    'enabled-by-pattern': enabledByPattern(),
    'conflict-off': thrown(() => readSettings({ CHAOS_ENABLED: 'off', CHAOS_TAGS: 'chaos' })),
    'unknown-tag': unknownTag(),
    'empty-selection': emptySelection(),
    'store-target': line(storeTargetError(store as Pick<StoreRule, 'domain' | 'kind' | 'target' | 'source' | 'origin'>, registered)!.message),
    'builder-target': thrown(() => checkBuilderTarget('a.example.com p=0', 'chaos.http()', 'a.test.js:3')),
    'ms-range': thrown(() => parseRule('http.latency api.example.com ms=3000000000', 'm01-ms-above-timers.test.js:2')),
    'seed-negative': pragmaOnLine('seed.test.js', 5, '@chaos-seed -1'),
    'strict-maybe': thrown(() => parseSwitch('CHAOS_STRICT', 'maybe', 'strict mode')),
  });
});

test('docs/selection.md: each message is what jest-chaos raises for the case it describes', () => {
  const notChaos = tagged('not chaos');
  const tests = [
    { tags: ['chaos'], skipped: 'tags' as const },
    { tags: ['chaos'], skipped: 'tags' as const },
  ];
  expect(texts(docBlocks(__filename, 'docs/selection.md'))).toEqual({
    'enabled-by-pattern': enabledByPattern(),
    'conflict-0': thrown(() => readSettings({ CHAOS_ENABLED: '0', [TEST_NAME_PATTERN_VARIABLE]: 'chaos' })),
    'unknown-tag': unknownTag(),
    'empty-selection': emptySelection(),
    'no-test-selected': line(noTestSelectedError(notChaos, 1, 0, tests)!.message),
  });
});

test('docs/selection-and-tags.md: the syntax error, and every operator of the grammar parses', () => {
  const blocks = docBlocks(__filename, 'docs/selection-and-tags.md');
  // The summary lines are checked with the docs project below.
  expect([...blocks.keys()].sort()).toEqual(['disabled-line', 'enabled-line', 'grammar', 'syntax-error']);
  expect(blocks.get('syntax-error')!.text).toBe(thrown(() => tagged('chaos &')));
  // Each quoted token of the grammar is an operator that the parser takes where the grammar puts it.
  const operators = [...blocks.get('grammar')!.text.matchAll(/"([^"]+)"/g)].map((match) => match[1]!);
  expect(operators).toEqual(['or', '||', 'and', '&&', 'not', '!', '(', ')', '-', '_']);
  for (const [source, matches] of [
    ['a or b', ['b']],
    ['a || b', ['b']],
    ['a and b', ['a', 'b']],
    ['a && b', ['a', 'b']],
    ['not a', ['b']],
    ['!a', ['b']],
    ['( a )', ['a']],
    ['db-slow_2', ['db-slow_2']],
  ] as const) {
    expect({ source, matches: tagged(source).matches(new Set(matches)) }).toEqual({ source, matches: true });
  }
});

test('docs/pragmas-and-rules.md: the example pragmas parse, the messages are the parsers\'', () => {
  const blocks = docBlocks(__filename, 'docs/pragmas-and-rules.md');
  expect([...blocks.keys()].sort()).toEqual(['example', 'grammar', 'priority-typo', 'rule-errors']);
  const suite = parseSuite(blocks.get('example')!.text, 'payments.test.js');
  expect(suite.rules.map((rule) => rule.source)).toEqual(['http.timeout api.example.com', 'http.latency * ms=1000-5000 p=0.3', 'db.down primary']);
  expect([suite.seed, suite.priority, suite.tags]).toEqual([42, 'A', expect.arrayContaining(['chaos', 'integration', 'payments'])]);
  expect(blocks.get('grammar')!.text).toBe('rule    := domain "." kind [target] {option}\noption  := key "=" value\n');
  expect(parseRule('http.status api.example.com status=503', 'grammar').source).toBe('http.status api.example.com status=503');
  const payments = (n: number) => `__tests__/payments.test.js:${n}`;
  expect(blocks.get('rule-errors')!.text).toBe(
    [
      thrown(() => parseRule('http.timout api.example.com', payments(3))),
      thrown(() => parseRule('http.latency 500', payments(4))),
      thrown(() => parseRule('http.hang ms=100', payments(5))),
      thrown(() => parseRule('cache.refused', payments(6))),
      thrown(() => parseRule('http.timeout ftp://api.example.com', payments(7))),
      thrown(() => parseRule('http.retry', '__tests__/orders.test.js:3 (chaos.test "retries")')),
    ].join(''),
  );
  expect(blocks.get('priority-typo')!.text).toBe(pragmaOnLine('__tests__/payments.test.js', 6, '@chaos-priority a'));
});

test('docs/seams.md: a latency above what a synchronous seam may block is refused with this message', async () => {
  const blocks = docBlocks(__filename, 'docs/seams.md');
  expect([...blocks.keys()]).toEqual(['sync-latency']);
  const test = new TestChaos(1, 'unit', realmClock(globalThis));
  const db = { getPrimaryConnection: () => ({ servedBy: 'primary' }) };
  const rule = parseRule('db.latency primary ms=2000', 'orders.test.js:2') as StoreRule;
  expect(blocks.get('sync-latency')!.text).toBe(thrown(() => new MethodFaults(test).add(db, 'getPrimaryConnection', 'db primary', test.createState(rule), 'auto')));
  await test.dispose();
});

test('docs/troubleshooting.md and docs/tcp-faults.md: the loopback guards and a chaos call outside a chaos test say what the docs show, in a real Jest run', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-docs-shown-'));
  try {
    mkdirSync(path.join(dir, '__tests__'));
    writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = { preset: ${JSON.stringify(path.join(REPO, 'jest-preset.js'))}, rootDir: __dirname };\n`);
    const keep = (name: string, expression: string) => `require('fs').writeFileSync(${JSON.stringify(path.join(dir, name))}, ${expression});`;
    writeFileSync(
      path.join(dir, '__tests__', 'guard.test.js'),
      `chaos.test('an unmocked host', [], async () => {\n  const error = await fetch('https://elsewhere.example.org/').catch((e) => e);\n  ${keep('guard.txt', 'error.message')}\n});\n`,
    );
    writeFileSync(
      path.join(dir, '__tests__', 'socket.test.js'),
      `chaos.test('a socket to another host', [], async () => {\n  const error = await new Promise((resolve) => require('net').connect(5432, 'db.example.com').on('error', resolve));\n  ${keep('socket.txt', 'error.message')}\n});\n`,
    );
    writeFileSync(path.join(dir, '__tests__', 'orders.test.js'), `try {\n  chaos.http('api.example.com');\n} catch (error) {\n  ${keep('outside.txt', 'error.message')}\n}\ntest('runs', () => {});\n`);
    const run = await runJest(dir, [], { CHAOS_ENABLED: '1', CHAOS_SEED: '1' });
    expect(statuses(run)).toEqual({ 'chaos: an unmocked host': 'passed', 'chaos: a socket to another host': 'passed', runs: 'passed' });
    const blocks = docBlocks(__filename, 'docs/troubleshooting.md');
    expect(blocks.get('guard')!.text).toBe(line(readFileSync(path.join(dir, 'guard.txt'), 'utf8')));
    expect(blocks.get('outside')!.text).toBe(line(readFileSync(path.join(dir, 'outside.txt'), 'utf8')));
    expect(docBlocks(__filename, 'docs/tcp-faults.md').get('guard')!.text).toBe(line(readFileSync(path.join(dir, 'socket.txt'), 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

/** A project in a temporary folder that resolves `jest-chaos` to this checkout, as an installed package would. */
function project(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-docs-project-'));
  made.push(dir);
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(REPO, path.join(dir, 'node_modules', 'jest-chaos'), 'dir');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** The chaos summary's first line. */
const headOf = (stderr: string): string => line(stderr.slice(stderr.lastIndexOf('\njest-chaos: ') + 1).split('\n')[0]!);

describe('a project with the docs\' snippets, run by Jest with chaos disabled and enabled', () => {
  const api = docBlocks(__filename, 'docs/api.md');
  const imports = api.get('imports')!.text.split('\n');
  const slow = '/**\n * @chaos http.timeout *\n * @tag slow\n */\ntest(\'not selected\', () => {});\n';
  const files = {
    'jest.config.js': "module.exports = { preset: 'jest-chaos' };\n",
    '__tests__/billing.test.js': "test('formats a price', () => {});\nchaos.test('charges the card once', [], () => {\n  expect('charged twice').toBe('charged once');\n});\n",
    '__tests__/api.test.js': [
      // The CommonJS line of docs/api.md, in a scope of its own: it gives the API that the global is.
      `chaos.test('the import of docs/api.md', [], () => {\n  ${imports[1]}\n  expect(typeof chaos.http).toBe('function');\n});`,
      `chaos.test('the declarations of docs/api.md', [], () => {\n  expect([typeof chaos.test, typeof chaos.it, typeof chaos.describe]).toEqual(['function', 'function', 'function']);\n});`,
      '',
    ].join('\n'),
    '__tests__/slow-a.test.js': slow,
    '__tests__/slow-b.test.js': slow,
  };
  let dir: string;
  let disabled: JestRun;
  let enabled: JestRun;
  beforeAll(async () => {
    dir = project(files);
    disabled = await runJest(dir, []);
    enabled = await runJest(dir, [], { CHAOS_ENABLED: '1', CHAOS_SEED: '1234', CHAOS_TAGS: 'not slow' });
  }, 60_000);

  test('docs/api.md: the import and the declarations work as shown (the builders run in the README config\'s project)', () => {
    expect([...api.keys()].sort()).toEqual(['builders', 'declarations', 'imports']);
    expect(imports).toEqual(["import { chaos } from 'jest-chaos';            // TypeScript / ESM", "const { chaos } = require('jest-chaos');       // CommonJS", '']);
    expect(api.get('declarations')!.text).toBe('chaos.test(name, rules, fn, timeout?)   // also chaos.it\nchaos.describe(name, rules, fn)\n');
    expect(statuses(enabled)).toMatchObject({
      'chaos: the import of docs/api.md': 'passed',
      'chaos: the declarations of docs/api.md': 'passed',
    });
  });

  test('docs/selection-and-tags.md: the summary lines of both runs', () => {
    const blocks = docBlocks(__filename, 'docs/selection-and-tags.md');
    expect(blocks.get('disabled-line')!.text).toBe(headOf(disabled.stderr));
    expect(blocks.get('enabled-line')!.text).toBe(headOf(enabled.stderr));
  });

  test('docs/report.md: the ajv snippet validates a real report and reports a broken one', () => {
    const snippet = docBlock(__filename, 'docs/report.md', 'ajv');
    const report = JSON.parse(readFileSync(path.join(dir, 'chaos-report.json'), 'utf8')) as Record<string, unknown>;
    // jest-chaos as the project resolves it; ajv from this repository, where the docs' users install it.
    const load = (name: string): unknown => (name.startsWith('jest-chaos') ? createRequire(path.join(dir, 'package.json'))(name) : require(name));
    const errors = (value: unknown): unknown[] => {
      const logged: unknown[] = [];
      new Function('require', 'report', 'console', snippet)(load, value, { error: (...args: unknown[]) => logged.push(...args) });
      return logged;
    };
    expect(errors(report)).toEqual([]);
    expect(errors({ ...report, schemaVersion: 'two' })).toEqual([expect.arrayContaining([expect.objectContaining({ instancePath: '/schemaVersion' })])]);
  });

  test('docs/seeds-and-replay.md: the replay entry of a failed chaos test', () => {
    const entry = docBlocks(__filename, 'docs/seeds-and-replay.md').get('replay')!.text;
    expect(enabled.stderr).toContain(entry.replace(/\n$/, ''));
  });
});

describe('the configs that the docs show, each in a project of its own with a chaos test', () => {
  const runs = "chaos.test('runs', [], () => {});\n";
  // Under virtual time a minute of injected latency passes at once; under real time this test would time out.
  const minute = "const nock = require('nock');\nchaos.test('runs', 'http.latency api.example.com ms=60000', async () => {\n  nock('http://api.example.com').get('/').reply(200, 'ok');\n  expect(await (await fetch('http://api.example.com/')).text()).toBe('ok');\n}, 5000);\n";
  // docs/api.md's builders run in the README config's project: their rules match no call, a warning there.
  const builders = `chaos.test('runs', [], () => {\n${docBlock(__filename, 'docs/api.md', 'builders')}});\n`;
  const ESM = { NODE_OPTIONS: '--experimental-vm-modules' };
  /** A config block, the chaos test file its project runs (named `chaos: runs`), and the run's extra environment. */
  interface ConfigCase {
    readonly what: string;
    readonly config: string;
    readonly file: string;
    readonly text: string;
    readonly env?: Record<string, string>;
  }
  const configs: ConfigCase[] = [
    { what: 'README.md', config: docBlock(__filename, 'README.md', 'config'), file: '__tests__/chaos.test.js', text: builders },
    { what: 'docs/configuration.md, the preset', config: docBlock(__filename, 'docs/configuration.md', 'preset'), file: '__tests__/chaos.test.js', text: runs },
    { what: 'docs/configuration.md, ESM', config: docBlock(__filename, 'docs/configuration.md', 'esm'), file: '__tests__/chaos.test.mjs', text: runs, env: ESM },
    { what: 'docs/configuration.md, withChaos', config: docBlock(__filename, 'docs/configuration.md', 'with-chaos'), file: 'test/chaos.test.ts', text: `import { chaos } from 'jest-chaos';\n${runs}` },
    { what: 'docs/configuration.md, entry points', config: docBlock(__filename, 'docs/configuration.md', 'entry-points'), file: '__tests__/chaos.test.js', text: runs },
    { what: 'docs/db-and-cache.md', config: docBlock(__filename, 'docs/db-and-cache.md', 'config-parts'), file: '__tests__/chaos.test.js', text: runs },
    { what: 'docs/http-faults.md', config: docBlock(__filename, 'docs/http-faults.md', 'config-allow'), file: '__tests__/chaos.test.js', text: runs },
    { what: 'docs/report.md, writes reports/chaos.json', config: docBlock(__filename, 'docs/report.md', 'config-reporter'), file: '__tests__/chaos.test.js', text: runs },
    { what: 'docs/virtual-time.md, in virtual time, with a drawn seed', config: docBlock(__filename, 'docs/virtual-time.md', 'config-virtual'), file: '__tests__/chaos.test.js', text: minute },
  ];
  test.each(configs)('$what', async ({ what, config, file, text, env = {} }) => {
    const dir = project({ 'jest.config.js': config, [file]: text });
    symlinkSync(path.join(REPO, 'node_modules', 'ts-jest'), path.join(dir, 'node_modules', 'ts-jest'), 'dir');
    const drawn = what.includes('drawn seed');
    const run = await runJest(dir, [], { CHAOS_ENABLED: '1', ...(drawn ? {} : { CHAOS_SEED: '1' }), ...env });
    expect({ warned: run.stderr.includes('Validation Warning'), statuses: statuses(run) }).toEqual({ warned: false, statuses: { 'chaos: runs': 'passed' } });
    if (what.includes('reports/chaos.json')) expect(existsSync(path.join(dir, 'reports', 'chaos.json'))).toBe(true);
    if (drawn) {
      // The seed the run drew, printed as docs/seeds-and-replay.md shows it.
      const line = /^jest-chaos: chaos enabled with base seed (\d+) \(drawn\)\..*$/m.exec(run.stderr);
      expect(line).not.toBeNull();
      expect(docBlocks(__filename, 'docs/seeds-and-replay.md').get('drawn')!.text).toBe(`${line![0].split(line![1]!).join('1101308373')}\n`);
    }
  }, 120_000);
});

test('docs/configuration.md: the TypeScript 7 dev dependencies are those the compat matrix installs', () => {
  expect(docBlock(__filename, 'docs/configuration.md', 'ts7-aliases')).toBe(`${JSON.stringify({ devDependencies: TS7_ALIASES }, null, 2)}\n`);
});

test('docs/configuration.md: withChaos() with projects does what the doc says to each', () => {
  const config = new Function('require', 'module', `${docBlock(__filename, 'docs/configuration.md', 'projects')}return module.exports;`)(
    (name: string) => (name === 'jest-chaos/config' ? require('../src/config/with-chaos') : require(name)),
    {},
  ) as { projects: unknown[]; reporters: unknown[] };
  const [api, worker, legacy] = config.projects as [Record<string, unknown>, Record<string, unknown>, string];
  for (const inline of [api, worker]) {
    expect(inline.testEnvironment).toMatch(/environment/);
    expect(inline.runner).toMatch(/runner/);
    expect(inline.moduleNameMapper).toHaveProperty(['^nock$']);
  }
  expect([api.preset, legacy]).toEqual(['ts-jest', '<rootDir>/packages/legacy']);
  expect(JSON.stringify(config.reporters)).toMatch(/reporter/);
});

test('README.md: the example file\'s pragmas parse as a chaos suite of priority A', () => {
  const suite = parseSuite(docBlock(__filename, 'README.md', 'example'), 'test/profile.test.ts');
  expect([suite.isChaosSuite, suite.rules.map((rule) => rule.source), suite.priority]).toEqual([true, ['http.timeout api.example.com', 'http.latency * ms=100-500 p=0.3'], 'A']);
});

test('docs/db-and-cache.md: each pragma of the list parses; the register call is the one its example runs', () => {
  const blocks = docBlocks(__filename, 'docs/db-and-cache.md');
  // The config is checked with the configs below.
  expect([...blocks.keys()].sort()).toEqual(['config-parts', 'pragmas', 'register']);
  const rules = blocks.get('pragmas')!.text.trimEnd().split('\n').map((each) => /^@chaos (.+?)(?: {2,}.*)?$/.exec(each)?.[1]);
  expect(rules).toEqual(['db.down pg', 'db.lost * times=1', 'cache.timeout ioredis ms=200 p=0.5', 'cache.down redis', 'db.error primary']);
  for (const rule of rules) expect(parseRule(rule!, 'db-and-cache.md').source).toBe(rule);
  // docs/seams.md runs the same call (its example seams-sync-fallback).
  const example = readBlocks('docs/seams.md').find((block) => block.marker === 'run seams-sync-fallback')!;
  expect(`\n${example.text}`).toContain(`\n${blocks.get('register')!.text}`);
});


test('docs/tcp-faults.md: each pragma of the list parses, and every option of the grammar is one that a tcp rule takes', () => {
  const blocks = docBlocks(__filename, 'docs/tcp-faults.md');
  expect([...blocks.keys()].sort()).toEqual(['grammar', 'guard', 'pragmas']);
  const rules = blocks.get('pragmas')!.text.trimEnd().split('\n').map((each) => /^@chaos (.+?)(?: {2,}.*)?$/.exec(each)?.[1]);
  expect(rules).toHaveLength(6);
  for (const rule of rules) expect(parseRule(rule!, 'tcp-faults.md').source).toBe(rule);
  const grammar = blocks.get('grammar')!.text;
  expect(grammar.startsWith('tcp.<kind> <host>:<port> ')).toBe(true);
  const options = [...grammar.matchAll(/\[(\w+)=([^\]]+)\]/g)].map((match) => [match[1]!, match[2]!.split('|')[0]!.replace(/^<.*>$/, '1')] as const);
  expect(options.map(([name]) => name)).toEqual(['p', 'times', 'ms', 'rate', 'bytes', 'direction']);
  for (const [name, value] of options) {
    const takers = TCP_KINDS.filter((kind) => succeeds(() => parseRule(`tcp.${kind} 127.0.0.1:1 ${name}=${value}`, 'grammar')));
    expect({ name, takers: takers.length > 0 }).toEqual({ name, takers: true });
  }
});
