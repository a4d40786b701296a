import { prepareRun } from './chaos-runner';
import { DRAWN_SEED_VARIABLE } from '../settings/env';

describe('prepareRun', () => {
  const saved = { ...process.env };
  let write: jest.SpyInstance;

  beforeEach(() => {
    for (const key of ['CHAOS_SEED', 'CHAOS_TAGS', 'CHAOS_RUNS', 'CHAOS_STRICT', DRAWN_SEED_VARIABLE]) delete process.env[key];
    process.env.CHAOS_ENABLED = '1';
    write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    write.mockRestore();
    process.env = { ...saved };
  });

  test('draws a new seed for every run of the process (watch mode), and says so each time', () => {
    const seeds = [1, 2, 3].map(() => prepareRun().seed);
    expect(new Set(seeds).size).toBe(3);
    expect(seeds.every((seed) => seed !== undefined && Number.isInteger(seed))).toBe(true);
    expect(write.mock.calls.map(([text]) => String(text)).filter((text) => text.includes('(drawn)'))).toHaveLength(3);
  });

  test('a seed given by CHAOS_SEED is kept run after run', () => {
    process.env.CHAOS_SEED = '77';
    expect([prepareRun().seed, prepareRun().seed]).toEqual([77, 77]);
  });
});
