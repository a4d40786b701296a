import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseSuite } from '../../src/pragma/parse';
import { runJest } from '../support/run-jest';
import { copyFixture, runCli } from './fixtures/scan/support';

/**
 * `jest-chaos scan --write`: one skeleton chaos suite per missing scenario, loaded by a real child Jest
 * with chaos on, where each test fails on its TODO assertion and on nothing before it; a second run
 * overwrites nothing.
 */
jest.setTimeout(60_000);

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const SKELETONS = path.join('test', 'chaos-skeletons');
const TODO = "expect('TODO: replace with the real assertion').toBe('the outcome the caller should see');";

interface Scenario {
  id: string;
  rule: string;
  priority: string;
  skeleton: string;
}

async function writeSkeletons(dir: string): Promise<{ scenarios: Scenario[]; stderr: string }> {
  const run = await runCli(dir, ['scan', '--json', '--write', SKELETONS]);
  expect(run.code).toBe(0);
  return { scenarios: (JSON.parse(run.stdout) as { scenarios: Scenario[] }).scenarios, stderr: run.stderr };
}

/**
 * The JavaScript fixture's skeletons all run; of the TypeScript one's (slower to compile), the first of each
 * dependency runs, the others share its import and are checked by the pragma parser that Jest's run uses.
 */
describe.each([
  ['js-cjs', 'all'],
  ['ts-cjs', 'one per dependency'],
] as const)('skeletons of the %s fixture', (name, which) => {
  test('are one per scenario, with its rule and priority, and fail under a real Jest only on their TODO', async () => {
    const dir = copyFixture(name, made);
    const { scenarios, stderr } = await writeSkeletons(dir);
    expect(readdirSync(path.join(dir, SKELETONS)).sort()).toEqual(scenarios.map((scenario) => scenario.skeleton).sort());
    expect(stderr.split('\n')[0]).toBe(`jest-chaos scan --write: ${scenarios.length} skeleton suites written to ${SKELETONS}.`);
    const seen = new Set<string>();
    for (const scenario of scenarios) {
      const file = path.join(dir, SKELETONS, scenario.skeleton);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(` *\n * @chaos ${scenario.rule}\n * @chaos-priority ${scenario.priority}\n */\n`);
      expect(parseSuite(text, scenario.skeleton)).toMatchObject({ isChaosSuite: true, rules: [{ source: scenario.rule }], priority: scenario.priority });
      const dependency = scenario.id.slice(0, scenario.id.lastIndexOf('#'));
      if (which !== 'all' && seen.has(dependency)) rmSync(file);
      seen.add(dependency);
    }
    const files = readdirSync(path.join(dir, SKELETONS)).sort();
    expect(files).toHaveLength(which === 'all' ? scenarios.length : seen.size);

    const run = await runJest(dir, [SKELETONS], { CHAOS_ENABLED: '1', CHAOS_SEED: '11' });
    const results = run.json?.testResults ?? [];
    expect(results.map((result) => path.basename(result.name)).sort()).toEqual(files);
    const outcomes = results.flatMap((result) => {
      if (result.assertionResults.length === 0) return [`${path.basename(result.name)}: no test ran: ${result.message.slice(0, 500)}`];
      const todoLine = readFileSync(result.name, 'utf8').split('\n').indexOf(`  ${TODO}`) + 1;
      return result.assertionResults.map((test) => {
        const message = test.failureMessages.join('\n');
        const onTodo = test.status === 'failed' && message.includes('Received: "TODO: replace with the real assertion"') && message.includes(`${result.name}:${todoLine}:`);
        return `${path.basename(result.name)}: ${onTodo ? 'fails on its TODO' : `${test.status}: ${message.slice(0, 500)}`}`;
      });
    });
    expect(outcomes.sort()).toEqual(files.map((file) => `${file}: fails on its TODO`));
  });

  test('the written suites count as exercising their scenarios; a second --write overwrites nothing', async () => {
    const dir = copyFixture(name, made);
    const { scenarios } = await writeSkeletons(dir);
    const after = await runCli(dir, ['scan', '--json']);
    expect(JSON.parse(after.stdout).scenarios.map((scenario: Scenario) => scenario.rule)).toEqual([]);
    // A hand-edited skeleton without its pragma: its scenario is missing again, and its file is kept.
    const lost = scenarios.find((scenario) => scenario.rule.endsWith('.lost pg') || scenario.rule.endsWith('.lost ioredis'))!;
    const edited = path.join(dir, SKELETONS, lost.skeleton);
    writeFileSync(edited, '// edited by hand\n');
    const again = await runCli(dir, ['scan', '--write', SKELETONS]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`jest-chaos scan --write: 0 skeleton suites written to ${SKELETONS}, 1 left as they were (the file exists).\n  kept  ${path.join(SKELETONS, lost.skeleton)}\n`);
    expect(readFileSync(edited, 'utf8')).toBe('// edited by hand\n');
  });
});

test('an ESM project gets import statements with the file extension, default exports imported as such', async () => {
  const dir = copyFixture('js-esm', made);
  const { scenarios } = await writeSkeletons(dir);
  const transfer = scenarios.find((scenario) => scenario.id === 'db:pg#down')!;
  expect(transfer.skeleton).toBe('pg-down.test.js');
  expect(readFileSync(path.join(dir, SKELETONS, transfer.skeleton), 'utf8')).toBe(
    [
      '/**',
      ' * Scenario: the pg database is down (db.down pg).',
      ' * Priority A, because src/transfer.js:5 in transfer(): transfer() names "transfer"; db.down is untested',
      ' * Call sites: src/db.js:3, src/transfer.js:5, src/transfer.js:7, src/transfer.js:8, src/transfer.js:9, …',
      ' * Written by jest-chaos scan --write: replace the TODO with what the caller should see.',
      ' *',
      ' * @chaos db.down pg',
      ' * @chaos-priority A',
      ' */',
      "import transfer from '../../src/transfer.js';",
      '',
      'test("transfer copes when the pg database is down", async () => {',
      '  expect(transfer).toBeDefined();',
      '  // TODO: call the code the way the service does, then assert what its caller should see when the pg database is down.',
      `  ${TODO}`,
      '});',
      '',
    ].join('\n'),
  );
});
