import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readSettings } from '../settings/env';
import { decideFile } from './decide-file';
import { TEST_NAME_PATTERN_VARIABLE, testNamePatternFromArgv } from './chaos-request';
import { unknownTagsError } from './check-tags';
import { runningJestMajor } from './jest-major';


/**
 * Jest's `filter` hook, used so that `jest --listTests` lists only the files that would run.
 * In a normal run the runner does the selection (it also works inside `projects`), so this passes everything.
 */
async function listFilter(testPaths: string[]): Promise<{ filtered: unknown[] }> {
  let kept = testPaths;
  if (process.argv.includes('--listTests') || process.argv.includes('--list-tests')) {
    // No runner runs for --listTests: the pattern comes from the command line, as the runner would hand it over.
    const settings = readSettings({ ...process.env, [TEST_NAME_PATTERN_VARIABLE]: testNamePatternFromArgv(process.argv) });
    const decisions = testPaths.map((testPath) => ({ testPath, decision: decideFile(readFileSync(testPath, 'utf8'), path.relative(process.cwd(), testPath), settings) }));
    if (settings.tags !== undefined) {
      const unknown = unknownTagsError(settings.tags, decisions.flatMap(({ decision }) => decision.declared));
      if (unknown !== undefined) {
        unknown.stack = `${unknown.message}\n`;
        throw unknown;
      }
    }
    kept = decisions.filter(({ decision }) => decision.run).map(({ testPath }) => testPath);
  }
  return { filtered: runningJestMajor() >= 30 ? kept : kept.map((test) => ({ test })) };
}

export = listFilter;
