import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { docFiles, parseCheck, readBlocks, REPO } from './support/doc-blocks';
import { runJest } from './support/run-jest';

/**
 * Every runnable example of the README and the docs (a ```js or ```ts block marked `<!-- checked: run <name> -->`)
 * is written out as a test file and run by a real child Jest with the preset, chaos enabled.
 */
const ROOT = REPO;
const WORK = path.join(ROOT, '.tmp', 'docs-examples');

interface Example {
  readonly name: string;
  readonly doc: string;
  readonly line: number;
  readonly language: 'js' | 'ts';
  readonly code: string;
}

const examples: Example[] = docFiles().flatMap((doc) =>
  readBlocks(doc).flatMap((block) => {
    const check = block.marker === undefined ? undefined : parseCheck(block.marker);
    if (typeof check !== 'object' || check.kind !== 'run') return [];
    return [{ name: check.name, doc, line: block.line + 1, language: block.info.startsWith('t') ? 'ts' : 'js', code: block.text } as const];
  }),
);

describe('docs examples', () => {
  test('are found, with unique names', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
    const names = examples.map((example) => example.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  test('each passes when run by jest with the preset and chaos enabled', async () => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    writeFileSync(
      path.join(WORK, 'jest.config.js'),
      `module.exports = { preset: ${JSON.stringify(path.join(ROOT, 'jest-preset.js'))}, rootDir: __dirname, testMatch: ['**/*.test.[jt]s'] };\n`,
    );
    for (const example of examples) writeFileSync(path.join(WORK, `${example.name}.test.${example.language}`), example.code);

    const run = await runJest(WORK, [], { CHAOS_ENABLED: '1', CHAOS_SEED: '7' });
    const results = new Map((run.json?.testResults ?? []).map((result) => [path.basename(result.name).replace(/\.test\.[jt]s$/, ''), result]));
    const outcome = examples.map((example) => {
      const result = results.get(example.name);
      const where = `${example.doc}:${example.line} (${example.name})`;
      if (result === undefined) return `${where}: not run\n${run.stderr.slice(-2000)}`;
      const failures = result.assertionResults.filter((assertion) => assertion.status !== 'passed');
      if (result.assertionResults.length === 0) return `${where}: no test ran\n${result.message}`;
      if (failures.length > 0 || result.status !== 'passed') return `${where}: ${result.status}\n${result.message}`;
      return `${where}: passed`;
    });
    expect(outcome).toEqual(examples.map((example) => `${example.doc}:${example.line} (${example.name}): passed`));
  }, 120_000);
});
