#!/usr/bin/env node
// Screenshots an HTML chaos report in headless Chromium (Debian's `chromium` package, driven by
// playwright-core; nothing is downloaded, and the page may make no request).
//
//   node scripts/report-screenshot.js                      the demo's report -> docs/images/chaos-report.png
//   node scripts/report-screenshot.js <report.html> <out.png> [--full]
//
// Without arguments it first runs the demo's scheduled chaos job against the fragile build
// (examples/service, DEMO_FRAGILE=1 CHAOS_ENABLED=1 CHAOS_SEED=42 CHAOS_RUNS=3), which writes
// examples/service/chaos-report.html, then takes the screenshot that docs/report.md shows.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Flags that keep Chromium from reaching anything: no component updates, no sync, no background traffic. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function fail(message) {
  process.stderr.write(`report-screenshot: ${message}\n`);
  process.exit(1);
}

function runDemoJob() {
  const example = path.join(root, 'examples', 'service');
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^(CHAOS_|JEST_CHAOS_)/.test(key) || key === 'JEST_WORKER_ID') delete env[key];
  Object.assign(env, { DEMO_FRAGILE: '1', CHAOS_ENABLED: '1', CHAOS_SEED: '42', CHAOS_RUNS: '3', FORCE_COLOR: '0' });
  const jest = require.resolve('jest/bin/jest', { paths: [root] });
  const run = spawnSync(process.execPath, [jest, '--ci'], { cwd: example, env, encoding: 'utf8' });
  const html = path.join(example, 'chaos-report.html');
  // The fragile build fails a chaos test on purpose: exit code 1 is expected; no report is not.
  if (!fs.existsSync(html)) fail(`the demo job wrote no ${path.relative(root, html)} (jest exited with ${run.status}):\n${run.stderr.slice(-3000)}`);
  return html;
}

/**
 * Opens `htmlFile` in a fresh Chromium profile, with every request other than the file itself aborted and
 * recorded, and writes a PNG of it. Returns the requests that the page tried to make.
 */
async function screenshot(htmlFile, outFile, { fullPage = false, width = 1280, height = 900 } = {}) {
  if (!fs.existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: apt-get install -y chromium (Debian's package).`);
  const { chromium } = require('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-chromium-'));
  const url = `file://${path.resolve(htmlFile)}`;
  const blocked = [];
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width, height } });
  try {
    await context.route('**/*', (route) => {
      if (route.request().url() === url) return route.continue();
      blocked.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(url);
    fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
    await page.screenshot({ path: outFile, fullPage });
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return blocked;
}

module.exports = { screenshot, CHROMIUM, CHROMIUM_ARGS };

if (require.main === module) {
  (async () => {
    const args = process.argv.slice(2).filter((arg) => arg !== '--full');
    const fullPage = process.argv.includes('--full');
    const htmlFile = args[0] ?? runDemoJob();
    const outFile = args[1] ?? path.join(root, 'docs', 'images', 'chaos-report.png');
    const blocked = await screenshot(htmlFile, outFile, { fullPage, height: 1100 });
    if (blocked.length > 0) fail(`the page tried to make requests: ${blocked.join(', ')}`);
    process.stdout.write(`report-screenshot: ${path.relative(process.cwd(), outFile)}\n`);
  })().catch((error) => fail(error.stack || String(error)));
}
