import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildReport, type ReportInput } from './build';
import { loadReport, mergeReports } from './merge';
import type { FileRecord } from './records';
import { chaosTestRates, flakiest, rateText } from './rates';
import type { ChaosReport, ReportRun } from './schema';
import type { TestRecord } from '../runtime/file-chaos';

const RUN: Omit<ReportRun, 'source'> = {
  baseSeed: 7,
  seedSource: 'CHAOS_SEED',
  enabled: true,
  tags: null,
  shard: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:01.000Z',
  durationMs: 1000,
  strict: false,
  chaosRuns: 3,
  commit: null,
  branch: null,
  versions: { node: '20.0.0', jest: '30.0.0', jestChaos: '1.0.0' },
};

const NAME = 'chaos: reads the balance';

/** Run i of 3 of a test, under base seed 100 + i. */
function run(i: number, status: 'passed' | 'failed', extra: Partial<TestRecord> = {}): TestRecord {
  return {
    fullName: `${NAME} [run ${i}/3]`,
    chaos: true,
    status,
    attempts: 1,
    chaosRun: { index: i, of: 3, name: NAME, baseSeed: 100 + i },
    durationMs: 12,
    seed: 1000 + i,
    rules: ['http.status api.example.com status=503 p=0.5'],
    events: [],
    ...(status === 'failed' ? { failure: { message: `Error: balance unavailable: 503\n    more`, frame: `balance (/p/flaky.test.js:9:13)` } } : {}),
    replay: `CHAOS_ENABLED=1 CHAOS_SEED=${100 + i} npx jest flaky.test.js -t '^${NAME}$'`,
    ...extra,
  };
}

function file(tests: TestRecord[]): FileRecord {
  return { testPath: '/p/flaky.test.js', relativePath: 'flaky.test.js', baseSeed: 7, seedPinned: false, chaosSuite: true, priority: 'A', tags: ['chaos'], tests };
}

function report(tests: TestRecord[], overrides: Partial<ReportInput> = {}): ChaosReport {
  return buildReport({ version: '1.0.0', run: RUN, records: [file(tests)], skippedSuites: [], failedSuites: [], generatedAt: 'now', ...overrides });
}

describe('per test entry', () => {
  const built = report([run(1, 'passed'), run(2, 'failed'), run(3, 'passed', { attempts: 2 })]);

  test('attempts, duration, failure with its first user frame, and the CHAOS_RUNS run', () => {
    expect(built.tests[1]).toMatchObject({
      attempts: 1,
      durationMs: 12,
      failure: { message: 'Error: balance unavailable: 503\n    more', frame: 'balance (/p/flaky.test.js:9:13)' },
      chaosRun: { index: 2, of: 3, name: NAME, baseSeed: 102 },
      seed: 1002,
    });
    expect(built.tests[0]).toMatchObject({ failure: null, attempts: 1 });
    expect(built.tests[2]?.attempts).toBe(2);
  });
});

