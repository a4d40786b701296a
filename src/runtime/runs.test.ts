import { parseRuns, runBaseSeed, runSuffix } from './runs';
import { deriveSeed } from '../random/seed';

describe('CHAOS_RUNS', () => {
  test('unset or empty is one run; a whole number from 1 to 1000 is that many', () => {
    expect([parseRuns(undefined), parseRuns(''), parseRuns('1'), parseRuns(' 20 '), parseRuns('1000')]).toEqual([1, 1, 1, 20, 1000]);
  });

  test.each(['0', '-2', '2.5', 'ten', '1001', '1e3'])('"%s" is an error that says what is valid', (raw) => {
    expect(() => parseRuns(raw)).toThrow(`jest-chaos: invalid CHAOS_RUNS="${raw}" in the environment: not a number of runs. Valid: a whole number from 1 to 1000`);
  });
});

describe('the seed of each run', () => {
  test('run 1 is the base seed itself; later runs are derived from the base seed and the index', () => {
    expect(runBaseSeed(42, 1)).toBe(42);
    expect(runBaseSeed(42, 2)).toBe(deriveSeed(42, 'run', 2));
    const seeds = new Set(Array.from({ length: 20 }, (_, i) => runBaseSeed(42, i + 1)));
    expect(seeds.size).toBe(20);
  });

  test('is pinned: these values only change in a major release', () => {
    expect([2, 3, 20].map((index) => runBaseSeed(1234, index))).toEqual([2202336222,2000558288,731291976]);
  });

  test('names a run as -t selects it', () => {
    expect(runSuffix({ index: 3, of: 20 })).toBe(' [run 3/20]');
  });
});
