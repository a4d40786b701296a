/**
 * The longest delay that a synchronous seam may be given, per call. A synchronous call that waits blocks the
 * whole process (as a slow synchronous driver does): no timer, no I/O and not even Jest's own test timeout
 * run meanwhile, so a longer delay is refused when the rule is applied rather than freezing the run.
 */
export const MAX_SYNC_DELAY_MS = 1000;

let cell: Int32Array | undefined;

/**
 * Blocks the calling thread for `ms` milliseconds of real time, the way a slow synchronous call does.
 * `Atomics.wait` on a cell that nobody notifies sleeps without spinning the CPU. Real time on purpose: fake
 * and virtual clocks cannot move while the thread is blocked.
 */
export function blockFor(ms: number): void {
  if (ms <= 0) return;
  cell ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(cell, 0, 0, Math.min(ms, MAX_SYNC_DELAY_MS));
}
