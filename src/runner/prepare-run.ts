import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '@jest/types';
import { readSettings, enabledByLine, DRAWN_SEED_VARIABLE, type ChaosSettings } from '../settings/env';
import { TEST_NAME_PATTERN_VARIABLE } from '../selection/chaos-request';
import { drawSeed } from '../random/seed';
import { parseRuns } from '../runtime/runs';
import { RECORDS_DIR_VARIABLE } from '../report/records';
import { runState } from './run-state';
import { isChaosError } from '../errors/chaos-error';
import { CONFIG_ARGUMENT_VARIABLE, configArgument } from './config-argument';

/**
 * Reads the run's settings, drawing (and announcing) a base seed when chaos runs without one, and makes
 * the folder where the environments leave their records. The `--config` of the jest command goes to the
 * workers too, for their replay commands. The run's `--testNamePattern` goes into the
 * environment first: the workers that the runner starts next read their settings from it, and so take
 * the same decision (docs/selection.md).
 *
 * Both the reporter (at run start) and the runner call it: the first call of a run prepares it, later
 * ones return the same settings, so a run draws one seed whichever of the two is configured.
 * `resetRunState()` starts the next run (watch mode).
 */
export function prepareRun(globalConfig?: Pick<Config.GlobalConfig, 'testNamePattern'>): ChaosSettings {
  const state = runState();
  if (state.prepared !== undefined) return state.prepared;
  const pattern = globalConfig?.testNamePattern;
  if (pattern === undefined || pattern === null || pattern === '') delete process.env[TEST_NAME_PATTERN_VARIABLE];
  else process.env[TEST_NAME_PATTERN_VARIABLE] = pattern;
  // A seed drawn for an earlier run of this process (watch mode) is not this run's: draw again.
  delete process.env[DRAWN_SEED_VARIABLE];
  delete process.env[CONFIG_ARGUMENT_VARIABLE];
  let settings: ChaosSettings;
  try {
    settings = readSettings();
    // Checked here too, so that a bad CHAOS_RUNS stops the run before any test file is loaded.
    parseRuns(process.env.CHAOS_RUNS);
  } catch (error) {
    if (isChaosError(error)) {
      state.settingsError = error;
      // Jest prints a thrown error with its stack; the message alone says everything.
      error.stack = `${error.message}\n`;
    }
    throw error;
  }
  if (settings.enabledBy !== undefined) process.stderr.write(`${enabledByLine(settings.enabledBy)}\n`);
  if (settings.enabled && settings.seed === undefined) {
    const seed = drawSeed();
    process.env[DRAWN_SEED_VARIABLE] = String(seed);
    process.stderr.write(`jest-chaos: chaos enabled with base seed ${seed} (drawn). Replay this run with CHAOS_SEED=${seed}.\n`);
    settings = readSettings();
  }
  // The replay commands that the workers print name the config this run was given (a run without chaos prints none).
  const config = settings.enabled ? configArgument() : undefined;
  if (config !== undefined) process.env[CONFIG_ARGUMENT_VARIABLE] = config;
  if (process.env[RECORDS_DIR_VARIABLE] === undefined) {
    process.env[RECORDS_DIR_VARIABLE] = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-'));
  }
  state.prepared = settings;
  return settings;
}
