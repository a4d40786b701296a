import { ChaosError } from '../errors/chaos-error';
import { deriveSeed } from '../random/seed';

/** The most runs `CHAOS_RUNS` may ask for. */
export const MAX_RUNS = 1000;

/** One run of a chaos test under `CHAOS_RUNS=N`: its 1-based index and N. */
export interface RunIndex {
  readonly index: number;
  readonly of: number;
}

/** Reads `CHAOS_RUNS`: unset or empty is 1; otherwise an integer from 1 to MAX_RUNS. */
export function parseRuns(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 1;
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_RUNS) {
    throw new ChaosError('ERR_CHAOS_ENV', `invalid CHAOS_RUNS="${raw}" in the environment: not a number of runs. Valid: a whole number from 1 to ${MAX_RUNS} (how many times each chaos test runs, each under its own seed); unset for 1.`);
  }
  return Number(value);
}

/**
 * The base seed that run `index` of a chaos test behaves under: run 1 uses the run's base seed itself
 * (so `CHAOS_RUNS=1` changes nothing), run i > 1 the seed derived from it and i. A run replays alone,
 * without CHAOS_RUNS, as `CHAOS_SEED=<this seed>` with the test's own name.
 */
export function runBaseSeed(baseSeed: number, index: number): number {
  return index <= 1 ? baseSeed : deriveSeed(baseSeed, 'run', index);
}

/** The name suffix of one run: ` [run 3/20]`. */
export function runSuffix(run: RunIndex): string {
  return ` [run ${run.index}/${run.of}]`;
}
