import { createRandom, deriveSeed, drawSeed } from './seed';

describe('deriveSeed', () => {
  test('is a pure function of the base seed and the labels', () => {
    expect(deriveSeed(42, 'test/a.test.ts', 'chaos: retries')).toBe(deriveSeed(42, 'test/a.test.ts', 'chaos: retries'));
  });

  test('pinned values: changing them changes every replay command users have saved', () => {
    expect([deriveSeed(0), deriveSeed(1234, 'a.test.js', 'chaos: x'), deriveSeed(1234, 'rule', 0, 'http.refused *')]).toEqual([
      1609362278, 1900767165, 76276094,
    ]);
  });

  test('each input matters: base seed, path, test name, and the order of the labels', () => {
    const seeds = new Set([
      deriveSeed(1, 'a.test.js', 'chaos: x'),
      deriveSeed(2, 'a.test.js', 'chaos: x'),
      deriveSeed(1, 'b.test.js', 'chaos: x'),
      deriveSeed(1, 'a.test.js', 'chaos: y'),
      deriveSeed(1, 'chaos: x', 'a.test.js'),
    ]);
    expect(seeds.size).toBe(5);
  });

  test('labels are separated, so that joining them differently gives another seed', () => {
    expect(deriveSeed(1, 'ab', 'c')).not.toBe(deriveSeed(1, 'a', 'bc'));
  });

  test('stays within 32 bits', () => {
    for (let base = 0; base < 200; base++) {
      const seed = deriveSeed(base, 'x');
      expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff).toBe(true);
    }
  });
});

describe('createRandom', () => {
  test('the same seed gives the same stream, another seed another one', () => {
    const take = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
  });

  test('floats in [0, 1), spread evenly', () => {
    const random = createRandom(99);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const value = random.next();
      expect(value >= 0 && value < 1).toBe(true);
      buckets[Math.floor(value * 10)]! += 1;
    }
    for (const count of buckets) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });
});

test('drawSeed draws 32-bit integers that differ between draws', () => {
  const seeds = Array.from({ length: 20 }, drawSeed);
  for (const seed of seeds) expect(Number.isInteger(seed) && seed >= 0 && seed < 0xffffffff).toBe(true);
  expect(new Set(seeds).size).toBeGreaterThan(1);
});
