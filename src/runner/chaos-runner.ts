import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import TestRunner from 'jest-runner';
import type { Config } from '@jest/types';
import { readSettings, enabledByLine, DRAWN_SEED_VARIABLE, type ChaosSettings } from '../settings/env';
import { TEST_NAME_PATTERN_VARIABLE } from '../selection/chaos-request';
import { drawSeed } from '../random/seed';
import { parseRuns } from '../runtime/runs';
import { decideFile } from '../selection/decide-file';
import { parseSuite } from '../pragma/parse';
import { RECORDS_DIR_VARIABLE } from '../report/records';
import { runState } from './run-state';
import { isChaosError, type ChaosError } from '../errors/chaos-error';
import { emptySelectionError, unknownTagsError } from '../selection/check-tags';

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
  // A seed drawn for an earlier run of this process (watch mode) is not this run's: draw again.
  delete process.env[DRAWN_SEED_VARIABLE];
  let settings: ChaosSettings;
  try {
    settings = readSettings();
    // Checked here too, so that a bad CHAOS_RUNS stops the run before any test file is loaded.
    parseRuns(process.env.CHAOS_RUNS);
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
    const decided = tests.map((test) => {
      const rootDir = test.context.config.rootDir;
      const source = readFileSync(test.path, 'utf8');
      const relativePath = path.relative(rootDir, test.path).split(path.sep).join('/');
      return { test, source, relativePath, decision: decideFile(source, relativePath, settings) };
    });
    const expression = settings.tags;
    if (expression !== undefined) {
      const unknown = unknownTagsError(expression, decided.flatMap(({ decision }) => decision.declared));
      if (unknown !== undefined) stop(unknown);
      if (tests.length > 0 && decided.every(({ decision }) => !decision.run) && this._globalConfig.passWithNoTests !== true) {
        stop(emptySelectionError(expression, tests.length, decided.filter(({ decision }) => decision.selectedButDisabled === true).length));
      }
    }
    for (const { test, source, relativePath, decision } of decided) {
      if (decision.run) continue;
      // decideFile only skips files whose docblock parsed: parsing again cannot throw.
      const suite = parseSuite(source, relativePath);
      state.skippedSuites.push({ path: test.path, relativePath, reason: decision.reason ?? 'tags', chaos: decision.chaosSuite, seed: suite.seed, priority: suite.priority, tags: suite.tags });
    }
    return super.runTests(
      decided.filter(({ decision }) => decision.run).map(({ test }) => test),
      ...rest,
    );
  }
}

/** Stops the run before any test with a jest-chaos error; the reporter stays quiet about the run. */
function stop(error: ChaosError): never {
  runState().settingsError = error;
  // Jest prints a thrown error with its stack; the message alone says everything.
  error.stack = `${error.message}\n`;
  throw error;
}
