/**
 * A run given `--config <file>` prints replay commands that name the same config: pasted into a shell as
 * printed, the command runs that one test under the same faults and fails the same way. (Without it,
 * `npx jest` would read the default config, which here is another project's.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, loopbackOnly, runJest } from '../support/run-jest';
import { runProcess, withoutRunVariables } from '../support/run-process';

jest.setTimeout(120_000);

const FIXTURE = path.join(FIXTURES, 'replay-config');
const NAME = 'chaos: loads the profile';

/** The diff Jest printed for the failed expect: the statuses received against four 200s. */
function received(output: string): string {
  const match = /Array \[[\s\S]*?\n\s+\]/.exec(output);
  return match?.[0].replace(/[ \t]+/g, ' ') ?? `no diff in:\n${output.slice(-3000)}`;
}

test('the replay command names the run\'s --config, and reproduces the failure as printed', async () => {
  const run = await runJest(FIXTURE, ['--config', 'chaos.config.js'], { CHAOS_ENABLED: '1', CHAOS_SEED: '5' }, { json: false, loopbackOnly: true });
  expect(run.code).toBe(1);
  const report = JSON.parse(readFileSync(path.join(FIXTURE, 'chaos-report.json'), 'utf8')) as { tests: { fullName: string; status: string; replay: string }[] };
  const failed = report.tests.find((test) => test.fullName === NAME);
  expect(failed?.status).toBe('failed');
  const replay = failed!.replay;
  expect(replay).toBe("CHAOS_ENABLED=1 CHAOS_SEED=5 npx jest --config chaos.config.js tests/profile.test.js -t '^chaos: loads the profile$'");
  expect(run.stderr).toContain(replay);
  const statuses = received(run.stderr);
  expect(statuses).toMatch(/503/);

  const [command, args] = loopbackOnly('sh', ['-c', replay]);
  const again = await runProcess(command, args, { cwd: FIXTURE, env: withoutRunVariables({ FORCE_COLOR: '0' }) });
  expect(again.code).toBe(1);
  expect(again.stderr).toContain(`✕ ${NAME}`);
  expect(again.stderr).toMatch(/Tests: +1 failed, 1 total/);
  expect(received(again.stderr)).toBe(statuses);
});
