import { mkdtempSync, writeFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import os from 'node:os';
import path from 'node:path';
import { buildReport, type ReportInput } from './build';
import { loadReport, mergeReports, type LoadedReport } from './merge';
import type { FileRecord } from './records';
import { isReportError } from './report-error';
import { reportSchema, type ChaosReport, type ReportRun } from './schema';
import { reportSchemaV1 } from './schema-v1';
import { formatMarkdown, formatSummary, headline, useColor } from './summary';
import { validateAgainst } from './validate';
import { serializeReport } from './write';

const RUN: Omit<ReportRun, 'source'> = {
  baseSeed: 1234,
  seedSource: 'CHAOS_SEED',
  enabled: true,
  tags: null,
  shard: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:00.010Z',
  durationMs: 10,
  strict: false,
  chaosRuns: 1,
  commit: '0123456789abcdef0123456789abcdef01234567',
  branch: 'main',
  versions: { node: '20.12.1', jest: '30.0.0', jestChaos: '1.2.3' },
};

/** A standard JSON Schema validator (draft 2020-12), beside the home-made one. */
const ajv = new Ajv2020({ allErrors: true, strict: true });
const ajvValidate = ajv.compile(reportSchema);
function ajvErrors(value: unknown): string[] {
  return ajvValidate(value) ? [] : (ajvValidate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

function event(seq: number, rule: string): { seq: number; rule: string; domain: 'http'; kind: 'refused'; call: string } {
  return { seq, rule, domain: 'http', kind: 'refused', call: 'GET https://api.example.com/' };
}

const billing: FileRecord = {
  testPath: '/p/billing.test.js',
  relativePath: 'billing.test.js',
  baseSeed: 1234,
  seedPinned: false,
  chaosSuite: true,
  priority: 'A',
  tags: ['chaos', 'payments'],
  tests: [
    { fullName: 'chaos: pays', chaos: true, status: 'passed', seed: 11, rules: ['http.refused * p=0.5'], events: [event(1, 'http.refused * p=0.5'), event(2, 'http.refused * p=0.5')], replay: 'R1' },
    {
      fullName: 'chaos: pays | once',
      chaos: true,
      status: 'failed',
      seed: 12,
      rules: ['http.refused * p=0.5'],
      events: [event(1, 'http.refused * p=0.5')],
      failure: { message: 'expect(received).toBe(expected) // Object.is equality\n\nExpected: -1\nReceived: 4', frame: 'Object.<anonymous> (/p/billing.test.js:20:19)' },
      replay: 'CHAOS_ENABLED=1 CHAOS_SEED=1234 npx jest billing.test.js -t x',
    },
  ],
};
const pinned: FileRecord = {
  testPath: '/p/ledger.test.js',
  relativePath: 'ledger.test.js',
  baseSeed: 42,
  seedPinned: true,
  chaosSuite: true,
  priority: undefined,
  tags: ['chaos'],
  tests: [{ fullName: 'chaos: balances', chaos: true, status: 'passed', seed: 13, rules: ['db.down primary'], events: [{ ...event(1, 'db.down primary'), domain: 'http' }], replay: 'R3' }],
};
const plain: FileRecord = {
  testPath: '/p/plain.test.js',
  relativePath: 'plain.test.js',
  baseSeed: 1234,
  seedPinned: false,
  chaosSuite: false,
  priority: undefined,
  tags: [],
  tests: [
    { fullName: 'adds', chaos: false, status: 'passed' },
    { fullName: 'chaos: inline', chaos: true, status: 'skipped', skipped: 'tags' },
  ],
};

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    version: '1.2.3',
    run: RUN,
    records: [pinned, plain, billing],
    skippedSuites: [{ relativePath: 'slow.test.js', reason: 'tags', chaos: true, seed: undefined, priority: 'C', tags: ['chaos', 'slow'] }],
    failedSuites: [],
    generatedAt: '2026-01-01T00:00:01.000Z',
    ...overrides,
  };
}

describe('buildReport', () => {
  const report = buildReport(input());

  test('lists every recorded test, sorted by file and name, with its file priority, tags and fault counts', () => {
    expect(report.tests.map((test) => [test.file, test.fullName])).toEqual([
      ['billing.test.js', 'chaos: pays'],
      ['billing.test.js', 'chaos: pays | once'],
      ['ledger.test.js', 'chaos: balances'],
      ['plain.test.js', 'adds'],
      ['plain.test.js', 'chaos: inline'],
    ]);
    const pays = report.tests[0];
    expect(pays?.faults).toEqual([{ rule: 'http.refused * p=0.5', hits: 2 }]);
    expect(pays?.priority).toBe('A');
    expect(report.tests[4]?.tags).toEqual(['chaos']);
    expect(report.tests[3]).toMatchObject({ chaos: false, seed: null, baseSeed: null, replay: null, faults: [] });
  });

  test('totals count chaos tests only, faults summed over tests, priorities A B C then unprioritised', () => {
    expect(report.totals.tests).toEqual({ total: 4, passed: 2, failed: 1, skipped: 1, skippedDisabled: 0, notSelected: 1 });
    expect(report.totals.suites).toEqual({ ran: 2, skippedDisabled: 0, notSelected: 1, errored: 0 });
    expect(report.totals.faults).toEqual([
      { rule: 'http.refused * p=0.5', hits: 3 },
      { rule: 'db.down primary', hits: 1 },
    ]);
    expect(report.totals.byPriority.map((group) => [group.priority, group.tests, group.failed])).toEqual([
      ['A', 2, 1],
      [null, 2, 0],
    ]);
  });

  test('a pinned file keeps its own base seed; the run keeps the run seed', () => {
    expect(report.runs[0]?.baseSeed).toBe(1234);
    expect(report.suites.find((suite) => suite.file === 'ledger.test.js')).toMatchObject({ baseSeed: 42, seedPinned: true });
  });

  test('a chaos file that failed to run is listed with its error; an ordinary one is not', () => {
    const failed = buildReport(
      input({
        failedSuites: [
          { relativePath: 'broken.test.js', testPath: '/p/broken.test.js', chaos: true, priority: 'B', error: 'jest-chaos: invalid rule' },
          { relativePath: 'other.test.js', testPath: '/p/other.test.js', chaos: false, priority: undefined, error: 'SyntaxError' },
        ],
      }),
    );
    expect(failed.suites.filter((suite) => suite.status === 'error').map((suite) => [suite.file, suite.error])).toEqual([['broken.test.js', 'jest-chaos: invalid rule']]);
    expect(failed.totals.suites.errored).toBe(1);
    expect(failed.suites.find((suite) => suite.file === 'broken.test.js')?.priority).toBe('B');
    expect(headline(failed)).toBe('jest-chaos: base seed 1234; 3 chaos tests ran, 1 failed, 1 suite not selected by CHAOS_TAGS, 1 suite failed to run');
  });

  test('the report satisfies its own schema, for ajv and the home-made validator, and both catch what breaks it', () => {
    expect(validateAgainst(reportSchema, JSON.parse(JSON.stringify(report)))).toEqual([]);
    expect(ajvErrors(JSON.parse(JSON.stringify(report)))).toEqual([]);
    const broken = JSON.parse(JSON.stringify(report)) as Record<string, unknown> & { tests: Record<string, unknown>[] };
    broken.tests[0]!.status = 'flaky';
    delete broken.tests[1]!.seed;
    broken.extra = 1;
    expect(validateAgainst(reportSchema, broken)).toEqual([
      '$.tests[0].status must be one of "passed", "failed", "skipped", not "flaky"',
      '$.tests[1].seed is missing',
      '$.extra is not a known field',
    ]);
    expect(ajvErrors(broken).sort()).toEqual([' must NOT have additional properties', '/tests/0/status must be equal to one of the allowed values', '/tests/1 must have required property \'seed\''].sort());
  });

  test('ajv compiles the shipped schemas in strict mode (version 1 too, which merge still reads)', () => {
    expect(() => new Ajv2020({ strict: true }).compile(reportSchemaV1)).not.toThrow();
    expect(ajv.getSchema(reportSchema.$id)).toBeDefined();
  });
});

test('serializeReport: valid JSON that reads back the same, one line per run, suite and test', () => {
  const report = buildReport(input());
  const text = serializeReport(report);
  expect(JSON.parse(text)).toEqual(report);
  const lines = text.split('\n');
  for (const test of report.tests) expect(lines).toContain(`    ${JSON.stringify(test)}${test === report.tests.at(-1) ? '' : ','}`);
  expect(lines.length).toBe(1 + 3 + (report.runs.length + 2) + 1 + (report.suites.length + 2) + (report.tests.length + 2) + (report.chaosTests.length + 2) + 2);
});

describe('summary', () => {
  const report = buildReport(input());

  test('names the run seed, the files with their own seed, faults by rule, failures with replay, priorities', () => {
    const text = formatSummary(report, { color: false }, 'chaos-report.json', 'chaos-report.html').join('\n');
    expect(text).toBe(
      [
        'jest-chaos: base seed 1234; 3 chaos tests ran, 1 failed, 1 suite not selected by CHAOS_TAGS',
        '  seed      1234 (from CHAOS_SEED); rerun with CHAOS_SEED=1234',
        '            own @chaos-seed: ledger.test.js (42)',
        '  suites    2 chaos suites ran, 1 not selected by CHAOS_TAGS',
        '  tests     3 chaos tests ran: 2 passed, 1 failed; 1 skipped: 1 not selected by CHAOS_TAGS',
        '  priority  A  2 tests: 1 passed, 1 failed',
        '            -  2 tests: 1 passed, 1 skipped (no @chaos-priority)',
        '  faults    3 × http.refused * p=0.5',
        '            1 × db.down primary',
        '  failed    ✕ [A] chaos: pays | once  billing.test.js  seed 1234',
        '              expect(received).toBe(expected) // Object.is equality: Expected: -1, Received: 4',
        '              CHAOS_ENABLED=1 CHAOS_SEED=1234 npx jest billing.test.js -t x',
        '  report    chaos-report.json',
        '            chaos-report.html',
      ].join('\n'),
    );
  });

  test('colour only when asked', () => {
    expect(formatSummary(report, { color: false }).join('\n')).not.toMatch(/\u001b\[/);
    expect(formatSummary(report, { color: true }).join('\n')).toMatch(/\u001b\[31m/);
  });

  test.each([
    [true, {}, true],
    [false, {}, false],
    [undefined, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, { FORCE_COLOR: '1' }, true],
    [false, { FORCE_COLOR: '' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { FORCE_COLOR: 'false' }, false],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
  ])('useColor(tty=%s, %j) is %s', (tty, env, expected) => {
    expect(useColor(tty, env)).toBe(expected);
  });

  test('a disabled run says what was skipped and how to enable it', () => {
    const disabled = buildReport(
      input({
        run: { ...RUN, enabled: false, baseSeed: null, seedSource: 'none' },
        records: [{ ...plain, tests: [{ fullName: 'chaos: inline', chaos: true, status: 'skipped', skipped: 'disabled' }] }],
        skippedSuites: [{ relativePath: 'a.test.js', reason: 'disabled', chaos: true, seed: undefined, priority: undefined, tags: ['chaos'] }],
      }),
    );
    expect(headline(disabled)).toBe('jest-chaos: chaos is disabled: skipped 1 chaos suite and 1 chaos test in other files. Run them with CHAOS_ENABLED=1 npx jest');
    expect(formatMarkdown(disabled)).toContain('Run them with `CHAOS_ENABLED=1 npx jest`.');
  });

  test('a project without chaos prints nothing', () => {
    const none = buildReport(input({ run: { ...RUN, enabled: false, baseSeed: null, seedSource: 'none' }, records: [{ ...plain, tests: [plain.tests[0]!] }], skippedSuites: [] }));
    expect(formatSummary(none, { color: false })).toEqual([]);
  });

  test('Markdown: the commit, one line per failing test with its seed and reason, a table per priority with a seed column and escaped cells, faults, replay commands in code blocks', () => {
    const markdown = formatMarkdown(report);
    expect(markdown).toContain('**Commit:** 0123456789ab (main)\n');
    expect(markdown).toContain('### Failed chaos tests\n\n- ❌ **chaos: pays \\| once** (A, billing.test.js, seed 1234): expect(received).toBe(expected) // Object.is equality: Expected: -1, Received: 4\n');
    expect(markdown).toContain('### Priority A: 2 tests, 1 failed\n\n| Status | Test | File | Seed | Faults |\n| --- | --- | --- | ---: | --- |\n| ❌ failed | chaos: pays \\| once | billing.test.js | 1234 | 1 × http.refused * p=0.5 |');
    expect(markdown).not.toContain('### Pass rates');
    expect(markdown.indexOf('### Priority A')).toBeLessThan(markdown.indexOf('### No priority'));
    expect(markdown).toContain('| http.refused * p=0.5 | 3 |');
    expect(markdown).toContain('```sh\nCHAOS_ENABLED=1 CHAOS_SEED=1234 npx jest billing.test.js -t x\n```');
  });
});

describe('mergeReports', () => {
  const one = buildReport(input({ records: [billing], skippedSuites: [], run: { ...RUN, shard: { index: 1, count: 2 } } }));
  const two = buildReport(input({ records: [pinned, plain], run: { ...RUN, shard: { index: 2, count: 2 } } }));
  const whole = buildReport(input());
  const merge = (inputs: [string, ChaosReport][], allowMixedSeeds = false) =>
    mergeReports(
      inputs.map(([file, report]): LoadedReport => ({ file, report })),
      { allowMixedSeeds, generatedAt: 'now' },
    );

  test('shards merge into what one unsharded run reports, per test and in totals', () => {
    const { report, notes } = merge([
      ['s2.json', two],
      ['s1.json', one],
    ]);
    expect(notes).toEqual([]);
    const strip = (r: ChaosReport) => r.tests.map(({ run: _run, ...test }) => test);
    expect(strip(report)).toEqual(strip(whole));
    expect(report.totals).toEqual(whole.totals);
    expect(report.runs.map((run) => [run.source, run.shard?.index])).toEqual([
      ['s2.json', 2],
      ['s1.json', 1],
    ]);
    expect(report.tests.find((test) => test.file === 'billing.test.js')?.run).toBe(1);
  });

  test('reports of different jest-chaos versions are refused, naming the files', () => {
    expect(() => merge([['a.json', one], ['b.json', { ...two, jestChaosVersion: '9.0.0' }]])).toThrow(
      'jest-chaos: reports from different jest-chaos versions: 1.2.3 in a.json; 9.0.0 in b.json. Seeds and fault schedules may change between versions: merge reports written by one version.',
    );
  });

  test('different base seeds are refused unless allowed; allowed, each test keeps its run seed', () => {
    const other = { ...two, runs: [{ ...two.runs[0]!, baseSeed: 99 }] };
    let caught: unknown;
    try {
      merge([['a.json', one], ['b.json', other], ['c.json', two]]);
    } catch (error) {
      caught = error;
    }
    expect(isReportError(caught)).toBe(true);
    expect((caught as Error).message).toBe(
      'jest-chaos: reports from different base seeds: seed 1234 in a.json, c.json; seed 99 in b.json. Shards of one run share a seed (set CHAOS_SEED for every shard); to merge a matrix of seeds, pass --allow-mixed-seeds (each test keeps its own run\'s seed).',
    );
    const { report } = merge([['a.json', one], ['b.json', other], ['c.json', two]], true);
    expect(report.runs.map((run) => run.baseSeed)).toEqual([1234, 99, 1234]);
    // Same file under two seeds: both kept, each with its run.
    const ledger = report.tests.filter((test) => test.file === 'ledger.test.js').map((test) => report.runs[test.run]?.baseSeed);
    expect(ledger.sort()).toEqual([1234, 99]);
    expect(report.totals.tests.total).toBe(whole.totals.tests.total + 2);
  });

  test('the same file of the same seed in two reports: the last one wins, with a note', () => {
    const { report, notes } = merge([['whole.json', whole], ['s1.json', one]]);
    expect(notes).toEqual(['jest-chaos: billing.test.js (base seed 1234) is in whole.json and s1.json; kept the results of s1.json.']);
    expect(report.tests.filter((test) => test.file === 'billing.test.js').map((test) => report.runs[test.run]?.source)).toEqual(['s1.json', 's1.json']);
    expect(report.tests.length).toBe(whole.tests.length);
  });
});

describe('loadReport', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-load-'));
  const file = (name: string, text: string): string => {
    const target = path.join(dir, name);
    writeFileSync(target, text);
    return target;
  };

  test('missing file, bad JSON with its line, wrong schemaVersion, schema violations', () => {
    expect(() => loadReport(path.join(dir, 'nope.json'), '1.2.3')).toThrow(`jest-chaos: cannot read report ${path.join(dir, 'nope.json')}: no such file.`);
    const bad = file('bad.json', '{\n  "schemaVersion": 1,\n  oops\n}');
    expect(() => loadReport(bad, '1.2.3')).toThrow(new RegExp(`^jest-chaos: invalid JSON in ${bad}:3:3: `));
    const future = file('future.json', '{"schemaVersion": 3}');
    expect(() => loadReport(future, '1.2.3')).toThrow(`jest-chaos: unsupported report schemaVersion 3 in ${future}: jest-chaos 1.2.3 reads schemaVersion 1 and 2.`);
    const other = file('other.json', '{"numTotalTests": 3}');
    expect(() => loadReport(other, '1.2.3')).toThrow(`jest-chaos: not a jest-chaos report in ${other}: it has no "schemaVersion".`);
    const invalid = file('invalid.json', JSON.stringify({ ...buildReport(input()), runs: [] }));
    expect(() => loadReport(invalid, '1.2.3')).toThrow(`jest-chaos: invalid report ${invalid}: $.runs must have at least 1 item(s).`);
    const good = file('good.json', JSON.stringify(buildReport(input())));
    expect(loadReport(good, '1.2.3').report.tests.length).toBe(5);
  });
});

describe('warnings: unmatched rules and refused requests', () => {
  const quiet: FileRecord = {
    testPath: '/p/quotes.test.js',
    relativePath: 'quotes.test.js',
    baseSeed: 1234,
    seedPinned: false,
    chaosSuite: true,
    priority: 'B',
    tags: ['chaos'],
    tests: [
      {
        fullName: 'chaos: falls back',
        chaos: true,
        status: 'passed',
        seed: 21,
        rules: ['http.timeout other.example.com'],
        events: [],
        unmatched: ['http.timeout other.example.com'],
        refused: ['GET http://api.example.com/quote', 'POST http://api.example.com/order'],
        replay: 'R',
      },
      { fullName: 'chaos: skipped one', chaos: true, status: 'skipped', skipped: 'tags', unmatched: ['http.refused'] },
    ],
  };
  const report = buildReport(input({ records: [quiet, plain], skippedSuites: [] }));

  test('the report carries them per test, empty lists elsewhere, and satisfies the schema', () => {
    expect(report.tests.find((test) => test.fullName === 'chaos: falls back')).toMatchObject({
      unmatched: ['http.timeout other.example.com'],
      refused: ['GET http://api.example.com/quote', 'POST http://api.example.com/order'],
    });
    expect(report.tests.find((test) => test.fullName === 'adds')).toMatchObject({ unmatched: [], refused: [] });
    expect(validateAgainst(reportSchema, JSON.parse(JSON.stringify(report)))).toEqual([]);
    expect(ajvErrors(JSON.parse(JSON.stringify(report)))).toEqual([]);
  });

  test('the summary counts tests with warnings in its head line and lists each warning under its test', () => {
    const lines = formatSummary(report, { color: false });
    expect(lines[0]).toBe('jest-chaos: base seed 1234; 1 chaos test ran, 0 failed, 1 with warnings');
    const at = lines.findIndex((line) => line.startsWith('  warnings'));
    expect(lines.slice(at, at + 5)).toEqual([
      '  warnings  chaos: falls back  quotes.test.js',
      '              rule matched no call: http.timeout other.example.com',
      '              refused by the loopback guard: GET http://api.example.com/quote',
      '              refused by the loopback guard: POST http://api.example.com/order',
      '            CHAOS_STRICT=1 fails chaos tests with warnings.',
    ]);
    const strict = buildReport(input({ records: [quiet], skippedSuites: [], run: { ...RUN, strict: true } }));
    expect(formatSummary(strict, { color: false }).join('\n')).not.toContain('CHAOS_STRICT=1 fails');
  });

  test('no warnings, no row', () => {
    expect(formatSummary(buildReport(input()), { color: false }).some((line) => line.startsWith('  warnings'))).toBe(false);
  });

  test('Markdown: a table of the tests with warnings', () => {
    const markdown = formatMarkdown(report);
    expect(markdown).toContain('### Chaos tests with warnings');
    expect(markdown).toContain('| chaos: falls back | quotes.test.js | rule matched no call: http.timeout other.example.com<br>refused by the loopback guard: GET http://api.example.com/quote<br>refused by the loopback guard: POST http://api.example.com/order |');
  });

  test('merged reports keep them', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-warnings-'));
    const file = path.join(dir, 'a.json');
    writeFileSync(file, JSON.stringify(report));
    const merged = mergeReports([loadReport(file, '1.2.3')], { allowMixedSeeds: false, generatedAt: 'now' }).report;
    expect(merged.tests.find((test) => test.fullName === 'chaos: falls back')?.refused).toHaveLength(2);
  });
});
