import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runJest } from './support/run-jest';

/**
 * Every runnable example of the README and the docs (a ```js or ```ts block whose first line is `// docs-example: <name>`)
 * is written out as a test file and run by a real child Jest with the preset, chaos enabled.
 */
const ROOT = path.join(__dirname, '..');
const DOCS = path.join(ROOT, 'docs');
const WORK = path.join(ROOT, '.tmp', 'docs-examples');

interface Example {
  readonly name: string;
  readonly doc: string;
  readonly line: number;
  readonly language: 'js' | 'ts';
  readonly code: string;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

function extractExamples(file: string): Example[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(js|ts|javascript|typescript)\s*$/.exec(lines[i] ?? '');
    const marker = /^\/\/ docs-example: ([\w-]+)\s*$/.exec(lines[i + 1] ?? '');
    if (fence === null || marker === null) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    if (end === -1) throw new Error(`${path.relative(ROOT, file)}:${i + 1}: unterminated code block`);
    examples.push({
      name: marker[1] as string,
      doc: path.relative(ROOT, file),
      line: i + 2,
      language: fence[1]?.startsWith('t') === true ? 'ts' : 'js',
      // The marker line goes: a file-level docblock must be the first thing in the file.
      code: lines.slice(i + 2, end).join('\n'),
    });
    i = end;
  }
  return examples;
}

const examples = [path.join(ROOT, 'README.md'), ...markdownFiles(DOCS)].flatMap(extractExamples);

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
    for (const example of examples) writeFileSync(path.join(WORK, `${example.name}.test.${example.language}`), `${example.code}\n`);

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
