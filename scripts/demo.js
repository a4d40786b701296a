#!/usr/bin/env node
// The demo: examples/service, a small profile API, run the way a project runs jest-chaos.
//   1. everyday CI (`npx jest`): chaos suites skipped, the summary says so;
//   2. the scheduled chaos job (`CHAOS_ENABLED=1 CHAOS_SEED=42 npx jest`): every scenario green;
//   3. the same job against a fragile build (DEMO_FRAGILE=1): one chaos test fails and prints its replay command;
//   4. that replay command, run as printed: the same test fails with the same faults;
//   5. a misaimed chaos test (its rule names a host the service never calls) passes while testing nothing,
//      with a warning; strict mode (CHAOS_STRICT=1, as the scheduled CI templates set it) fails it.
// Exits 0 only when every step behaved as described. `--no-build` uses dist/ as it is.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const example = path.join(root, 'examples', 'service');
const reportPath = path.join(example, 'chaos-report.json');
const jestBin = require.resolve('jest/bin/jest', { paths: [root] });
const STEP_TIMEOUT_MS = 120000;
const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;

const paint = (code) => (text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint('1');
const green = paint('32');
const red = paint('31');
const dim = paint('2');

function say(text = '') {
  process.stdout.write(`${text}\n`);
}

function stripAnsi(text) {
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

// ---------------------------------------------------------------------------------------------
// Build (only when dist/ is missing or older than the sources)

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfNeeded() {
  const built = path.join(root, 'dist', 'src', 'index.js');
  const skip = process.argv.includes('--no-build');
  if (skip) {
    if (!fs.existsSync(built)) {
      say(red('dist/ is missing: run `npm run build` first, or run the demo without --no-build.'));
      return false;
    }
    return true;
  }
  const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
  const sourcesAt = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'environments')));
  if (builtAt >= sourcesAt) return true;
  say(dim('Building jest-chaos (dist/ is older than src/)...'));
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  return build.status === 0;
}

// ---------------------------------------------------------------------------------------------
// Running Jest and reading what it printed

/** The parent's environment without any chaos settings, so that each step sets exactly what it shows. */
function cleanEnv(extra) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(CHAOS_|JEST_CHAOS_)/.test(key) || key === 'DEMO_FRAGILE' || key === 'JEST_WORKER_ID') delete env[key];
  }
  if (color && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1';
  return { ...env, ...extra };
}

/** Runs a command in the example, echoing its output as it comes, and keeps the text for checks. */
function run(command, args, extraEnv) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: example, env: cleanEnv(extraEnv), timeout: STEP_TIMEOUT_MS });
    let output = '';
    const relay = (target) => (chunk) => {
      output += chunk.toString();
      target.write(chunk);
    };
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stdout));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: stripAnsi(output), seconds: (Date.now() - started) / 1000 }));
  });
}

function runJest(env, args = []) {
  return run(process.execPath, [jestBin, '--ci', ...args], env);
}

/**
 * What a run printed: the chaos reporter's summary line (seed, counts, fault hits) and, from Jest's
 * failure output, each failed chaos test with the replay command jest-chaos attached to it.
 */
function chaosSummary(output) {
  const disabled = /chaos is disabled: skipped (\d+) chaos suites? and (\d+) chaos tests?/.exec(output);
  const enabled = /base seed (\d+)[^;\n]*; (\d+) chaos tests? ran, (\d+) failed/.exec(output);
  const hits = new Map();
  if (enabled !== null) {
    const after = output.slice(enabled.index).split(/^Test Suites:/m)[0];
    for (const match of after.matchAll(/(?:^|\s)(\d+) × (.+)$/gm)) hits.set(match[2].trim(), Number(match[1]));
  }
  const failed = new Map();
  for (const match of output.matchAll(/● (.+)\n\s*\n\s*jest-chaos: replay this test with the same faults:\s*\n\s*\n\s*(CHAOS_ENABLED=\S+ CHAOS_SEED=\d+ npx jest .+)/g)) {
    const name = match[1].trim().split(' › ').join(' ');
    failed.set(name, { name, replay: match[2].trim() });
  }
  const tests = /^Tests: +(.+)$/m.exec(output);
  return {
    skippedSuites: disabled === null ? undefined : Number(disabled[1]),
    skippedTests: disabled === null ? undefined : Number(disabled[2]),
    seed: enabled === null ? undefined : Number(enabled[1]),
    ran: enabled === null ? undefined : Number(enabled[2]),
    failedCount: enabled === null ? undefined : Number(enabled[3]),
    hits,
    failed: [...failed.values()],
    jestTests: tests === null ? undefined : tests[1].trim(),
  };
}

