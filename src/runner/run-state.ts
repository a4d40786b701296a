import type { SkippedSuiteInfo } from '../report/build';
import type { ChaosSettings } from '../settings/env';

/** A test file the runner did not hand to Jest, and why. */
export interface SkippedSuite extends SkippedSuiteInfo {
  readonly path: string;
}

/** What the runner and the reporter decided in this (main) process, for each other in the same run. */
export interface RunState {
  readonly skippedSuites: SkippedSuite[];
  settingsError: Error | undefined;
  /** The run's settings once prepared (seed drawn, records folder made); undefined before. */
  prepared: ChaosSettings | undefined;
}

const slot = Symbol.for('jest-chaos.run-state');

export function runState(): RunState {
  const holder = globalThis as Record<symbol, RunState | undefined>;
  holder[slot] ??= { skippedSuites: [], settingsError: undefined, prepared: undefined };
  return holder[slot];
}

/** Forgets the previous run's decisions (watch mode runs many times in one process). */
export function resetRunState(): void {
  const state = runState();
  state.skippedSuites.length = 0;
  state.settingsError = undefined;
  state.prepared = undefined;
}
