import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import TestRunner from 'jest-runner';
import type { Config } from '@jest/types';
import { readSettings, enabledByLine, DRAWN_SEED_VARIABLE, type ChaosSettings } from '../settings/env';
import { TEST_NAME_PATTERN_VARIABLE } from '../selection/chaos-request';
import { drawSeed } from '../random/seed';
import { decideFile } from '../selection/decide-file';
import { parseSuite } from '../pragma/parse';
import { RECORDS_DIR_VARIABLE } from '../report/records';
import { runState } from './run-state';
import { isChaosError } from '../errors/chaos-error';

type RunTests = TestRunner['runTests'];

/**
 * Reads the run's settings once, drawing (and announcing) a base seed when chaos runs without one. The
 * run's `--testNamePattern` goes into the environment first: the workers that the runner starts next read
 * their settings from it, and so take the same decision (docs/selection.md).
 */
export function prepareRun(globalConfig?: Pick<Config.GlobalConfig, 'testNamePattern'>): ChaosSettings {
  const pattern = globalConfig?.testNamePattern;
  if (pattern === undefined || pattern === null || pattern === '') delete process.env[TEST_NAME_PATTERN_VARIABLE];
  else process.env[TEST_NAME_PATTERN_VARIABLE] = pattern;
  let settings: ChaosSettings;
  try {
    settings = readSettings();
  } catch (error) {
    if (isChaosError(error)) {
      runState().settingsError = error;
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
  if (process.env[RECORDS_DIR_VARIABLE] === undefined) {
    process.env[RECORDS_DIR_VARIABLE] = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-'));
  }
  return settings;
}

/**
 * Jest's default runner, less the test files that this run does not select: chaos suites while chaos is
 * disabled, and files whose tags do not match CHAOS_TAGS. Those files are never transformed nor loaded.
 */
export default class ChaosRunner extends TestRunner {
  override async runTests(...args: Parameters<RunTests>): ReturnType<RunTests> {
    const [tests, ...rest] = args;
    const settings = prepareRun(this._globalConfig);
    const state = runState();
    const kept = tests.filter((test) => {
      const rootDir = test.context.config.rootDir;
      const source = readFileSync(test.path, 'utf8');
      const relativePath = path.relative(rootDir, test.path).split(path.sep).join('/');
      const decision = decideFile(source, relativePath, settings);
      if (!decision.run) {
        // decideFile only skips files whose docblock parsed: parsing again cannot throw.
        const suite = parseSuite(source, relativePath);
        state.skippedSuites.push({ path: test.path, relativePath, reason: decision.reason ?? 'tags', chaos: decision.chaosSuite, seed: suite.seed, priority: suite.priority, tags: suite.tags });
      }
      return decision.run;
    });
    return super.runTests(kept, ...rest);
  }
}
