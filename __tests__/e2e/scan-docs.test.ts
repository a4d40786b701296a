import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { docBlocks, writeDocBlocks } from '../support/doc-blocks';
import { copyFixture, runCli, SCAN_FIXTURES } from './fixtures/scan/support';

/**
 * Every code block of docs/scan.md is marked `<!-- checked: by __tests__/e2e/scan-docs.test.ts <name> -->` and
 * equals what the test produces for that name: the fixture files the example scans, and the real output of
 * the commands it shows (docs-blocks.test.ts requires the marker).
 * `SCAN_DOCS_UPDATE=1` writes the produced text into the blocks instead (then review the diff).
 */
jest.setTimeout(30_000);

const EXAMPLE = path.join(SCAN_FIXTURES, 'docs-example');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

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

test('every code block of docs/scan.md equals the real file or output', async () => {
  const produced = await produce();
  if (process.env.SCAN_DOCS_UPDATE === '1') {
    writeDocBlocks(__filename, 'docs/scan.md', produced);
    return;
  }
  const found = docBlocks(__filename, 'docs/scan.md');
  expect([...found.keys()].sort()).toEqual(Object.keys(produced).sort());
  for (const [name, block] of found) expect({ block: `docs/scan.md:${block.line} (${name})`, content: block.text }).toEqual({ block: `docs/scan.md:${block.line} (${name})`, content: produced[name] });
});
