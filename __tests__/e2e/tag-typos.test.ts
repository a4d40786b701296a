/**
 * Tag typos and empty selections: a CHAOS_TAGS tag that no test file declares is an error listing the
 * known tags with a did-you-mean, and an expression that selects no test fails the run unless
 * --passWithNoTests, so that a scheduled job cannot stay green while it tests nothing: whether it selects
 * no file, or files whose tests it all leaves out.
 */
import { runJest, statuses, type JestRun } from '../support/run-jest';

jest.setTimeout(60_000);

const FIXTURE = 'tag-typos';

function output(run: JestRun): string {
  return `${run.stdout}\n${run.stderr}`;
}

test('CHAOS_TAGS=integraton fails the run before any test, listing the known tags and the near miss', async () => {
  const run = await runJest(FIXTURE, [], { CHAOS_ENABLED: '1', CHAOS_TAGS: 'integraton' });
  expect(run.code).not.toBe(0);
  expect(output(run)).toContain(
    'jest-chaos: unknown tag "integraton" in CHAOS_TAGS="integraton": no test file of this run declares it. Known tags: chaos, db-slow, integration, upstream. Did you mean "integration"?',
  );
  expect(run.json?.numPassedTests ?? 0).toBe(0);
});

test('every unknown tag is named, with chaos disabled too, and a tag far from all others gets no suggestion', async () => {
  const run = await runJest(FIXTURE, [], { CHAOS_TAGS: 'nightly or (upstraem and not flaky)' });
  expect(run.code).not.toBe(0);
  expect(output(run)).toContain(
    'jest-chaos: unknown tags "nightly", "upstraem", "flaky" in CHAOS_TAGS="nightly or (upstraem and not flaky)": no test file of this run declares them. Known tags: chaos, db-slow, integration, upstream. Did you mean "upstream" for "upstraem"?',
  );
  expect(run.json?.numPassedTests ?? 0).toBe(0);
});

test('an expression of known tags that selects no test fails the run, and --passWithNoTests allows it', async () => {
  const env = { CHAOS_ENABLED: '1', CHAOS_TAGS: 'integration and db-slow' };
  const run = await runJest(FIXTURE, [], env);
  expect(run.code).not.toBe(0);
  expect(output(run)).toContain(
    'jest-chaos: CHAOS_TAGS="integration and db-slow" selects no test file of this run (4 files): the run would pass while testing nothing. Change CHAOS_TAGS, or pass --passWithNoTests to allow a run without tests.',
  );
  const allowed = await runJest(FIXTURE, ['--passWithNoTests'], env);
  expect(allowed.code).toBe(0);
  expect(output(allowed)).not.toContain('selects no test');
});

test('an expression that selects only chaos suites while chaos is off says how to run them', async () => {
  const run = await runJest(FIXTURE, [], { CHAOS_TAGS: 'upstream' });
  expect(run.code).not.toBe(0);
  expect(output(run)).toContain(
    'jest-chaos: CHAOS_TAGS="upstream" selects no test file of this run (4 files): it selects only chaos suites (1), which do not run while chaos is disabled. Set CHAOS_ENABLED=1 to run them, or pass --passWithNoTests to allow a run without tests.',
  );
});

test('known tags run as before', async () => {
  const run = await runJest(FIXTURE, [], { CHAOS_TAGS: 'integration or db-slow' });
  expect(run.code).toBe(0);
  expect(statuses(run)).toEqual({ 'integration works': 'passed', 'slow db works': 'passed' });
});

test('--listTests names an unknown tag too, rather than listing nothing', async () => {
  const run = await runJest(FIXTURE, ['--listTests'], { CHAOS_TAGS: 'integraton' }, { json: false });
  expect(run.code).not.toBe(0);
  expect(output(run)).toContain('jest-chaos: unknown tag "integraton" in CHAOS_TAGS="integraton"');
  expect(output(run)).toContain('Did you mean "integration"?');
});

describe('files that run but whose tests the expression all leaves out', () => {
  // fixtures/tag-tests: one file tagged payments whose two tests are both chaos tests.
  const TESTS = 'tag-tests';

  test('fail the run after their files ran, naming the expression and the counts', async () => {
    const run = await runJest(TESTS, [], { CHAOS_ENABLED: '1', CHAOS_TAGS: 'not chaos' });
    expect(run.json?.numTotalTestSuites).toBe(1);
    expect(run.json?.numPendingTests).toBe(2);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().endsWith(
      'jest-chaos: CHAOS_TAGS="not chaos" selects no test of this run: 1 file ran, but none of its 2 tests matches it: the run would pass while testing nothing. Change CHAOS_TAGS, or pass --passWithNoTests to allow a run without tests.',
    )).toBe(true);
    const allowed = await runJest(TESTS, ['--passWithNoTests'], { CHAOS_ENABLED: '1', CHAOS_TAGS: 'not chaos' });
    expect(allowed.code).toBe(0);
    expect(output(allowed)).not.toContain('selects no test');
  });

  test('chaos tests that the expression selects while chaos is off: says how to run them', async () => {
    const run = await runJest(TESTS, [], { CHAOS_TAGS: 'payments' });
    expect(run.code).toBe(1);
    expect(output(run)).toContain(
      'jest-chaos: CHAOS_TAGS="payments" selects no test of this run: the 2 tests it selects are chaos tests (in 1 file that ran), which do not run while chaos is disabled. Set CHAOS_ENABLED=1 to run them, or pass --passWithNoTests to allow a run without tests.',
    );
    const enabled = await runJest(TESTS, [], { CHAOS_ENABLED: '1', CHAOS_TAGS: 'payments' });
    expect(statuses(enabled)).toEqual({ 'chaos: checkout survives a refused card API': 'passed', 'chaos: checkout survives a card API that answers 503': 'passed' });
    expect(enabled.code).toBe(0);
  });
});