function readReport() {
  try {
    return JSON.parse(fs.readFileSync(reportPath, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The report's entry for one test, whatever else the report holds. */
function reportedTest(report, fullName) {
  const tests = Array.isArray(report?.tests) ? report.tests : [];
  return tests.find((test) => test && test.fullName === fullName);
}

function eventLines(events) {
  return (events ?? []).map((event) => `${event.rule} -> ${event.call}${event.delayMs === undefined ? '' : ` (+${event.delayMs} ms)`}`);
}

// ---------------------------------------------------------------------------------------------
// The steps

const checks = [];

function check(ok, text) {
  checks.push({ ok, text });
  say(`${ok ? green('  ✔') : red('  ✘')} ${text}`);
  return ok;
}

function exitText(run, green) {
  const verdict = (run.code === 0) === green ? (green ? 'green, as expected' : 'red, as expected') : `expected ${green ? 'green' : 'red'}`;
  return `exit code ${run.code} (${verdict}) in ${run.seconds.toFixed(1)} s`;
}

function header(number, title, lines, command) {
  say();
  say(bold(`━━━ Step ${number}/5: ${title} ${'━'.repeat(Math.max(3, 70 - title.length))}`));
  for (const line of lines) say(`  ${line}`);
  say();
  say(bold(`  $ ${command}`));
  say();
}

async function main() {
  const started = Date.now();
  say(bold('jest-chaos demo: examples/service, a profile API with an upstream, a primary and a replica, and a cache'));
  if (process.env.DATABASE_URL || process.env.REDIS_URL) say(`  using ${[process.env.DATABASE_URL && 'PostgreSQL (DATABASE_URL)', process.env.REDIS_URL && 'Redis (REDIS_URL)'].filter(Boolean).join(' and ')}`);
  if (!buildIfNeeded()) {
    say(red('The build failed: the demo needs dist/.'));
    return 1;
  }
  fs.rmSync(reportPath, { force: true });

  header(1, 'everyday CI', [
    'Every push runs the suite as usual. The four chaos suites (test/chaos/*.test.ts, tagged with @chaos)',
    'are not even loaded, and the chaos tests inside an ordinary file (chaos.test) are reported as skipped.',
  ], 'npx jest');
  const everyday = await runJest({});
  const daily = chaosSummary(everyday.output);
  check(everyday.code === 0, exitText(everyday, true));
  check((daily.skippedSuites ?? 0) > 0 && (daily.skippedTests ?? 0) > 0, `summary: ${daily.skippedSuites ?? '?'} chaos suites and ${daily.skippedTests ?? '?'} chaos tests skipped (Jest: ${daily.jestTests ?? '?'})`);
  if (!allOk()) return finish(started, true);

  header(2, 'the scheduled chaos job', [
    'A nightly job turns chaos on with a seed. Each scenario injects its faults:',
    '(a) the identity API times out -> the cached profile is served;',
    '(b) the primary database drops its connections -> reads go to the read replica;',
    '(c) 30% latency and 10% refused connections on the identity API -> retries and the cache answer every request;',
    '(d) the cache is down -> the API still answers 200 from the database.',
  ], 'CHAOS_ENABLED=1 CHAOS_SEED=42 npx jest');
  const scheduled = await runJest({ CHAOS_ENABLED: '1', CHAOS_SEED: '42' });
  const nightly = chaosSummary(scheduled.output);
  check(scheduled.code === 0, exitText(scheduled, true));
  const totalHits = [...nightly.hits.values()].reduce((sum, n) => sum + n, 0);
  check(nightly.seed === 42 && (nightly.ran ?? 0) > 0 && nightly.failedCount === 0 && totalHits > 0, `summary: seed ${nightly.seed ?? '?'}, ${nightly.ran ?? '?'} chaos tests ran, ${nightly.failedCount ?? '?'} failed, ${totalHits} faults injected by ${nightly.hits.size} rules`);
  // A red chaos job on the sound build means the service itself is broken: the fragile steps would prove nothing.
  if (!allOk()) return finish(started, true);

  header(3, 'the chaos job against a fragile build', [
    'DEMO_FRAGILE=1 wires the service without its replica fallback, a slip that every ordinary test misses',
    '(the fallback code itself is unit-tested). The chaos job catches it: scenario (b) fails and prints',
    'the command that replays it with the same faults.',
  ], 'DEMO_FRAGILE=1 CHAOS_ENABLED=1 CHAOS_SEED=42 npx jest');
  fs.rmSync(reportPath, { force: true });
  const fragile = await runJest({ DEMO_FRAGILE: '1', CHAOS_ENABLED: '1', CHAOS_SEED: '42' });
  const broken = chaosSummary(fragile.output);
  check(fragile.code !== 0, exitText(fragile, false));
  const failure = broken.failed[0];
  check(broken.failed.length === 1 && failure !== undefined && /read replica/.test(failure.name), `exactly one chaos test failed: ${failure === undefined ? 'none' : `"${failure.name}"`}`);
  check(failure !== undefined && /^CHAOS_ENABLED=1 CHAOS_SEED=42 npx jest \S+ -t .+/.test(failure.replay), `replay command printed: ${failure === undefined ? 'none' : failure.replay}`);
  check(/Tests: +1 failed, \d+ passed/.test(fragile.output), `every other test still passed (Jest: ${broken.jestTests ?? '?'})`);

  const report = readReport();
  const reported = failure === undefined ? undefined : reportedTest(report, failure.name);
  say();
  if (report === undefined) {
    say(`  chaos report: ${path.relative(root, reportPath)} was not written (this build of the reporter does not write one).`);
  } else {
    say(`  chaos report: ${path.relative(root, reportPath)}`);
    for (const group of report.totals?.byPriority ?? []) say(`    priority ${group.priority ?? '-'}: ${group.tests} chaos test${group.tests === 1 ? '' : 's'}, ${group.passed} passed, ${group.failed} failed, ${group.skipped} skipped`);
    if (reported !== undefined) {
      say(`    failed test: ${reported.fullName} (file ${reported.file}, test seed ${reported.seed})`);
      for (const line of eventLines(reported.events)) say(`      fault: ${line}`);
      say(`      replay: ${reported.replay}`);
    }
  }

  header(4, 'replaying the failure', [
    'Paste the printed command (on the same fragile build): the one test runs alone, with the faults',
    'drawn from the same seed, and fails the same way.',
  ], failure === undefined ? '(no replay command was printed)' : `DEMO_FRAGILE=1 ${failure?.replay}`);
  if (failure === undefined) {
    check(false, 'nothing to replay');
  } else {
    fs.rmSync(reportPath, { force: true });
    const replay = await run('sh', ['-c', failure.replay], { DEMO_FRAGILE: '1' });
    const again = chaosSummary(replay.output);
    check(replay.code !== 0, exitText(replay, false));
    check(again.seed === 42 && again.ran === 1 && again.failed.length === 1 && again.failed[0].name === failure.name, `the same test failed, alone, with seed ${again.seed ?? '?'}`);
    const replayed = reportedTest(readReport(), failure.name);
    if (reported !== undefined && replayed !== undefined) {
      const before = eventLines(reported.events);
      const after = eventLines(replayed.events);
      for (const line of after) say(`      fault: ${line}`);
      check(before.length > 0 && JSON.stringify(before) === JSON.stringify(after) && reported.seed === replayed.seed, `the same test seed (${replayed.seed}) and the same ${after.length} fault(s) in the same order as in step 3 (from the chaos report)`);
    } else {
      // Without the JSON report, compare the summary's fault counts for the rules this test used.
      const same = again.hits.size > 0 && [...again.hits].every(([rule, count]) => broken.hits.get(rule) === count);
      check(same, `the same faults as in step 3: ${[...again.hits].map(([rule, count]) => `${count} × ${rule}`).join(', ') || 'none'}`);
    }
  }

  const strictArgs = ['--testMatch', '<rootDir>/strict/**/*.test.ts'];
  header(5, 'strict mode: a chaos test that tested nothing', [
    'A scenario whose rule names a host the service never calls injects nothing and passes: a green that',
    'means nothing. The summary lists the rule that matched no call; CHAOS_STRICT=1 (which the scheduled',
    'CI templates set) fails the test and names the rule.',
  ], 'CHAOS_ENABLED=1 CHAOS_STRICT=1 CHAOS_SEED=42 npx jest --testMatch "<rootDir>/strict/**/*.test.ts"');
  fs.rmSync(reportPath, { force: true });
  const lenient = await runJest({ CHAOS_ENABLED: '1', CHAOS_SEED: '42' }, strictArgs);
  check(lenient.code === 0 && /http\.timeout identity\.internal ms=50/.test(lenient.output.split(/^Test Suites:/m)[1] ?? ''), `without CHAOS_STRICT: ${exitText(lenient, true)}, and the summary warns about the rule that matched no call`);
  const strict = await runJest({ CHAOS_ENABLED: '1', CHAOS_STRICT: '1', CHAOS_SEED: '42' }, strictArgs);
  const named = /jest-chaos: strict mode: rule "http\.timeout identity\.internal ms=50" \(strict\/misaimed-timeout\.test\.ts:2\) matched no call in this test/.test(strict.output);
  check(strict.code !== 0 && named, `with CHAOS_STRICT=1: ${exitText(strict, false)}, naming the rule that matched no call`);

  return finish(started, false);
}

function allOk() {
  return checks.every((item) => item.ok);
}

/** The verdict: every check of every step that ran. */
function finish(started, stoppedEarly) {
  const failed = checks.filter((item) => !item.ok);
  say();
  say(bold(`Demo ${failed.length === 0 ? green('passed') : red('failed')}: ${checks.length - failed.length}/${checks.length} checks in ${((Date.now() - started) / 1000).toFixed(1)} s.`));
  for (const item of failed) say(red(`  ✘ ${item.text}`));
  if (stoppedEarly) say(red('  The demo stopped there: the later steps need the earlier ones green.'));
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
);
