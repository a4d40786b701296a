import { createHash, randomInt } from 'node:crypto';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

/** A seeded source of floats in [0, 1). */
export interface ChaosRandom {
  readonly seed: number;
  next(): number;
}

/** Draws a fresh base seed for a run that was given none. */
export function drawSeed(): number {
  return randomInt(0, 0xffffffff);
}

/**
 * Derives a 32-bit seed from a base seed and labels (a file path, a test name, a rule index).
 * Stable across processes, orderings and Node versions.
 */
export function deriveSeed(base: number, ...labels: readonly (string | number)[]): number {
  const hash = createHash('sha256');
  hash.update(String(base));
  for (const label of labels) hash.update('\u0000').update(String(label));
  return hash.digest().readUInt32BE(0);
}

export function createRandom(seed: number): ChaosRandom {
  const generator = xoroshiro128plus(seed);
  return { seed, next: () => uniformFloat64(generator) };
}
