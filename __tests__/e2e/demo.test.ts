import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { docBlocks } from '../support/doc-blocks';
import { runProcess } from '../support/run-process';

/** `npm run demo`: the example service run as everyday CI, as the chaos job, on a fragile build, then replayed. */
const ROOT = path.resolve(__dirname, '..', '..');

interface DemoRun {
  readonly code: number | null;
  readonly output: string;
}

function runDemo(env: Record<string, string>): Promise<DemoRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  for (const key of ['CHAOS_ENABLED', 'CHAOS_SEED', 'CHAOS_TAGS', 'DEMO_FRAGILE', 'JEST_WORKER_ID', 'FORCE_COLOR', 'REDIS_URL']) if (!(key in env)) delete childEnv[key];
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
  // dist/ is built before the suite runs (`npm test`), as for every other end-to-end test.
  return runProcess(process.execPath, ['scripts/demo.js', '--no-build'], { cwd: ROOT, env: childEnv });
}

/** The text of one step, from its header to the next one. */
function step(output: string, n: number): string {
  const start = output.indexOf(`Step ${n}/5`);
  if (start === -1) return '';
  const end = output.indexOf(`Step ${n + 1}/5`, start);
  return output.slice(start, end === -1 ? undefined : end);
}

const REPLAY = `CHAOS_ENABLED=1 CHAOS_SEED=42 npx jest test/chaos/primary-lost.test.ts -t '^chaos: serves profiles from the read replica when the primary connection is lost$'`;

describe('npm run demo', () => {
  let demo: DemoRun;
  beforeAll(async () => {
    demo = await runDemo({});
  }, 180000);

  test('exits 0 with every check passed', () => {
    expect(demo.output).toMatch(/Demo passed: (\d+)\/\1 checks/);
    expect(demo.code).toBe(0);
  });

  test('step 1, everyday CI: chaos suites skipped and the summary says how many', () => {
    const text = step(demo.output, 1);
    expect(text).toContain('$ npx jest');
    expect(text).toContain('chaos is disabled: skipped 4 chaos suites and 2 chaos tests in other files');
    expect(text).toMatch(/Tests: +2 skipped, \d+ passed/);
    expect(text).not.toMatch(/(PASS|FAIL) test\/chaos\//);
  });

  test('step 2, the chaos job: every scenario ran green and injected its faults', () => {
    const text = step(demo.output, 2);
    expect(text).toContain('$ CHAOS_ENABLED=1 CHAOS_SEED=42 npx jest');
    expect(text).toMatch(/base seed 42[^;\n]*; 7 chaos tests ran, 0 failed/);
    for (const file of ['upstream-timeout', 'primary-lost', 'flaky-upstream', 'cache-down']) expect(text).toContain(`PASS test/chaos/${file}.test.ts`);
    for (const rule of ['http.timeout localhost ms=50', 'db.lost primary', 'http.latency localhost ms=20-200 p=0.3', 'http.refused localhost p=0.1', 'cache.down redis']) {
      expect(text).toMatch(new RegExp(`\\b[1-9]\\d* × ${rule.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm'));
    }
  });

  test('step 3, the fragile build: only the replica scenario fails, with its replay command', () => {
    const text = step(demo.output, 3);
    expect(text).toContain('FAIL test/chaos/primary-lost.test.ts');
    expect(text).toContain('"error": "account database unavailable (primary: ECONNRESET)"');
    expect(text).toContain(`jest-chaos: replay this test with the same faults:\n\n        ${REPLAY}`);
    expect(text).toMatch(/Tests: +1 failed, \d+ passed/);
    expect(text).toContain('✔ exactly one chaos test failed: "chaos: serves profiles from the read replica when the primary connection is lost"');
  });

  test('step 4, the replay: the same test fails alone with the same faults', () => {
    const text = step(demo.output, 4);
    expect(text).toContain(`$ DEMO_FRAGILE=1 ${REPLAY}`);
    expect(text).toMatch(/base seed 42[^;\n]*; 1 chaos test ran, 1 failed/);
    expect(text).toMatch(/Tests: +1 failed, 1 total/);
    expect(text).toContain('✔ the same test failed, alone, with seed 42');
    expect(text).toMatch(/✔ the same (test seed \(\d+\) and the same 1 fault\(s\) in the same order as in step 3|faults as in step 3: 1 × db.lost primary)/);
  });

  test('step 5, strict mode: a misaimed chaos test passes with a warning, and fails under CHAOS_STRICT=1 naming its rule', () => {
    const text = step(demo.output, 5);
    expect(text).toContain('$ CHAOS_ENABLED=1 CHAOS_STRICT=1 CHAOS_SEED=42 npx jest --testMatch "<rootDir>/strict/**/*.test.ts"');
    expect(text).toContain('✔ without CHAOS_STRICT: exit code 0 (green, as expected)');
    expect(text).toContain('rule matched no call: http.timeout identity.internal ms=50');
    expect(text).toContain('jest-chaos: strict mode: rule "http.timeout identity.internal ms=50" (strict/misaimed-timeout.test.ts:2) matched no call in this test, so it tested nothing.');
    expect(text).toContain('✔ with CHAOS_STRICT=1: exit code 1 (red, as expected)');
    expect(text).toContain("CHAOS_ENABLED=1 CHAOS_SEED=42 CHAOS_STRICT=1 npx jest strict/misaimed-timeout.test.ts -t '^chaos: serves the profile while the identity API times out$'");
  });
});

test('the demo exits non-zero and stops when the everyday run is red', async () => {
  // Nothing listens on port 1: the service cannot reach its database, so step 1 fails.
  const broken = await runDemo({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
  expect(broken.code).toBe(1);
  expect(broken.output).toContain('✘ exit code 1 (expected green)');
  expect(broken.output).toContain('The demo stopped there');
  expect(broken.output).not.toContain('Step 2/5');
}, 120000);

test("docs/demo.md's code is whole lines of examples/service, and its replay command is the one step 3 prints", () => {
  const blocks = docBlocks(__filename, 'docs/demo.md');
  expect([...blocks.keys()].sort()).toEqual(['primary-lost', 'replay', 'service']);
  for (const name of ['primary-lost', 'service']) {
    const [from, ...code] = blocks.get(name)!.text.split('\n');
    const file = /^\/\/ from (examples\/service\/\S+)$/.exec(from!)?.[1];
    expect({ name, from: file === undefined ? from : 'a file' }).toEqual({ name, from: 'a file' });
    expect(`\n${readFileSync(path.join(ROOT, file!), 'utf8')}`).toContain(`\n${code.join('\n')}`);
  }
  expect(blocks.get('replay')!.text).toBe(`${REPLAY}\n`);
});

test('the example service type-checks (ts-jest only transpiles it)', () => {
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'examples/service/tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
}, 60000);
