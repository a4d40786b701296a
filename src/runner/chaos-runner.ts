import { readFileSync } from 'node:fs';
import path from 'node:path';
import TestRunner from 'jest-runner';
import { decideFile } from '../selection/decide-file';
import { parseSuite } from '../pragma/parse';
import { runState } from './run-state';
import { prepareRun } from './prepare-run';
import type { ChaosError } from '../errors/chaos-error';
import { emptySelectionError, unknownTagsError } from '../selection/check-tags';

type RunTests = TestRunner['runTests'];

/**
 * Jest's default runner, less the test files that this run does not select: chaos suites while chaos is
 * disabled, and files whose tags do not match CHAOS_TAGS. Those files are never transformed nor loaded.
 */
export default class ChaosRunner extends TestRunner {
  override async runTests(...args: Parameters<RunTests>): ReturnType<RunTests> {
    const [tests, ...rest] = args;
    const state = runState();
    // The chaos reporter prepares the run when the run starts; without it, the runner prepares and ends it.
    const preparedHere = state.prepared === undefined;
    try {
      const settings = prepareRun(this._globalConfig);
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
      return await super.runTests(
        decided.filter(({ decision }) => decision.run).map(({ test }) => test),
        ...rest,
      );
    } finally {
      if (preparedHere) state.prepared = undefined;
    }
  }
}

/** Stops the run before any test with a jest-chaos error; the reporter stays quiet about the run. */
function stop(error: ChaosError): never {
  runState().settingsError = error;
  // Jest prints a thrown error with its stack; the message alone says everything.
  error.stack = `${error.message}\n`;
  throw error;
}
