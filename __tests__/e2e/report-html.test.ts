/**
 * chaos-report.html in a real headless Chromium (Debian's `chromium`, driven by playwright-core; no
 * browser is downloaded): the matrix shows the expected cells and the dependencies called but never
 * faulted, a failing test shows its replay command and
 * its copy button copies it, user text stays text, and no request leaves the page. The screenshot is kept
 * in .tmp/report-html/ as an artifact. The HTML of a 5,000-test run renders in under 2 s.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { runJest } from '../support/run-jest';
import { runProcess } from '../support/run-process';
import { buildReport } from '../../src/report/build';
import { renderHtml } from '../../src/report/html';
import type { ChaosReport } from '../../src/report/schema';
import { CHROMIUM, CHROMIUM_ARGS, LARGE_RUN, largeRunRecords } from '../../bench/report-fixture';

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const ARTIFACTS = path.join(ROOT, '.tmp', 'report-html');
const WALLET = 'chaos: reads the balance with one retry';
const ESCAPE = `chaos: renders <img src=x onerror="document.title='pwned'"> & </script> as text`;

const work = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-report-html-'));
let context: BrowserContext;
/** Every request the pages made, and the ones that were not the report file itself (aborted). */
const requests: string[] = [];
const blocked: string[] = [];
let report: ChaosReport;
const htmlFile = path.join(work, 'chaos-report.html');

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's package (apt-get update && apt-get install -y chromium); .ci/run does.`);
  const run = await runJest('report-runs', [], { CHAOS_ENABLED: '1', CHAOS_SEED: '3', CHAOS_RUNS: '4', CHAOS_FIXTURE_OUTPUT: path.join(work, 'chaos-report.json') });
  expect(run.code).toBe(1);
  report = JSON.parse(readFileSync(path.join(work, 'chaos-report.json'), 'utf8')) as ChaosReport;
  // bypassCSP: the page's own policy must not hide a request from this test's observation.
  context = await chromium.launchPersistentContext(path.join(work, 'profile'), { executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS], viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  context.on('request', (request) => requests.push(request.url()));
  // Nothing but the report files themselves may load: anything else is recorded and aborted.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`file://${work}/`) && url.endsWith('.html')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

async function open(file: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`file://${file}`);
  return page;
}

/** The matrix cell of a dependency and a kind: its state and counts as the page shows them. */
function cellOf(page: Page, dependency: string, kind: string): Promise<{ state: string | null; passed: string | null; failed: string | null; text: string } | null> {
  return page.evaluate(
    ([dep, k]) => {
      const cell = [...document.querySelectorAll('table.matrix td')].find((td) => td.getAttribute('data-dep') === dep && td.getAttribute('data-kind') === k);
      return cell === undefined ? null : { state: cell.getAttribute('data-state'), passed: cell.getAttribute('data-passed'), failed: cell.getAttribute('data-failed'), text: (cell as HTMLElement).innerText.trim() };
    },
    [dependency, kind] as const,
  );
}

