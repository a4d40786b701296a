import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES, runJest, statuses } from '../support/run-jest';

jest.setTimeout(60000);

const FIXTURE = path.join(FIXTURES, 'lazy-ts');

interface LoadRecord {
  pid: number;
  worker: string | null;
  lazyTransformer: boolean;
  tsJest: number;
  typescript: boolean;
}

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the fixture with a fresh cache (no timings, so two files go to two workers) and every process
 * recording, at exit, whether it loaded the preset's TypeScript transformer, ts-jest and TypeScript.
 */
async function runRecorded(args: string[]) {
  const records = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-lazy-ts-'));
  const cache = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-lazy-ts-cache-'));
  temporary.push(records, cache);
  const run = await runJest(FIXTURE, ['--maxWorkers=2', `--cacheDirectory=${cache}`, ...args], {
    LAZY_TS_RECORDS: records,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(FIXTURE, 'record-loads.js')}`.trim(),
  });
  const loads = readdirSync(records).map((name) => JSON.parse(readFileSync(path.join(records, name), 'utf8')) as LoadRecord);
  return { run, loads };
}

test('a JavaScript-only run loads the TypeScript transformer in its workers but never ts-jest or TypeScript', async () => {
  const { run, loads } = await runRecorded(['plain', 'other']);
  expect(run.json?.numTotalTestSuites).toBe(2);
  expect(statuses(run)).toEqual({
    'a JavaScript test file runs through the preset': 'passed',
    'a second JavaScript test file, so that a run of the JavaScript files alone uses workers': 'passed',
  });
  // Jest loaded the configured transformers in test workers (and the main process), so the check below
  // looks where it matters; other worker processes (file crawling) load no transformer at all...
  expect(loads.filter((record) => record.lazyTransformer && record.worker !== null).length).toBeGreaterThan(0);
  // ...and no process of the run loaded ts-jest or the TypeScript compiler.
  for (const record of loads) expect({ pid: record.pid, tsJest: record.tsJest, typescript: record.typescript }).toEqual({ pid: record.pid, tsJest: 0, typescript: false });
});

test('with a TypeScript test file, ts-jest is loaded on use and both kinds of file pass through the preset', async () => {
  const { run, loads } = await runRecorded([]);
  expect(run.json?.numTotalTestSuites).toBe(3);
  expect(statuses(run)).toEqual({
    'a TypeScript test file runs through the preset': 'passed',
    'a JavaScript test file runs through the preset': 'passed',
    'a second JavaScript test file, so that a run of the JavaScript files alone uses workers': 'passed',
  });
  // The recording sees ts-jest where it is used: the same check as above would fail if ts-jest were loaded.
  expect(loads.some((record) => record.worker !== null && record.lazyTransformer && record.tsJest > 0 && record.typescript)).toBe(true);
});
