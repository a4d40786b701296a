/**
 * A config that names the chaos environment and the chaos reporter but not the chaos runner: the
 * reporter prepares the run as the runner does, so every file of the run shares one drawn base seed
 * (replayed by CHAOS_SEED=<that seed>) and the report holds every test. With the runner too (the
 * preset), the run still draws one seed. On Jest 29 and 30.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAJORS, runJestMajor } from '../support/jest-majors';
import type { JestRun } from '../support/run-jest';
import type { ChaosReport } from '../../src/report/schema';

jest.setTimeout(120_000);

const FIXTURE = 'report-parts';
const work = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-report-parts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Each test's `chaos.seed` as the fixture recorded it, `<file> <test>` -> seed. */
function recordedSeeds(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)]));
}

/** The seeds that the run drew and announced. */
function drawnSeeds(run: JestRun): number[] {
  return [...run.stderr.matchAll(/jest-chaos: chaos enabled with base seed (\d+) \(drawn\)/g)].map((match) => Number(match[1]));
}

async function chaosRun(major: number, name: string, env: Record<string, string>, config?: string): Promise<{ run: JestRun; report: ChaosReport; seeds: Record<string, string> }> {
  const report = path.join(work, `${major}-${name}.json`);
  const seeds = path.join(work, `${major}-${name}.seeds`);
  const run = await runJestMajor(major as 29 | 30, FIXTURE, ['-w', '2'], { CHAOS_ENABLED: '1', CHAOS_FIXTURE_OUTPUT: report, CHAOS_SEEDS_FILE: seeds, ...env }, config === undefined ? {} : { config });
  if (run.code !== 0) throw new Error(`jest exited with ${String(run.code)}:\n${run.stderr.slice(-3000)}`);
  return { run, report: JSON.parse(readFileSync(report, 'utf8')) as ChaosReport, seeds: recordedSeeds(seeds) };
}

const FILES = ['orders.test.js', 'payments.test.js', 'stock.test.js'];

describe.each(MAJORS)('Jest %i', (major) => {
  test('environment and reporter without the runner: one drawn base seed for every file, and CHAOS_SEED=<it> replays every test', async () => {
    const drawn = await chaosRun(major, 'drawn', {});
    const [seed, ...others] = drawnSeeds(drawn.run);
    expect(others).toEqual([]);
    expect(drawn.report.runs[0]).toMatchObject({ baseSeed: seed, seedSource: 'drawn' });
    const bySeed = drawn.report.tests.map((test) => [test.file, test.baseSeed]).sort();
    expect(bySeed).toEqual(FILES.flatMap((file) => [[file, seed], [file, seed]]));
    expect(Object.keys(drawn.seeds)).toHaveLength(6);
    const replay = await chaosRun(major, 'replay', { CHAOS_SEED: String(seed) });
    expect(drawnSeeds(replay.run)).toEqual([]);
    expect(replay.seeds).toEqual(drawn.seeds);
  });

  test('the preset (runner and reporter both prepare the run) still draws one seed', async () => {
    const { run, report } = await chaosRun(major, 'preset', {}, 'jest.preset.config.js');
    const [seed, ...others] = drawnSeeds(run);
    expect(others).toEqual([]);
    expect(new Set(report.tests.map((test) => test.baseSeed))).toEqual(new Set([seed]));
    expect(report.tests).toHaveLength(6);
  });
});
