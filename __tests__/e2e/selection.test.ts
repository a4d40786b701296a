import { runJest, statuses } from '../support/run-jest';

const chaosSuite = 'refused upstream';

describe('file selection and tags', () => {
  test('chaos disabled: chaos suites are not loaded, inline chaos tests are skipped, the summary says how to enable them', async () => {
    const run = await runJest('selection');
    expect(run.code).toBe(0);
    const names = statuses(run);
    expect(Object.keys(names)).not.toContain(chaosSuite);
    expect(Object.keys(names).some((name) => name.includes(chaosSuite))).toBe(false);
    expect(names['chaos: inline refused']).toBe('pending');
    expect(names['ordinary test']).toBe('passed');
    expect(run.stderr).toContain('skipped 1 chaos suite and 1 chaos test in other files. Run them with CHAOS_ENABLED=1 npx jest');
  });

  test('chaos enabled: every file runs and chaos tests carry "chaos" in their names', async () => {
    const run = await runJest('selection', [], { CHAOS_ENABLED: '1', CHAOS_SEED: '7' });
    expect(run.code).toBe(0);
    const names = statuses(run);
    expect(names[`chaos: ${chaosSuite}`]).toBe('passed');
    expect(names['chaos: inline refused']).toBe('passed');
    expect(names['integration works']).toBe('passed');
    expect(run.stderr).toContain('jest-chaos: base seed 7;');
  });

  test('CHAOS_TAGS=chaos runs only chaos tests, skipping the ordinary tests of a file that also has chaos tests', async () => {
    const run = await runJest('selection', [], { CHAOS_ENABLED: '1', CHAOS_SEED: '7', CHAOS_TAGS: 'chaos' });
    expect(run.code).toBe(0);
    const names = statuses(run);
    expect(names).toEqual({ [`chaos: ${chaosSuite}`]: 'passed', 'chaos: inline refused': 'passed', 'ordinary test': 'pending' });
  });

  test('CHAOS_TAGS with or and not', async () => {
    const run = await runJest('selection', [], { CHAOS_ENABLED: '1', CHAOS_TAGS: '(upstream or integration) and not chaos' });
    expect(run.code).toBe(0);
    expect(statuses(run)).toEqual({ 'integration works': 'passed' });
  });

  test('--testNamePattern chaos selects exactly the chaos tests', async () => {
    const run = await runJest('selection', ['--testNamePattern', 'chaos'], { CHAOS_ENABLED: '1' });
    expect(run.code).toBe(0);
    const ran = Object.entries(statuses(run)).filter(([, status]) => status === 'passed').map(([name]) => name).sort();
    expect(ran).toEqual(['chaos: inline refused', `chaos: ${chaosSuite}`]);
  });

  test('--listTests lists only the files that would run', async () => {
    const off = await runJest('selection', ['--listTests'], {}, { json: false });
    expect(off.stdout).not.toContain('chaos-suite.test.js');
    expect(off.stdout).toContain('integration.test.js');
    const on = await runJest('selection', ['--listTests'], { CHAOS_ENABLED: '1' }, { json: false });
    expect(on.stdout).toContain('chaos-suite.test.js');
  });

  test('a bad CHAOS_ENABLED fails the run before any test, naming the valid values', async () => {
    const run = await runJest('selection', [], { CHAOS_ENABLED: 'maybe' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('jest-chaos: invalid CHAOS_ENABLED="maybe" in the environment: not a switch value. Valid: 1, true, yes, on to enable chaos; 0, false, no, off or unset to disable it.');
    expect(run.json?.numPassedTests ?? 0).toBe(0);
  });

  test('a bad CHAOS_TAGS fails the run with the position of the mistake', async () => {
    const run = await runJest('selection', [], { CHAOS_ENABLED: '1', CHAOS_TAGS: 'chaos and (integration' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('jest-chaos: invalid tag expression in CHAOS_TAGS');
    expect(run.stderr).toContain('^');
  });
});

describe('bad pragmas', () => {
  test('a mistyped rule and merged prose fail their files with file, line and valid choices; other files still run', async () => {
    const run = await runJest('bad-input', [], { CHAOS_ENABLED: '1' });
    expect(run.code).toBe(1);
    const typo = run.json?.testResults.find((file) => file.name.endsWith('typo.test.js'));
    expect(typo?.status).toBe('failed');
    expect(typo?.message).toContain('invalid rule "http.timout api.example.com" in typo.test.js:2: unknown http fault "timout"');
    expect(typo?.message).toContain('Did you mean "timeout"?');
    const prose = run.json?.testResults.find((file) => file.name.endsWith('prose.test.js'));
    expect(prose?.status).toBe('failed');
    expect(prose?.message).toContain('prose.test.js:2');
    expect(statuses(run)['fine']).toBe('passed');
  });
});
