import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyFixture, ROOT, runCli, SCAN_FIXTURES } from './fixtures/scan/support';

/**
 * Every code block of docs/scan.md is marked `<!-- scan-doc: <name> -->` and equals what the test produces
 * for that name: the fixture files the example scans, and the real output of the commands it shows.
 * `SCAN_DOCS_UPDATE=1` writes the produced text into the blocks instead (then review the diff).
 */
jest.setTimeout(30_000);

const DOC = path.join(ROOT, 'docs', 'scan.md');
const EXAMPLE = path.join(SCAN_FIXTURES, 'docs-example');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

interface Block {
  readonly name: string | undefined;
  readonly line: number;
  /** Index of the block's first content line and of its closing fence, in the doc's lines. */
  readonly start: number;
  readonly end: number;
  readonly content: string;
}

function blocks(text: string): Block[] {
  const lines = text.split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```\w*$/.test(lines[i]!)) continue;
    const end = lines.findIndex((line, j) => j > i && line === '```');
    const marker = /^<!-- scan-doc: (\S+) -->$/.exec(lines[i - 1] ?? '');
    found.push({ name: marker?.[1], line: i + 1, start: i + 1, end, content: lines.slice(i + 1, end).map((line) => `${line}\n`).join('') });
    i = end;
  }
  return found;
}

/** The text each marked block must hold. */
async function produce(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  out.help = `$ npx jest-chaos scan --help\n${(await runCli(EXAMPLE, ['scan', '--help'])).stdout}`;
  for (const file of ['src/billing.ts', 'src/orders.ts', 'test/chaos/payments-timeout.test.ts']) out[file] = readFileSync(path.join(EXAMPLE, file), 'utf8');
  out.table = `$ npx jest-chaos scan\n${(await runCli(EXAMPLE, ['scan'])).stdout}`;
  const manifest = JSON.parse(readFileSync(path.join(EXAMPLE, 'package.json'), 'utf8')) as Record<string, unknown>;
  out.priorities = `${JSON.stringify({ 'jest-chaos': manifest['jest-chaos'] }, null, 2)}\n`;
  const result = JSON.parse((await runCli(EXAMPLE, ['scan', '--json'])).stdout) as Record<string, unknown> & { dependencies: unknown[]; scenarios: unknown[] };
  out.json = `${JSON.stringify({ ...result, rootDir: '/path/to/project', dependencies: result.dependencies.slice(0, 1), scenarios: result.scenarios.slice(0, 1) }, null, 2)}\n`;
  const copy = copyFixture('docs-example', made);
  await runCli(copy, ['scan', '--write', 'test/chaos']);
  out.skeleton = readFileSync(path.join(copy, 'test', 'chaos', 'pg-lost.test.ts'), 'utf8');
  const failing = await runCli(EXAMPLE, ['scan', '--fail-under', 'A']);
  out['fail-under'] = `$ npx jest-chaos scan --fail-under A > /dev/null\n${failing.stderr}$ echo $?\n${failing.code}\n`;
  const empty = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-scan-doc-'));
  made.push(empty);
  out.agent = `$ npx jest-chaos init --agent\n${(await runCli(empty, ['init', '--agent'])).stdout.split(empty).join('/path/to/project')}`;
  return out;
}

test('every code block of docs/scan.md is marked and equals the real file or output', async () => {
  const text = readFileSync(DOC, 'utf8');
  const found = blocks(text);
  const produced = await produce();
  if (process.env.SCAN_DOCS_UPDATE === '1') {
    const lines = text.split('\n');
    for (const block of [...found].reverse()) {
      if (block.name !== undefined && produced[block.name] !== undefined) lines.splice(block.start, block.end - block.start, ...produced[block.name]!.replace(/\n$/, '').split('\n'));
    }
    writeFileSync(DOC, lines.join('\n'));
    return;
  }
  expect(found.filter((block) => block.name === undefined).map((block) => `docs/scan.md:${block.line} has no scan-doc marker`)).toEqual([]);
  expect(found.map((block) => block.name).sort()).toEqual(Object.keys(produced).sort());
  for (const block of found) expect({ block: `docs/scan.md:${block.line} (${block.name})`, content: block.content }).toEqual({ block: `docs/scan.md:${block.line} (${block.name})`, content: produced[block.name!] });
});
