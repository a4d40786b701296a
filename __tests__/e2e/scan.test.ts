import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyFixture, digest, runCli, SCAN_FIXTURES } from './fixtures/scan/support';

/**
 * `jest-chaos scan` on fixture projects (JavaScript and TypeScript, CommonJS and ESM) with known call
 * sites: the JSON's dependencies, hosts, call sites, tested kinds and priorities against each fixture's
 * expected.json; what it leaves out; its options and their mistakes.
 */
jest.setTimeout(30_000);

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const fixture = (name: string): string => path.join(SCAN_FIXTURES, name);
const expected = (name: string): unknown => JSON.parse(readFileSync(path.join(fixture(name), 'expected.json'), 'utf8'));

async function scanJson(cwd: string, args: readonly string[] = []) {
  const run = await runCli(cwd, ['scan', '--json', ...args]);
  if (run.code !== 0) throw new Error(`scan exited ${run.code}\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe.each(['js-cjs', 'js-esm', 'ts-cjs', 'ts-esm'])('the %s fixture', (name) => {
  test('scan --json finds its dependencies, call sites, tested kinds and priorities', async () => {
    const result = await scanJson(fixture(name));
    expect(result.rootDir).toBe(fixture(name));
    expect(result.warnings).toEqual([]);
    expect(digest(result)).toEqual(expected(name));
  });
});

test('the table: a row per dependency, then the missing scenarios by priority', async () => {
  const run = await runCli(fixture('js-cjs'), ['scan']);
  expect(run.code).toBe(0);
  const lines = run.stdout.split('\n');
  expect(lines[0]).toBe('jest-chaos scan of .: 6 source files, 4 test files, 2 chaos suites');
  expect(lines[2]).toMatch(/^DEPENDENCY\s+CALL SITES\s+TESTED\s+MISSING\s+PRIORITY\s+REASON$/);
  expect(lines.find((line) => line.startsWith('db pg '))).toMatch(/^db pg\s+7 \(src\/orders\.js:3, …\)\s+down\s+lost timeout latency error\s+B\s+src\/orders\.js:10 in saveOrder\(\): writes inside a transaction; db\.lost mid-transaction is untested$/);
  expect(lines).toContain('Missing scenarios: 49 (A 7, B 3, C 39)');
  expect(lines).toContainEqual(expect.stringMatching(/^  A  http\.timeout api\.payments\.test +src\/payments\.js:7 in chargeCard\(\): chargeCard\(\) names "charge"; http\.timeout is untested$/));
});

describe('what scan leaves out', () => {
  const hosts = (result: { dependencies: { id: string }[] }) => result.dependencies.map((dependency) => dependency.id).filter((id) => id.startsWith('http:'));

  test('files .gitignore ignores (outside and inside a git work tree), testPathIgnorePatterns and node_modules', async () => {
    const dir = copyFixture('js-cjs', made);
    mkdirSync(path.join(dir, 'src', 'generated'));
    writeFileSync(path.join(dir, 'src', 'generated', 'client.js'), "module.exports = () => fetch('https://ignored.test/x');\n");
    mkdirSync(path.join(dir, 'src', 'node_modules', 'dep'), { recursive: true });
    writeFileSync(path.join(dir, 'src', 'node_modules', 'dep', 'index.js'), "module.exports = () => fetch('https://nested-module.test/x');\n");
    const want = ['http:api.payments.test', 'http:hooks.partner.test:8080', 'http:status.partner.test', 'http:${url}'];
    const walked = await scanJson(dir);
    expect(hosts(walked)).toEqual(want);
    expect(digest(walked)).toEqual(expected('js-cjs'));
    execFileSync('git', ['init', '-q'], { cwd: dir });
    expect(hosts(await scanJson(dir))).toEqual(want);
    // Without its .gitignore line, the generated client is scanned: the line is what kept it out.
    writeFileSync(path.join(dir, '.gitignore'), 'test/chaos-skeletons/\n');
    expect(hosts(await scanJson(dir))).toContain('http:ignored.test');
  });

  test('a project in a folder that an outer repository ignores is still read', async () => {
    const outer = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-scan-outer-'));
    made.push(outer);
    execFileSync('git', ['init', '-q'], { cwd: outer });
    writeFileSync(path.join(outer, '.gitignore'), 'project/\n');
    const dir = path.join(outer, 'project');
    renameSync(copyFixture('js-cjs', made), dir);
    expect(digest(await scanJson(dir))).toEqual(expected('js-cjs'));
  });

  test('a project without typescript gets an install command that gives it a compiler API', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-scan-no-ts-'));
    made.push(dir);
    writeFileSync(path.join(dir, 'a.js'), "fetch('https://a.test');\n");
    const run = await runCli(dir, ['scan']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `jest-chaos: cannot scan ${dir}: neither typescript nor @typescript/typescript6 is installed in this project, and jest-chaos reads the project's files (JavaScript included) with the TypeScript compiler's JavaScript API. Install one as a dev dependency: npm i -D typescript@6, or beside TypeScript 7: npm i -D @typescript/typescript6\n`,
    );
  });
});

describe('options', () => {
  test('--help, and mistakes with what is valid', async () => {
    const help = await runCli(fixture('js-cjs'), ['scan', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: jest-chaos scan \[options\]/);
    const typo = await runCli(fixture('js-cjs'), ['scan', '--jsn']);
    expect([typo.code, typo.stderr]).toEqual([2, 'jest-chaos: unknown option "--jsn" in the jest-chaos scan command line. Valid options: --json, --report <file>, --write <dir>, --fail-under <A|B|C>, --priorities <file>, --cwd <dir>, --help (-h). Did you mean "--json"?\n']);
    const priority = await runCli(fixture('js-cjs'), ['scan', '--fail-under', 'D']);
    expect([priority.code, priority.stderr]).toEqual([2, 'jest-chaos: option --fail-under is "D"; valid: A, B or C. Run `jest-chaos scan --help` for the options.\n']);
    const missing = await runCli(fixture('js-cjs'), ['scan', '--report']);
    expect([missing.code, missing.stderr]).toEqual([2, 'jest-chaos: option --report in the jest-chaos scan command line needs a value: --report <file>.\n']);
  });

  test('--fail-under A exits 1 naming the untested A scenarios; B and C count higher priorities too', async () => {
    const failing = await runCli(fixture('js-cjs'), ['scan', '--json', '--fail-under', 'A']);
    expect(failing.code).toBe(1);
    expect(() => JSON.parse(failing.stdout)).not.toThrow();
    expect(failing.stderr).toBe(
      'jest-chaos: 7 scenarios of priority A untested (--fail-under A): A http.timeout api.payments.test, A http.hang api.payments.test, A http.refused api.payments.test, A http.reset api.payments.test, A http.dns api.payments.test and 2 more. Add chaos suites for them (jest-chaos scan --write <dir> starts them).\n',
    );
    const service = path.join(SCAN_FIXTURES, '..', '..', '..', '..', 'examples', 'service');
    expect((await runCli(service, ['scan', '--fail-under', 'B'])).code).toBe(0);
    const c = await runCli(service, ['scan', '--json', '--fail-under', 'c']);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/^jest-chaos: 11 scenarios of priority C or higher untested \(--fail-under C\): C http\.reset \*, /);
  });

  test('--priorities replaces the signals of package.json; a mistake in it names the file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-scan-priorities-'));
    made.push(dir);
    const file = path.join(dir, 'priorities.json');
    writeFileSync(file, JSON.stringify({ A: { words: ['carrier'], replace: true } }));
    const result = await scanJson(fixture('ts-cjs'), ['--priorities', file]);
    const priorities = Object.fromEntries(result.scenarios.map((scenario: { id: string; priority: string; signal: string }) => [scenario.id, `${scenario.priority} ${scenario.signal}`]));
    // "ledger" and "balance" are no longer A words, "carrier" still is; the package.json paths no longer apply.
    expect(priorities['http:ledger.bank.test#timeout']).toBe('C default');
    expect(priorities['db:pg#down']).toBe('C default');
    expect(priorities['http:labels.carrier.test#timeout']).toBe('A financial-words');
    expect(priorities['http:legacy-erp.test#timeout']).toBe('C default');
    writeFileSync(file, JSON.stringify({ a: ['x'] }));
    const bad = await runCli(fixture('ts-cjs'), ['scan', '--priorities', file]);
    expect([bad.code, bad.stderr]).toEqual([2, `jest-chaos: invalid scan priorities in ${file}: unknown key "a". Valid: { "A": [words], "B": [words], "C": [words], "paths": { "<glob>": "A" | "B" | "C" }, "default": "A" | "B" | "C" }. Did you mean "A"?\n`]);
  });

  test('--report: faults that really fired count, declared ones carry how often they fired', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-scan-report-'));
    made.push(dir);
    const report = path.join(dir, 'chaos-report.json');
    const event = (seq: number, rule: string, domain: string, kind: string, call: string) => ({ seq, rule, domain, kind, call });
    writeFileSync(
      report,
      JSON.stringify({
        schemaVersion: 1,
        tests: [
          { file: 'test/chaos/payments-latency.test.js', fullName: 'a', events: [event(1, 'http.latency api.payments.test ms=10', 'http', 'latency', 'POST https://api.payments.test/v1/charges')] },
          { file: 'test/partner.test.js', fullName: 'b', events: [event(1, 'http.timeout *', 'http', 'timeout', 'GET https://status.partner.test/health'), event(2, 'http.timeout *', 'http', 'timeout', 'GET https://status.partner.test/health')] },
          { file: 'test/chaos/orders-down.test.js', fullName: 'c', events: [event(1, 'db.lost pg', 'db', 'lost', 'pg query')] },
          { file: 'test/lookup.test.js', fullName: 'd', events: [event(1, 'http.dns *', 'http', 'dns', 'GET https://anything.test/x')] },
        ],
      }),
    );
    const result = await scanJson(fixture('js-cjs'), ['--report', report]);
    expect(result.report).toEqual({ file: report, events: 5 });
    const tested = (digest(result) as { dependencies: { id: string; tested: Record<string, string[]> }[] }).dependencies.map((dependency) => [dependency.id, dependency.tested]);
    expect(Object.fromEntries(tested)).toEqual({
      'http:api.payments.test': { latency: ['pragma target test/chaos/payments-latency.test.js:2 fired 1'] },
      'http:hooks.partner.test:8080': { refused: ['chaos.test target test/partner.test.js:4 fired 0'], reset: ['builder target test/partner.test.js:9 fired 0'], status: ['chaos.test target test/partner.test.js:4 fired 0'] },
      'http:status.partner.test': { timeout: ['report target test/partner.test.js fired 2'] },
      // A URL only known at run time: the fired request's URL matches no pattern that has a constant part.
      'http:${url}': {},
      'db:pg': { down: ['pragma target test/chaos/orders-down.test.js:2 fired 0'], lost: ['report target test/chaos/orders-down.test.js fired 1'] },
      'cache:ioredis': { timeout: ['stub stub test/partner.test.js:13 fired 0'] },
      'cache:seam:flags': {},
      'tcp:amqplib': {},
    });
    const missing = await runCli(fixture('js-cjs'), ['scan', '--report', path.join(dir, 'nope.json')]);
    expect([missing.code, missing.stderr]).toEqual([2, `jest-chaos: cannot read the chaos report ${path.join(dir, 'nope.json')}: no such file. Pass the chaos-report.json a chaos run wrote (reporter option outputFile), or leave --report out\n`]);
  });
});
