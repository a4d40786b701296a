/**
 * A db or cache rule whose target is neither a supported driver nor a registered seam can never fire: the
 * test fails with a did-you-mean instead of passing green with nothing injected. Checked when the test
 * ends (seams registered in its body count), and at the end of the file when no test reached the rule.
 */
import { runJest, statuses } from '../support/run-jest';

jest.setTimeout(120_000);

function failures(run: Awaited<ReturnType<typeof runJest>>): string {
  return (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).join('\n');
}

test('each target that can never match fails its test with what is valid and a did-you-mean', async () => {
  const run = await runJest('targets', [], { CHAOS_ENABLED: '1' });
  expect(statuses(run)).toEqual({
    'chaos: reads, with a fallback to the replica': 'failed',
    'chaos: uses the database': 'failed',
    'chaos: uses the cache': 'failed',
    'chaos: a seam registered in the body is a valid target': 'passed',
  });
  const text = failures(run);
  expect(text).toContain('jest-chaos: invalid rule "db.down primray" in seam-typo.test.js:2: the target "primray" is neither a supported db driver nor a registered db seam, so the rule would never fire.');
  expect(text).toContain('(registered: primary). Did you mean "primary"?');
  expect(text).toContain('jest-chaos: invalid rule "db.down postgresql" in driver-alias.test.js:2');
  expect(text).toContain('Did you mean "pg"?');
  expect(text).toContain('jest-chaos: invalid rule "cache.down memcached" in cache-unknown.test.js:2');
});

test('a pragma that no test reached is checked at the end of its file', async () => {
  const run = await runJest('targets', ['seam-typo', '-t', 'no test has this name'], { CHAOS_ENABLED: '1' });
  expect(run.code).toBe(1);
  expect(run.json?.testResults.map((file) => file.status)).toEqual(['failed']);
  expect(failures(run)).toContain('Did you mean "primary"?');
});