describe('the HTML report of a CHAOS_RUNS=4 run', () => {
  let page: Page;

  beforeAll(async () => {
    page = await open(htmlFile);
  });

  test('shows the outcome by priority, each explained in one line', async () => {
    const cards = await page.$$eval('.prio', (nodes) => nodes.map((node) => [node.getAttribute('data-priority'), (node as HTMLElement).innerText.replace(/\s+/g, ' ').trim()]));
    expect(cards.map(([priority]) => priority)).toEqual(['A', 'B', 'C', '-']);
    expect(cards[0]?.[1]).toContain('Priority A Financial decisions and safety');
    expect(cards[0]?.[1]).toContain('1 test, 4 runs: 2 passed, 2 failed (50% pass); 1 test failing');
    expect(cards[1]?.[1]).toContain('Priority B State consistency');
    expect(cards[2]?.[1]).toContain('Priority C Self-repair');
  });

  test('the dependency x fault-kind matrix shows the expected cells, empty where never tested', async () => {
    const rows = await page.$$eval('table.matrix tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-dep')));
    expect(rows).toEqual(['api.example.com', 'archive.example.com', 'audit.example.com', 'ioredis', 'pg', 'orders', '127.0.0.1:6379']);
    const kinds = await page.$$eval('table.matrix thead th.kind', (ths) => ths.map((th) => th.textContent));
    expect(kinds).toEqual(['timeout', 'hang', 'refused', 'reset', 'dns', 'status', 'latency', 'malformed', 'down', 'lost', 'error']);
    expect(await cellOf(page, 'api.example.com', 'status')).toEqual({ state: 'fail', passed: '2', failed: '2', text: '✓2 ✗2' });
    expect(await cellOf(page, 'api.example.com', 'reset')).toEqual({ state: 'fail', passed: '0', failed: '4', text: '✗4' });
    expect(await cellOf(page, 'api.example.com', 'latency')).toEqual({ state: 'pass', passed: '4', failed: '0', text: '✓4' });
    expect(await cellOf(page, 'orders', 'timeout')).toEqual({ state: 'pass', passed: '4', failed: '0', text: '✓4' });
    expect(await cellOf(page, 'archive.example.com', 'timeout')).toMatchObject({ state: 'armed', text: '0 fired' });
    expect(await cellOf(page, 'api.example.com', 'dns')).toMatchObject({ state: 'never', text: '' });
    expect(await cellOf(page, 'orders', 'lost')).toMatchObject({ state: 'never', text: '' });
    expect(await cellOf(page, 'api.example.com', 'down')).toMatchObject({ state: 'na' });
    expect(await cellOf(page, 'orders', 'status')).toMatchObject({ state: 'na' });
  });

  test('dependencies called and never faulted have rows of their own, empty but marked, and a one-line warning', async () => {
    // The JSON report: each run of the orders test lists the host, the drivers and the socket it called.
    const runs = report.tests.filter((test) => test.chaosRun?.name === 'chaos: finds an order after one timeout');
    expect(runs).toHaveLength(4);
    for (const run of runs) {
      expect(run.called).toEqual([
        { type: 'host', domain: 'http', name: 'http://audit.example.com:80', calls: 1 },
        { type: 'driver', domain: 'db', name: 'pg', calls: 1 },
        { type: 'socket', domain: 'tcp', name: '127.0.0.1:6379', calls: 1 },
        { type: 'driver', domain: 'cache', name: 'ioredis', calls: 2 },
      ]);
    }
    // A faulted host is called too: it is a row with cells, not a never-faulted one.
    expect(report.tests.find((test) => test.file === 'wallet.test.js')?.called).toEqual([{ type: 'host', domain: 'http', name: 'http://api.example.com:80', calls: 2 }]);
    const marked = await page.$$eval('table.matrix tbody tr.unfaulted', (trs) => trs.map((tr) => [tr.getAttribute('data-dep'), tr.getAttribute('data-called'), (tr.querySelector('th') as HTMLElement).innerText.trim()]));
    expect(marked).toEqual([
      ['audit.example.com', '4', 'http host audit.example.com never faulted'],
      ['ioredis', '4', 'cache driver ioredis never faulted'],
      ['pg', '4', 'db driver pg never faulted'],
      ['127.0.0.1:6379', '4', 'tcp socket 127.0.0.1:6379 never faulted'],
    ]);
    const pg = await page.$$eval('table.matrix tr[data-dep="pg"] td', (tds) => tds.map((td) => [td.getAttribute('data-state'), td.getAttribute('title')]));
    expect(new Set(pg.map(([state]) => state))).toEqual(new Set(['never', 'na']));
    expect(pg.find(([state]) => state === 'never')?.[1]).toBe('never faulted: 4 test runs called pg, none faulted it');
    expect(await page.locator('tr[data-dep="pg"]').isVisible()).toBe(true);
    expect(await page.locator('#never-faulted').innerText()).toBe('Called, never faulted: audit.example.com (http host), ioredis (cache driver), pg (db driver)');
    expect(await page.locator('tr[data-dep="api.example.com"]').getAttribute('class')).toBeNull();
  });

  test('the flakiest tests by pass rate, with their failing seeds', async () => {
    const rows = await page.$$eval('#flakiest tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim())));
    const wallet = report.chaosTests.find((rate) => rate.name === WALLET)!;
    expect(rows.map((row) => row.slice(0, 4))).toEqual([
      ['0/4 (0%)', ESCAPE, 'escape.test.js', '-'],
      ['2/4 (50%)', WALLET, 'wallet.test.js', 'A'],
    ]);
    expect(rows[1]?.[4]).toBe(wallet.failingSeeds.map((seed) => seed.baseSeed).join(', '));
  });

  test('a failing test shows its faults in order, its failure message and its replay command, which the copy button copies', async () => {
    const wallet = report.chaosTests.find((rate) => rate.name === WALLET)!;
    const article = page.locator('article.failing', { hasText: WALLET });
    const runs = article.locator('.run');
    expect(await runs.count()).toBe(2);
    const first = runs.first();
    expect(await first.locator('ol.events li').allInnerTexts()).toEqual([
      'http.status api.example.com GET http://api.example.com/balance rule http.status api.example.com status=503 p=0.5',
      'http.status api.example.com GET http://api.example.com/balance rule http.status api.example.com status=503 p=0.5',
    ]);
    expect(await first.locator('pre.message').innerText()).toBe('balance unavailable: 503');
    expect(await first.locator('.replay code').innerText()).toBe(wallet.failingSeeds[0]?.replay);
    await first.locator('button.copy').click();
    // The label turns to Copied once the clipboard holds the text.
    await first.locator('button.copy', { hasText: 'Copied' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(wallet.failingSeeds[0]?.replay);
  });

  test('user text stays text: names and messages with markup run nothing and show as written', async () => {
    expect(await page.title()).toBe('jest-chaos report');
    expect(await page.locator('img').count()).toBe(0);
    const article = page.locator('article.failing', { hasText: 'feed failed' });
    expect(await article.locator('h3').innerText()).toBe(`- ${ESCAPE}`);
    expect(await article.locator('pre.message').first().innerText()).toBe("<script>document.title='pwned'</script> feed failed with ECONNRESET");
    const escape = report.chaosTests.find((rate) => rate.name === ESCAPE)!;
    await article.locator('button.copy').first().click();
    await article.locator('button.copy', { hasText: 'Copied' }).first().waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(escape.failingSeeds[0]?.replay);
  });

  test('loads nothing: no request but the file itself, a policy that forbids any, and a screenshot kept as an artifact', async () => {
    const html = readFileSync(htmlFile, 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'; img-src data:; base-uri 'none'; form-action 'none'">/);
    expect(html).not.toMatch(/(?:src|href)="(?!#)/);
    // The policy names the page's own style and script by their hashes (this browser bypasses it to see every request).
    const sha = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(html).toContain(`style-src ${sha(style)}; script-src ${sha(script)};`);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<style>/g)).toHaveLength(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'chaos-report.png'), fullPage: true });
    expect(statSync(path.join(ARTIFACTS, 'chaos-report.png')).size).toBeGreaterThan(10_000);
    expect(blocked).toEqual([]);
    expect(requests.every((url) => url === `file://${htmlFile}` || url.startsWith(`file://${work}/`))).toBe(true);
  });
});