describe('chaosTests: pass rates', () => {
  test('CHAOS_RUNS runs group by file and name without the run suffix; a pass on retry is a pass', () => {
    const built = report([run(1, 'passed'), run(2, 'failed'), run(3, 'passed', { attempts: 2 })]);
    expect(built.chaosTests).toEqual([
      {
        file: 'flaky.test.js',
        name: NAME,
        priority: 'A',
        runs: 3,
        passed: 2,
        failed: 1,
        skipped: 0,
        passedOnRetry: 1,
        passRate: 2 / 3,
        failingSeeds: [{ run: 0, baseSeed: 102, seed: 1002, fullName: `${NAME} [run 2/3]`, replay: `CHAOS_ENABLED=1 CHAOS_SEED=102 npx jest flaky.test.js -t '^${NAME}$'`, reason: 'Error: balance unavailable: 503' }],
      },
    ]);
    expect(built.totals.chaosTests).toEqual({ total: 1, ran: 1, allPassed: 0, someFailed: 1, allFailed: 0 });
    expect(rateText(built.chaosTests[0]!)).toBe('2/3 (67%)');
  });

  test('several CI seeds merged: one test, one entry per seed, failing seeds with their replay', () => {
    const plain = (seed: number, status: 'passed' | 'failed'): ChaosReport =>
      buildReport({
        version: '1.0.0',
        run: { ...RUN, baseSeed: seed, chaosRuns: 1 },
        records: [{ ...file([{ fullName: NAME, chaos: true, status, attempts: 1, seed: seed * 10, rules: [], events: [], replay: `CHAOS_SEED=${seed}` }]), baseSeed: seed }],
        skippedSuites: [],
        failedSuites: [],
        generatedAt: 'now',
      });
    const merged = mergeReports(
      [
        { file: 'a.json', report: plain(1, 'passed') },
        { file: 'b.json', report: plain(2, 'failed') },
        { file: 'c.json', report: plain(3, 'failed') },
        { file: 'd.json', report: plain(4, 'passed') },
      ],
      { allowMixedSeeds: true, generatedAt: 'now' },
    ).report;
    expect(merged.chaosTests).toHaveLength(1);
    expect(merged.chaosTests[0]).toMatchObject({ runs: 4, passed: 2, failed: 2, passRate: 0.5 });
    expect(merged.chaosTests[0]?.failingSeeds.map((seed) => [seed.run, seed.baseSeed, seed.replay])).toEqual([
      [1, 2, 'CHAOS_SEED=2'],
      [2, 3, 'CHAOS_SEED=3'],
    ]);
  });

  test('flakiest: lowest pass rate first, only tests that failed', () => {
    const rates = chaosTestRates(
      report([
        run(1, 'failed'),
        run(2, 'failed'),
        run(3, 'passed'),
        { fullName: 'chaos: steady', chaos: true, status: 'passed', seed: 1, events: [], replay: 'R' },
        { fullName: 'chaos: broken', chaos: true, status: 'failed', seed: 2, events: [], replay: 'R' },
      ]).tests,
    );
    expect(flakiest(rates).map((rate) => [rate.name, rateText(rate)])).toEqual([
      ['chaos: broken', '0/1 (0%)'],
      [NAME, '1/3 (33%)'],
    ]);
  });
});

describe('merge reads schema version 1', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-v1-'));
  const v1 = {
    schemaVersion: 1,
    jestChaosVersion: '1.0.0',
    generatedAt: 'then',
    runs: [{ baseSeed: 7, seedSource: 'CHAOS_SEED', enabled: true, tags: null, shard: null, startedAt: 'then', durationMs: 5, source: null }],
    totals: {
      suites: { ran: 1, skippedDisabled: 0, notSelected: 0, errored: 0 },
      tests: { total: 2, passed: 1, failed: 1, skipped: 0, skippedDisabled: 0, notSelected: 0 },
      faults: [{ rule: 'db.down orders', hits: 1 }],
      byPriority: [{ priority: null, tests: 2, passed: 1, failed: 1, skipped: 0 }],
    },
    suites: [{ run: 0, file: 'a.test.js', chaos: true, status: 'ran', skipped: null, baseSeed: 7, seedPinned: false, priority: null, tags: ['chaos'], error: null }],
    tests: [1, 2].map((i) => ({
      run: 0,
      file: 'a.test.js',
      fullName: `chaos: x [run ${i}/2]`,
      chaos: true,
      status: i === 1 ? 'passed' : 'failed',
      skipped: null,
      baseSeed: 7,
      seed: i,
      rules: ['db.down orders'],
      faults: i === 1 ? [{ rule: 'db.down orders', hits: 1 }] : [],
      events: i === 1 ? [{ seq: 1, rule: 'db.down orders', domain: 'db', kind: 'down', call: 'db orders.find' }] : [],
      replay: `CHAOS_ENABLED=1 CHAOS_SEED=${i === 1 ? 7 : 555} npx jest a.test.js -t '^chaos: x$'`,
      priority: null,
      tags: ['chaos'],
    })),
  };

  test('as version 2: null for what it did not record, targets from calls, runs from names', () => {
    const file = path.join(dir, 'v1.json');
    writeFileSync(file, JSON.stringify(v1));
    const loaded = loadReport(file, '1.0.0').report;
    expect(loaded.schemaVersion).toBe(2);
    expect(loaded.runs[0]).toMatchObject({ endedAt: null, commit: null, versions: null, strict: false, chaosRuns: 2 });
    expect(loaded.tests[0]).toMatchObject({ attempts: null, durationMs: null, failure: null, unmatched: [], refused: [], chaosRun: { index: 1, of: 2, name: 'chaos: x', baseSeed: 7 } });
    expect(loaded.tests[0]?.events[0]?.target).toBe('orders');
    expect(loaded.chaosTests[0]).toMatchObject({ name: 'chaos: x', runs: 2, passRate: 0.5, failingSeeds: [{ baseSeed: 555 }] });
  });
});
