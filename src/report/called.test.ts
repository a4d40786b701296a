import Ajv2020 from 'ajv/dist/2020';
import { buildReport } from './build';
import { calledNeverFaulted, dependencyMatrix, neverFaulted } from './matrix';
import { mergeReports } from './merge';
import type { FileRecord } from './records';
import { reportSchema, type ChaosReport, type ReportRun } from './schema';
import { formatMarkdown, formatSummary } from './summary';
import { renderHtml } from './html';
import { validateAgainst } from './validate';

const RUN: Omit<ReportRun, 'source'> = { baseSeed: 7, seedSource: 'CHAOS_SEED', enabled: true, tags: null, shard: null, startedAt: 's', endedAt: 'e', durationMs: 1, strict: false, chaosRuns: 1, commit: null, branch: null, versions: null };

const ajvValidate = new Ajv2020({ allErrors: true, strict: true }).compile(reportSchema);
const problems = (report: unknown): string[] => [...(ajvValidate(report) ? [] : (ajvValidate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`)), ...validateAgainst(reportSchema, report)];

/** One file whose first test faults api.example.com and calls more; the second faults nothing and calls pg, a seam and a local app. */
const orders: FileRecord = {
  testPath: '/p/orders.test.js',
  relativePath: 'orders.test.js',
  baseSeed: 7,
  seedPinned: false,
  chaosSuite: true,
  priority: 'B',
  tags: ['chaos'],
  tests: [
    {
      fullName: 'chaos: faults the api',
      chaos: true,
      status: 'passed',
      seed: 1,
      rules: ['http.reset api.example.com'],
      events: [{ seq: 1, rule: 'http.reset api.example.com', domain: 'http', kind: 'reset', call: 'GET https://api.example.com/x' }],
      called: [
        { type: 'host', domain: 'http', name: 'https://api.example.com:443', calls: 1 },
        { type: 'host', domain: 'http', name: 'https://audit.example.com:443', calls: 2 },
      ],
      replay: 'R1',
    },
    {
      fullName: 'chaos: calls without faults',
      chaos: true,
      status: 'failed',
      seed: 2,
      rules: [],
      events: [],
      called: [
        { type: 'host', domain: 'http', name: 'https://api.example.com:443', calls: 3 },
        { type: 'driver', domain: 'db', name: 'pg', calls: 4 },
        { type: 'seam', domain: 'cache', name: 'sessions', calls: 2, methods: ['get'] },
        { type: 'host', domain: 'http', name: 'http://127.0.0.1:40001', calls: 1 },
        { type: 'socket', domain: 'tcp', name: '127.0.0.1:6379', calls: 1 },
      ],
      calledOther: 5,
      replay: 'R2',
    },
  ],
};

const report = buildReport({ version: '1.2.3', run: RUN, records: [orders], skippedSuites: [], failedSuites: [], generatedAt: 'now' });

test('the report keeps what each test called, and satisfies its schema for ajv and the home-made validator', () => {
  expect(report.tests.map((test) => [test.called?.length, test.calledOther])).toEqual([
    [5, 5],
    [2, undefined],
  ]);
  expect(problems(JSON.parse(JSON.stringify(report)))).toEqual([]);
  const broken = JSON.parse(JSON.stringify(report)) as { tests: { called: { calls: number; type: string }[] }[] };
  broken.tests[0]!.called[0]!.calls = 0;
  broken.tests[0]!.called[1]!.type = 'queue';
  expect(problems(broken).length).toBeGreaterThanOrEqual(2);
});

test('a version 2 report written before `called` existed still validates, and merges with one that has it', () => {
  const old = JSON.parse(JSON.stringify(report)) as ChaosReport & { tests: Record<string, unknown>[] };
  for (const test of old.tests) {
    delete test.called;
    delete test.calledOther;
  }
  expect(problems(old)).toEqual([]);
  const other = { ...report, runs: [{ ...report.runs[0]!, baseSeed: 8 }] };
  const { report: merged } = mergeReports(
    [
      { file: 'old.json', report: old },
      { file: 'new.json', report: other },
    ],
    { allowMixedSeeds: true, generatedAt: 'now' },
  );
  expect(problems(JSON.parse(JSON.stringify(merged)))).toEqual([]);
  expect(merged.tests.map((test) => [test.run, test.called?.length ?? null])).toEqual([
    [0, null],
    [1, 5],
    [0, null],
    [1, 2],
  ]);
  // The old report's runs count nowhere as calls; the new one's do.
  const pg = dependencyMatrix(merged).rows.find((row) => row.name === 'pg');
  expect(pg?.called).toBe(1);
});

test('the matrix has a row for every dependency called, faulted or not; never-faulted ones are told apart', () => {
  const matrix = dependencyMatrix(report);
  expect(matrix.rows.map((row) => [row.type, row.name, row.called, neverFaulted(row)])).toEqual([
    ['host', '127.0.0.1', 1, true],
    ['host', 'api.example.com', 2, false],
    ['host', 'audit.example.com', 1, true],
    ['driver', 'pg', 1, true],
    ['seam', 'sessions', 1, true],
    ['socket', '127.0.0.1:6379', 1, true],
  ]);
  // A called row has no cells of its own: only faults and rules fill cells.
  expect(matrix.rows.find((row) => row.name === 'pg')?.cells).toEqual({});
  // The warning leaves loopback out (the code under test, local fakes): the matrix keeps it.
  expect(calledNeverFaulted(matrix).map((row) => row.name)).toEqual(['audit.example.com', 'pg', 'sessions']);
});

test('the summary, the step summary and the HTML report warn in one line about what was called and never faulted', () => {
  const line = 'called, never faulted: audit.example.com (http host), pg (db driver), sessions (cache seam)';
  expect(formatSummary(report, { color: false })).toContain(`  unfaulted ${line}`);
  expect(formatMarkdown(report)).toContain('⚠️ **Called, never faulted:** audit.example.com (http host), pg (db driver), sessions (cache seam)\n');
  const html = renderHtml(report);
  expect(html).toContain('<p class="never-faulted" id="never-faulted">Called, never faulted: audit.example.com (http host), pg (db driver), sessions (cache seam)</p>');
  expect(html).toMatch(/<tr data-dep="pg" data-called="1" class="unfaulted">/);
  expect(html).not.toMatch(/<tr data-dep="api.example.com"[^>]*class="unfaulted"/);
  const quiet = buildReport({ version: '1.2.3', run: RUN, records: [{ ...orders, tests: [orders.tests[0]!, { ...orders.tests[1]!, called: [] }] }], skippedSuites: [], failedSuites: [], generatedAt: 'now' });
  // audit.example.com is still called and never faulted; the line goes only when nothing is.
  const none = buildReport({ version: '1.2.3', run: RUN, records: [{ ...orders, tests: [{ ...orders.tests[0]!, called: [] }] }], skippedSuites: [], failedSuites: [], generatedAt: 'now' });
  expect(formatSummary(quiet, { color: false }).some((text) => text.includes('never faulted'))).toBe(true);
  expect(formatSummary(none, { color: false }).some((text) => text.includes('never faulted'))).toBe(false);
  expect(formatMarkdown(none)).not.toContain('never faulted');
  expect(renderHtml(none)).not.toContain('id="never-faulted"');
});