test('merge writes the same HTML report for the merged report', async () => {
  const { code } = await runProcess(process.execPath, [CLI, 'merge', path.join(work, 'chaos-report.json'), '-o', path.join(work, 'merged.json')], { cwd: work, env: { ...process.env, GITHUB_STEP_SUMMARY: '' } });
  expect(code).toBe(0);
  const page = await open(path.join(work, 'merged.html'));
  expect(await cellOf(page, 'api.example.com', 'status')).toEqual({ state: 'fail', passed: '2', failed: '2', text: '✓2 ✗2' });
  expect(await page.locator('article.failing').count()).toBe(2);
  expect(await page.locator('footer').innerText()).toContain('from merged.json');
  expect(blocked).toEqual([]);
});

test('the HTML of 5,000 chaos tests with 5 faults each opens whole in Chromium (its time is bench case H)', async () => {
  const big = buildReport({ version: '0.0.0', run: LARGE_RUN, records: largeRunRecords(), skippedSuites: [], failedSuites: [], generatedAt: 'now' });
  const file = path.join(work, 'big.html');
  writeFileSync(file, renderHtml(big, 'big.json'));
  const page = await context.newPage();
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  expect(big.tests).toHaveLength(5000);
  expect(await page.locator('table.matrix tbody tr').count()).toBe(20);
  expect(await page.locator('article.failing').count()).toBe(50);
});
