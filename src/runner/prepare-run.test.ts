import { prepareRun } from './prepare-run';
import { resetRunState } from './run-state';
import { DRAWN_SEED_VARIABLE } from '../settings/env';

describe('prepareRun', () => {
  const saved = { ...process.env };
  let write: jest.SpyInstance;

  beforeEach(() => {
    for (const key of ['CHAOS_SEED', 'CHAOS_TAGS', 'CHAOS_RUNS', 'CHAOS_STRICT', DRAWN_SEED_VARIABLE]) delete process.env[key];
    process.env.CHAOS_ENABLED = '1';
    resetRunState();
    write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    write.mockRestore();
    resetRunState();
    process.env = { ...saved };
  });

  const drawnLines = (): string[] => write.mock.calls.map(([text]) => String(text)).filter((text) => text.includes('(drawn)'));

  test('draws a new seed for every run of the process (watch mode), and says so each time', () => {
    const seeds = [1, 2, 3].map(() => {
      resetRunState();
      return prepareRun().seed;
    });
    expect(new Set(seeds).size).toBe(3);
    expect(seeds.every((seed) => seed !== undefined && Number.isInteger(seed))).toBe(true);
    expect(drawnLines()).toHaveLength(3);
  });

  test('within one run, the reporter and the runner both preparing it draw one seed, announced once', () => {
    const [first, second] = [prepareRun(), prepareRun({ testNamePattern: 'ignored' })];
    expect(second.seed).toBe(first.seed);
    expect(process.env[DRAWN_SEED_VARIABLE]).toBe(String(first.seed));
    expect(drawnLines()).toHaveLength(1);
  });

  test('a seed given by CHAOS_SEED is kept run after run', () => {
    process.env.CHAOS_SEED = '77';
    const first = prepareRun().seed;
    resetRunState();
    expect([first, prepareRun().seed]).toEqual([77, 77]);
  });
});
