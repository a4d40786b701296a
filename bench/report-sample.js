'use strict';
// One sample of bench case H, in a process of its own as the reporter's work is at the end of a run:
//   node bench/report-sample.js <dir> <files> <testsPerFile> [--called]
// builds and serializes the report of a large run, renders its HTML, writes both into <dir>, opens the HTML
// in headless Chromium (a fresh profile) and prints the sizes and times as one JSON line.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { PACKAGE_ROOT } = require('./fixtures');
const { largeRunRecords, LARGE_RUN, CHROMIUM, CHROMIUM_ARGS } = require('./report-fixture');

const dist = (file) => require(path.join(PACKAGE_ROOT, 'dist', 'src', 'report', file));
const { buildReport } = dist('build');
const { serializeReport } = dist('write');
const { renderHtml } = dist('html');
const { dependencyMatrix } = dist('matrix');

const ms = (since) => Number(process.hrtime.bigint() - since) / 1e6;
const cpuMs = (since) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** Times `fn`: wall and CPU (this process, all threads) in ms. */
function timed(fn) {
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const value = fn();
  return { value, wallMs: ms(wallStart), cpuMs: cpuMs(cpuStart) };
}

async function main() {
  const [dir, files, testsPerFile] = process.argv.slice(2);
  const called = process.argv.includes('--called');
  const records = largeRunRecords({ files: Number(files), testsPerFile: Number(testsPerFile), called });
  const build = timed(() => {
    const report = buildReport({ version: '0.0.0', run: LARGE_RUN, records, skippedSuites: [], failedSuites: [], generatedAt: 'now' });
    return { report, json: serializeReport(report) };
  });
  const { report, json } = build.value;
  const html = timed(() => renderHtml(report, 'chaos-report.json'));
  fs.mkdirSync(dir, { recursive: true });
  const htmlFile = path.join(dir, 'chaos-report.html');
  fs.writeFileSync(path.join(dir, 'chaos-report.json'), json);
  fs.writeFileSync(htmlFile, html.value);
  const rows = dependencyMatrix(report).rows.length;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS], viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto('about:blank');
    const start = process.hrtime.bigint();
    await page.goto(`file://${htmlFile}`, { waitUntil: 'load' });
    const loadMs = ms(start);
    // Two animation frames after the load event: the page has been laid out and painted.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const renderMs = ms(start);
    const pageLoadMs = await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd);
    const shownRows = await page.locator('table.matrix tbody tr').count();
    if (shownRows !== rows) throw new Error(`the page shows ${shownRows} matrix rows, the report has ${rows}`);
    const out = {
      tests: report.tests.length,
      faults: report.tests.reduce((n, test) => n + test.events.length, 0),
      called: report.tests.reduce((n, test) => n + (test.called?.length ?? 0), 0),
      matrixRows: rows,
      jsonBytes: Buffer.byteLength(json),
      buildMs: build.wallMs,
      buildCpuMs: build.cpuMs,
      htmlBytes: Buffer.byteLength(html.value),
      htmlMs: html.wallMs,
      loadMs,
      pageLoadMs,
      renderMs,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
