#!/usr/bin/env node
'use strict';
// npm run bench [-- --rounds N] [-- --quick] [-- --only A,C,H,N,R]
// Measures what jest-chaos costs next to plain Jest. See docs/performance.md.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');
const fixtures = require('./fixtures');

const ROOT = fixtures.PACKAGE_ROOT;
const WORK = path.join(__dirname, 'work');
const CACHE = path.join(WORK, '.cache');
const JEST = path.join(path.dirname(require.resolve('jest/package.json', { paths: [ROOT] })), 'bin', 'jest.js');
/** Whether each case starts with a discarded warm-up round (not in --quick mode, which runs on a cold cache). */
const WARM_UP = { value: true };
/** The sides a run compares (--sides), or undefined for all. */
const SIDES = { value: undefined };
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function parseArgs(argv) {
  const options = { rounds: 5, quick: false, only: undefined, workers: 2, output: path.join(__dirname, 'results.json') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) fail(`${arg} needs a value`);
      return next;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--rounds') options.rounds = positive(value(), arg);
    else if (arg === '--workers' || arg === '-w') options.workers = positive(value(), arg);
    else if (arg === '--only') options.only = new Set(value().toUpperCase().split(','));
    else if (arg === '--output') options.output = path.resolve(value());
    else if (arg === '--table') options.table = true;
    else if (arg === '--sides') options.sides = new Set(value().split(','));
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: npm run bench -- [--quick] [--rounds N] [--workers N] [--only A,B,C,D,E,F,H,N,R,S] [--sides name,name] [--output file] [--table]\n');
      process.exit(0);
    } else fail(`unknown option ${arg}`);
  }
  if (options.quick && !argv.includes('--rounds')) options.rounds = 1;
  return options;
}

function positive(text, name) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a positive integer, got "${text}"`);
  return n;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

const median = (values) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n, digits = 3) => (n === null || n === undefined ? null : Number(n.toFixed(digits)));

/** The environment of every child Jest: no chaos settings inherited from the caller. */
function baseEnv(extra = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('CHAOS_') || key.startsWith('JEST_CHAOS_')) delete env[key];
  delete env.NODE_OPTIONS;
  return { ...env, FORCE_COLOR: '0', ...extra };
}

/**
 * Runs one child Jest; returns wall and CPU seconds (user+sys, workers included), the JSON results
 * and the output. Throws when the run fails or runs a different number of tests than expected.
 */
function runJest({ label, config, args = [], env = {}, nodeArgs = [], expectTests, allowFailure = false }) {
  const jsonFile = path.join(WORK, `.last-${process.pid}.json`);
  const timeFile = path.join(WORK, `.time-${process.pid}.txt`);
  fs.rmSync(jsonFile, { force: true });
  fs.rmSync(timeFile, { force: true });
  const jestArgs = [...nodeArgs, JEST, '--ci', '--config', config, '--json', '--outputFile', jsonFile, ...args];
  const command = TIME ? TIME : process.execPath;
  const commandArgs = TIME ? ['-f', '%e %U %S', '-o', timeFile, process.execPath, ...jestArgs] : jestArgs;
  const start = process.hrtime.bigint();
  const child = spawnSync(command, commandArgs, { cwd: path.dirname(config), env: baseEnv(env), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  let cpu = null;
  if (TIME && fs.existsSync(timeFile)) {
    const last = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpu = last[1] + last[2];
  }
  const json = fs.existsSync(jsonFile) ? JSON.parse(fs.readFileSync(jsonFile, 'utf8')) : undefined;
  const output = `${child.stdout}\n${child.stderr}`;
  if (!allowFailure) {
    if (child.status !== 0 || json === undefined || !json.success) {
      throw new Error(`${label}: jest exited with ${child.status}\n${output.slice(-4000)}`);
    }
    if (expectTests !== undefined && json.numPassedTests !== expectTests) {
      throw new Error(`${label}: expected ${expectTests} passing tests, got ${json.numPassedTests} (of ${json.numTotalTests})`);
    }
  }
  return { wall, cpu, json, output, status: child.status };
}

/**
 * Alternates the sides round by round (the first round is a discarded warm-up that also fills each
 * side's transform cache), so that a burst of load on this machine hits both sides alike.
 */
function alternate(rounds, allSides, log, warmUp = WARM_UP.value) {
  // --sides: only these sides (e.g. `--only R --sides chaos,tcp` for more rounds of one comparison).
  const sides = SIDES.value === undefined ? allSides : allSides.filter((side) => SIDES.value.has(side.name));
  const samples = Object.fromEntries(sides.map((s) => [s.name, { wall: [], cpu: [] }]));
  for (let r = warmUp ? 0 : 1; r <= rounds; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const result = runJest(side.run);
      if (side.check) side.check(result);
      if (r === 0) continue;
      samples[side.name].wall.push(round(result.wall));
      samples[side.name].cpu.push(round(result.cpu));
    }
    log(`  round ${r === 0 ? 'warm-up' : r}: ${sides.map((s) => `${s.name} ${r === 0 ? '-' : samples[s.name].wall.at(-1).toFixed(2)}s`).join(', ')}`);
  }
  const summary = {};
  for (const side of sides) {
    summary[side.name] = { wallMedian: round(median(samples[side.name].wall)), cpuMedian: round(median(samples[side.name].cpu)), wall: samples[side.name].wall, cpu: samples[side.name].cpu };
  }
  return summary;
}

function ratioCase({ id, title, target, summary, chaos = 'chaos', plain = 'plain', extra = {} }) {
  if (summary[chaos] === undefined || summary[plain] === undefined) return { id, title, unit: 's', sides: summary, ratio: null, cpuRatio: null, target: `<= ${target}x`, met: null, ...extra };
  const ratio = round(summary[chaos].wallMedian / summary[plain].wallMedian);
  const cpuRatio = summary[chaos].cpuMedian && summary[plain].cpuMedian ? round(summary[chaos].cpuMedian / summary[plain].cpuMedian) : null;
  return { id, title, unit: 's', sides: summary, ratio, cpuRatio, target: `<= ${target}x`, met: ratio <= target, ...extra };
}

function versionOf(name) {
  try {
    return require(require.resolve(`${name}/package.json`, { paths: [ROOT] })).version;
  } catch {
    return null;
  }
}

function machine() {
  let npm = null;
  try {
    npm = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // npm not on PATH: leave it out.
  }
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGB: round(os.totalmem() / 1024 ** 3, 1),
    loadAverageAtStart: os.loadavg().map((n) => round(n, 2)),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    npm,
    jest: versionOf('jest'),
    nock: versionOf('nock'),
    jestChaos: require(path.join(ROOT, 'package.json')).version,
    date: new Date().toISOString(),
  };
}

/** Heap sizes Jest printed per file with --logHeapUsage, in completion order (MB). */
function heapSizes(output) {
  return [...output.matchAll(/\((\d+(?:\.\d+)?) MB heap size\)/g)].map((m) => Number(m[1]));
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.table) {
    // Print the table of an earlier run.
    process.stdout.write(`${table(JSON.parse(fs.readFileSync(options.output, 'utf8')))}\n`);
    return;
  }
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'config', 'preset.js'))) fail('dist/ is missing: run `npm run build` first');
  const q = options.quick;
  const sizes = {
    trivial: q ? 30 : 200,
    http: q ? 30 : 200,
    // More than 20 files per side: below that Jest may run in band, which would compare different modes.
    selection: q ? 50 : 100,
    heavy: q ? { modules: 4, functionsEach: 4000 } : { modules: 8, functionsEach: 5000 },
    requests: q ? 200 : 2000,
    heap: q ? 40 : 500,
    leaks: q ? 4 : 10,
    scan: q ? 200 : 2000,
    redis: q ? { files: 10, commands: 2000 } : { files: 50, commands: 10000 },
    // The issue's run in both modes: its target is about this size.
    report: { files: 100, testsPerFile: 50 },
    // beforeAll about 1.5 s of CPU, the test about 20 ms.
    runs: { count: 10, fileSteps: 320e6, testSteps: 4e6 },
  };
  const rounds = options.rounds;
  WARM_UP.value = !q;
  SIDES.value = options.sides;
  // In one worker the heap barely varies between runs, while a 500-file run takes minutes: one measured round.
  const heapRounds = 1;
  const w = ['-w', String(options.workers)];
  const wanted = (id) => options.only === undefined || options.only.has(id);
  const log = (line) => process.stdout.write(`${line}\n`);
  fs.mkdirSync(WORK, { recursive: true });

  const results = { machine: machine(), settings: { rounds, heapRounds, workers: options.workers, quick: q, sizes, cache: q ? 'cold (--quick: no warm-up round), one cache directory per side' : 'warm, one cache directory per side, filled by a discarded warm-up round' }, cases: [] };
  log(`jest-chaos bench: ${rounds} round(s) after a warm-up, -w ${options.workers}${q ? ', quick sizes' : ''}`);
  const started = Date.now();

  if (wanted('A')) {
    log(`A: ${sizes.trivial} trivial files, chaos disabled`);
    const a = fixtures.caseA(WORK, CACHE, sizes.trivial);
    const expect = sizes.trivial * 3;
    const summary = alternate(rounds, [
      { name: 'plain', run: { label: 'A plain', config: a.configs.plain, args: w, expectTests: expect } },
      { name: 'chaos', run: { label: 'A chaos', config: a.configs.chaos, args: w, expectTests: expect } },
    ], log);
    results.cases.push(ratioCase({ id: 'A', title: `${sizes.trivial} trivial files, chaos disabled`, target: 1.03, summary }));
  }

  if (wanted('B')) {
    log(`B: ${sizes.http} files, every test's request answered by a rule (chaos) or nock (plain)`);
    const b = fixtures.httpCase(WORK, CACHE, 'b-http', sizes.http);
    const expect = sizes.http * 3;
    const summary = alternate(rounds, [
      { name: 'plain', run: { label: 'B plain', config: b.configs.plain, args: w, expectTests: expect } },
      { name: 'chaos', run: { label: 'B chaos', config: b.configs.chaos, args: w, env: { CHAOS_ENABLED: '1', CHAOS_SEED: '1' }, expectTests: expect } },
    ], log);
    results.cases.push(ratioCase({ id: 'B', title: `${sizes.http} files, chaos enabled, an HTTP rule faults every test's request (plain: nock)`, target: 1.1, summary }));
  }

  if (wanted('C')) {
    log(`C: ${sizes.selection} files, half of them chaos suites that load a heavy module`);
    const c = fixtures.caseC(WORK, CACHE, sizes.selection, sizes.heavy);
    const expect = c.half * 3;
    const summary = alternate(rounds, [
      { name: 'plain', run: { label: 'C plain (ordinary files only)', config: c.configs.plain, args: w, expectTests: expect } },
      { name: 'chaos', run: { label: 'C chaos (CHAOS_TAGS=not chaos)', config: c.configs.chaos, args: w, env: { CHAOS_ENABLED: '1', CHAOS_SEED: '1', CHAOS_TAGS: 'not chaos' }, expectTests: expect } },
      { name: 'testNamePattern', run: { label: 'C plain -t', config: c.configs.name, args: [...w, '--testNamePattern', '^(?!chaos)'], expectTests: expect } },
    ], log);
    results.cases.push(
      ratioCase({
        id: 'C',
        title: `${sizes.selection} files, half chaos suites loading a ${round(c.heavyBytes / 1024 ** 2, 1)} MB module: CHAOS_TAGS='not chaos' vs plain Jest on the ordinary half`,
        target: 1.05,
        summary,
        extra: { heavyModuleBytes: c.heavyBytes, testNamePatternRatio: round(summary.testNamePattern.wallMedian / summary.plain.wallMedian) },
      }),
    );
  }

  if (wanted('D')) {
    log(`D: ${sizes.requests} sequential requests: a jest-chaos rule vs a nock scope`);
    const d = fixtures.caseD(WORK, CACHE);
    const out = path.join(WORK, 'd-per-request', 'out.json');
    const side = (name, config, env) => ({
      name,
      run: { label: `D ${name}`, config, args: ['--runInBand'], env: { BENCH_OUT: out, BENCH_REQUESTS: String(sizes.requests), ...env }, expectTests: 1 },
      check: () => {
        const value = JSON.parse(fs.readFileSync(out, 'utf8'));
        if (name === 'chaos' && value.faults < sizes.requests) throw new Error(`D ${name}: only ${value.faults} faults recorded`);
        perRequest[name].push(round(value.usPerRequest, 1));
      },
    });
    const perRequest = { plain: [], chaos: [], ruleMiss: [] };
    const chaosEnv = { CHAOS_ENABLED: '1', CHAOS_SEED: '1' };
    alternate(rounds, [side('plain', d.configs.plain, {}), side('chaos', d.configs.chaos, chaosEnv), side('ruleMiss', d.configs.miss, chaosEnv)], () => undefined);
    // The first sample of each side is the warm-up round's.
    const sides = {};
    for (const [name, values] of Object.entries(perRequest)) sides[name] = { usPerRequestMedian: round(median(values.slice(WARM_UP.value ? 1 : 0)), 1), usPerRequest: values.slice(WARM_UP.value ? 1 : 0) };
    log(`  µs/request: nock ${sides.plain.usPerRequestMedian}, rule ${sides.chaos.usPerRequestMedian}, rule miss + nock ${sides.ruleMiss.usPerRequestMedian}`);
    results.cases.push({
      id: 'D',
      title: `per request: ${sizes.requests} requests faulted by a rule vs answered by a nock scope`,
      unit: 'µs/request',
      sides,
      ratio: round(sides.chaos.usPerRequestMedian / sides.plain.usPerRequestMedian),
      ruleMissRatio: round(sides.ruleMiss.usPerRequestMedian / sides.plain.usPerRequestMedian),
      target: 'reported',
      met: null,
    });
  }

  if (wanted('E')) {
    log(`E: heap after ${sizes.heap} HTTP files in one worker, and --detectLeaks on ${sizes.leaks} chaos files`);
    const e = fixtures.httpCase(WORK, CACHE, 'e-heap', sizes.heap);
    const expect = sizes.heap * 3;
    const heaps = { plain: [], chaos: [] };
    const side = (name, env) => ({
      name,
      run: { label: `E ${name}`, config: e.configs[name], args: ['--runInBand', '--logHeapUsage'], nodeArgs: ['--expose-gc'], env, expectTests: expect },
      check: (result) => {
        const sizesMb = heapSizes(result.output);
        if (sizesMb.length !== sizes.heap) throw new Error(`E ${name}: found ${sizesMb.length} heap sizes in the output, expected ${sizes.heap}`);
        heaps[name].push({ last: sizesMb.at(-1), max: Math.max(...sizesMb), afterTenth: sizesMb[Math.floor(sizes.heap / 10)] });
      },
    });
    const summary = alternate(heapRounds, [side('plain', {}), side('chaos', { CHAOS_ENABLED: '1', CHAOS_SEED: '1' })], log);
    const measured = {};
    for (const name of ['plain', 'chaos']) {
      const kept = heaps[name].slice(WARM_UP.value ? 1 : 0);
      measured[name] = {
        heapLastMedianMB: median(kept.map((h) => h.last)),
        heapMaxMedianMB: median(kept.map((h) => h.max)),
        growthMedianMB: median(kept.map((h) => h.last - h.afterTenth)),
        samples: kept,
        wallMedian: summary[name].wallMedian,
      };
    }
    const difference = round(measured.chaos.heapLastMedianMB - measured.plain.heapLastMedianMB, 1);
    // --detectLeaks on a sample of chaos files (and the same files in plain Jest for contrast).
    const sample = Array.from({ length: sizes.leaks }, (_, i) => `http-${String(i).padStart(4, '0')}\\.test\\.js$`).join('|');
    const leakRun = (name, env) => {
      const result = runJest({ label: `E ${name} --detectLeaks`, config: e.configs[name], args: ['--runInBand', '--detectLeaks', '--testPathPatterns', sample], env, allowFailure: true });
      const leaking = /leaking memory|EXPERIMENTAL FEATURE/i.test(result.output);
      return { files: result.json?.numTotalTestSuites ?? null, passedTests: result.json?.numPassedTests ?? null, exitCode: result.status, clean: result.status === 0 && !leaking && result.json?.numTotalTestSuites === sizes.leaks };
    };
    const leaks = { chaos: leakRun('chaos', { CHAOS_ENABLED: '1', CHAOS_SEED: '1' }), plain: leakRun('plain', {}) };
    log(`  heap after last file: plain ${measured.plain.heapLastMedianMB} MB, chaos ${measured.chaos.heapLastMedianMB} MB; --detectLeaks chaos ${leaks.chaos.clean ? 'clean' : 'LEAKS'}, plain ${leaks.plain.clean ? 'clean' : 'LEAKS'}`);
    results.cases.push({
      id: 'E',
      title: `heap after ${sizes.heap} HTTP files in one worker (--runInBand --logHeapUsage, node --expose-gc), and --detectLeaks on ${sizes.leaks} chaos files`,
      unit: 'MB',
      sides: measured,
      differenceMB: difference,
      leaks,
      target: 'heap within 10 MB of plain; --detectLeaks clean',
      met: Math.abs(difference) <= 10 && leaks.chaos.clean,
    });
  }

  if (wanted('F')) {
    const latencies = 100;
    const budgetMs = 3000;
    log(`F: ${latencies} injected latencies of 1-5 s under @chaos-time virtual`);
    const f = fixtures.caseF(WORK, CACHE, latencies, budgetMs);
    const out = path.join(f.dir, 'out.json');
    fs.rmSync(out, { force: true });
    const result = runJest({ label: 'F', config: f.configs.chaos, args: ['--runInBand'], env: { CHAOS_ENABLED: '1', CHAOS_SEED: '1', BENCH_OUT: out }, allowFailure: true });
    const entry = { id: 'F', title: `${latencies} injected latencies of 1-5 s under @chaos-time virtual`, unit: 'ms', target: `${latencies} latencies in < 500 ms wall`, jestWallSeconds: round(result.wall) };
    if (!fs.existsSync(out)) {
      const reason = (result.output.match(/jest-chaos: [^\n]*/) ?? result.output.match(/●[^\n]*\n[^\n]*\n[^\n]*/) ?? ['the test wrote no result'])[0];
      results.cases.push({ ...entry, available: false, reason: reason.trim(), met: false });
      log(`  not available: ${reason.trim()}`);
    } else {
      const value = JSON.parse(fs.readFileSync(out, 'utf8'));
      // Jest's own duration of the test, on real time, as a check of the in-test wall clock.
      value.jestTestMs = result.json?.testResults?.[0]?.assertionResults?.[0]?.duration ?? null;
      const met = value.completed === latencies && value.injected === latencies && value.virtualMs >= latencies * 1000 && value.wallMs < 500;
      const available = value.wallMs < budgetMs;
      results.cases.push({ ...entry, available, ...value, wallMs: round(value.wallMs, 1), met, ...(available ? {} : { reason: `latencies took real time: ${value.completed} of ${latencies} requests in ${Math.round(value.wallMs)} ms` }) });
      log(`  ${value.completed}/${latencies} requests, ${value.injected} latencies (${Math.round(value.virtualMs)} ms injected) in ${Math.round(value.wallMs)} ms wall`);
    }
  }

  if (wanted('H')) {
    const { files, testsPerFile } = sizes.report;
    const tests = files * testsPerFile;
    log(`H: the report of ${tests} chaos tests x 5 faults, without and with 5 called entries per test; its HTML in headless Chromium`);
    const dir = path.join(WORK, 'h-report');
    fs.rmSync(dir, { recursive: true, force: true });
    const sides = { plain: [], called: [] };
    // One process per sample, as the reporter builds the report once at the end of a run; a fresh Chromium profile each time.
    const sample = (name) => {
      const args = [path.join(__dirname, 'report-sample.js'), path.join(dir, name), String(files), String(testsPerFile), ...(name === 'called' ? ['--called'] : [])];
      const child = spawnSync(process.execPath, args, { env: baseEnv(), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      if (child.status !== 0) throw new Error(`H ${name}: exited with ${child.status}\n${child.stderr.slice(-4000)}`);
      const value = JSON.parse(child.stdout);
      const calledEntries = name === 'called' ? tests * 5 : 0;
      if (value.tests !== tests || value.faults !== tests * 5 || value.called !== calledEntries) {
        throw new Error(`H ${name}: the report holds ${value.tests} tests, ${value.faults} faults and ${value.called} called entries, expected ${tests}, ${tests * 5} and ${calledEntries}`);
      }
      return value;
    };
    for (let r = WARM_UP.value ? 0 : 1; r <= rounds; r++) {
      const order = r % 2 === 0 ? ['plain', 'called'] : ['called', 'plain'];
      const values = {};
      for (const name of order) values[name] = sample(name);
      if (r > 0) for (const name of order) sides[name].push(values[name]);
      log(`  round ${r === 0 ? 'warm-up' : r}: Chromium render ${Math.round(values.plain.renderMs)} ms without called, ${Math.round(values.called.renderMs)} ms with`);
    }
    const TIMES = ['buildMs', 'buildCpuMs', 'htmlMs', 'loadMs', 'pageLoadMs', 'renderMs'];
    const summary = {};
    for (const [name, values] of Object.entries(sides)) {
      const last = values.at(-1);
      summary[name] = { jsonBytes: last.jsonBytes, htmlBytes: last.htmlBytes, matrixRows: last.matrixRows };
      for (const key of TIMES) summary[name][`${key}Median`] = round(median(values.map((v) => v[key])), 1);
      for (const key of TIMES) summary[name][key] = values.map((v) => round(v[key], 1));
    }
    const ratio = (key) => round(summary.called[key] / summary.plain[key]);
    const renderMs = summary.called.renderMsMedian;
    log(`  JSON ${summary.plain.jsonBytes} -> ${summary.called.jsonBytes} bytes, HTML ${summary.plain.htmlBytes} -> ${summary.called.htmlBytes} bytes; Chromium render with called: ${renderMs} ms`);
    results.cases.push({
      id: 'H',
      title: `the report of ${tests} chaos tests (${files} files) x 5 HTTP faults, one in ten failing: without tests[].called (plain) and with 5 called entries per test; build + serialize in a fresh process, the HTML loaded and painted in headless Chromium`,
      unit: 'bytes, ms',
      sides: summary,
      ratios: { jsonBytes: ratio('jsonBytes'), htmlBytes: ratio('htmlBytes'), buildMs: ratio('buildMsMedian'), buildCpuMs: ratio('buildCpuMsMedian'), htmlMs: ratio('htmlMsMedian'), renderMs: ratio('renderMsMedian') },
      target: 'HTML with called rendered in Chromium in < 2000 ms',
      met: renderMs < 2000,
    });
  }

  if (wanted('N')) {
    const { count, fileSteps, testSteps } = sizes.runs;
    log(`N: one file with a costly beforeAll and a cheap chaos test: CHAOS_RUNS=1 vs CHAOS_RUNS=${count}`);
    const n = fixtures.caseRuns(WORK, CACHE, fileSteps, testSteps);
    const out = path.join(n.dir, 'out.json');
    const inFile = { one: [], many: [] };
    const side = (name, runs) => ({
      name,
      run: { label: `N CHAOS_RUNS=${runs}`, config: n.configs.chaos, args: w, env: { CHAOS_ENABLED: '1', CHAOS_SEED: '1', CHAOS_RUNS: String(runs), BENCH_OUT: out }, expectTests: runs },
      check: () => {
        const value = JSON.parse(fs.readFileSync(out, 'utf8'));
        if (value.beforeAllRuns !== 1 || value.testCpuMs.length !== runs) throw new Error(`N CHAOS_RUNS=${runs}: beforeAll ran ${value.beforeAllRuns} times and the test ${value.testCpuMs.length} times, expected once and ${runs} times`);
        inFile[name].push(value);
      },
    });
    const summary = alternate(rounds, [side('one', 1), side('many', count)], log);
    const measured = Object.fromEntries(Object.entries(inFile).map(([name, values]) => [name, values.slice(WARM_UP.value ? 1 : 0)]));
    const beforeAllCpuMs = round(median([...measured.one, ...measured.many].map((v) => v.beforeAllCpuMs)), 1);
    const testCpuMs = round(median(measured.many.flatMap((v) => v.testCpuMs)), 1);
    const extra = (key) => round(((summary.many[key] - summary.one[key]) / (count - 1)) * 1000, 1);
    const perExtraRun = { wallMs: extra('wallMedian'), cpuMs: extra('cpuMedian') };
    log(`  per extra run: ${perExtraRun.cpuMs} ms CPU, ${perExtraRun.wallMs} ms wall; beforeAll ${beforeAllCpuMs} ms CPU, the test's body ${testCpuMs} ms CPU`);
    const ratio = (key) => round(summary.many[key] / summary.one[key]);
    results.cases.push({
      id: 'N',
      title: `one chaos file, a beforeAll of about ${Math.round(beforeAllCpuMs)} ms CPU and a cheap chaos test: CHAOS_RUNS=${count} vs CHAOS_RUNS=1`,
      unit: 's',
      sides: summary,
      runs: count,
      ratio: ratio('wallMedian'),
      cpuRatio: ratio('cpuMedian'),
      perExtraRun,
      beforeAllCpuMs,
      testCpuMs,
      target: 'each extra run costs < 10% of the beforeAll (CPU)',
      met: perExtraRun.cpuMs < beforeAllCpuMs / 10,
    });
  }

  if (wanted('R')) {
    const { files, commands } = sizes.redis;
    log(`R: ${files} files, each test ${commands} Redis commands: tcp.latency ms=0 vs no rule; ordinary tests and chaos tests without a rule vs plain Jest`);
    const r = fixtures.caseRedis(WORK, CACHE, files, commands);
    const chaosEnv = { CHAOS_ENABLED: '1', CHAOS_SEED: '1' };
    const summary = alternate(rounds, [
      { name: 'plain', run: { label: 'R plain', config: r.configs.plain, args: w, expectTests: files } },
      { name: 'ordinary', run: { label: 'R ordinary tests, chaos on', config: r.configs.ordinary, args: w, env: chaosEnv, expectTests: files } },
      { name: 'chaos', run: { label: 'R chaos, no rule', config: r.configs.chaos, args: w, env: chaosEnv, expectTests: files } },
      { name: 'tcp', run: { label: 'R tcp.latency ms=0', config: r.configs.tcp, args: w, env: chaosEnv, expectTests: files } },
    ], log);
    // The socket layer with no tcp rule, with the rest of jest-chaos, on tests it does not fault.
    const layer = ratioCase({ id: 'R', title: '', target: 1.03, summary, chaos: 'ordinary' });
    // What a chaos test's own machinery (its async context, its counted driver calls) costs a Redis-heavy test: no target.
    const machinery = ratioCase({ id: 'R', title: '', target: Infinity, summary });
    results.cases.push(
      ratioCase({
        id: 'R',
        title: `${files} files, each test ${commands} Redis commands (ioredis, no pipelining): tcp.latency 127.0.0.1:6379 ms=0 vs the same chaos suites without a rule; ordinary tests with chaos on vs plain Jest; and chaos tests without a rule vs plain Jest`,
        target: 1.05,
        summary,
        chaos: 'tcp',
        plain: 'chaos',
        extra: {
          layerRatio: layer.ratio,
          layerCpuRatio: layer.cpuRatio,
          layerTarget: layer.target,
          layerMet: layer.met,
          chaosTestRatio: machinery.ratio,
          chaosTestCpuRatio: machinery.cpuRatio,
        },
      }),
    );
  }

  if (wanted('S')) {
    log(`S: jest-chaos scan of a generated ${sizes.scan}-file project`);
    const s = fixtures.caseScan(WORK, sizes.scan);
    const cli = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
    const walls = [];
    let last;
    for (let r = WARM_UP.value ? 0 : 1; r <= rounds; r++) {
      const start = process.hrtime.bigint();
      const child = spawnSync(process.execPath, [cli, 'scan', '--json', '--cwd', s.dir], { env: baseEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      if (child.status !== 0) throw new Error(`S: scan exited with ${child.status}\n${child.stderr.slice(-2000)}`);
      last = JSON.parse(child.stdout);
      if (r > 0) walls.push(round(wall));
      log(`  round ${r === 0 ? 'warm-up' : r}: ${round(wall)}s`);
    }
    const wallMedian = round(median(walls));
    const found = { sourceFiles: last.files.source, dependencies: last.summary.dependencies, callSites: last.dependencies.reduce((n, d) => n + d.callSites.length, 0), scenarios: last.summary.scenarios };
    if (found.sourceFiles !== s.sourceFiles || found.dependencies !== 4) throw new Error(`S: scan read ${found.sourceFiles} source files and found ${found.dependencies} dependencies, expected ${s.sourceFiles} and 4`);
    log(`  ${found.sourceFiles} files, ${found.callSites} call sites, ${found.dependencies} dependencies, ${found.scenarios} scenarios: median ${wallMedian}s`);
    results.cases.push({ id: 'S', title: `jest-chaos scan of a generated ${sizes.scan}-file TypeScript project`, unit: 's', wallMedian, wall: walls, found, target: '< 10 s', met: wallMedian < 10 });
  }

  results.totalSeconds = round((Date.now() - started) / 1000, 1);
  save(results, options);
  log('');
  log(table(results));
  log(`\nwrote ${path.relative(process.cwd(), options.output)} in ${results.totalSeconds} s`);
}

function save(results, options) {
  results.machine.loadAverageAtEnd = os.loadavg().map((n) => round(n, 2));
  for (const c of results.cases) c.date = results.machine.date;
  if (options.only !== undefined && fs.existsSync(options.output)) {
    // A partial run (--only) replaces its cases in the existing results and keeps the others.
    const previous = JSON.parse(fs.readFileSync(options.output, 'utf8'));
    const replaced = new Set(results.cases.map((c) => c.id));
    const kept = (previous.cases ?? []).filter((c) => !replaced.has(c.id));
    results.cases = [...kept, ...results.cases].sort((x, y) => x.id.localeCompare(y.id));
    results.partialRuns = [...(previous.partialRuns ?? []), { cases: [...replaced], machine: results.machine, settings: results.settings }];
    results.machine = previous.machine;
    results.settings = previous.settings;
  }
  fs.writeFileSync(options.output, `${JSON.stringify(results, null, 2)}\n`);
  fs.rmSync(path.join(WORK, `.last-${process.pid}.json`), { force: true });
  fs.rmSync(path.join(WORK, `.time-${process.pid}.txt`), { force: true });
}

/** The summary table, as printed and as pasted into docs/performance.md. */
function table(results) {
  const rows = [['case', 'plain', 'jest-chaos', 'ratio', 'target', 'met']];
  for (const c of results.cases) {
    if (c.id === 'D') {
      rows.push([`D ${c.unit}`, String(c.sides.plain.usPerRequestMedian), `${c.sides.chaos.usPerRequestMedian} (rule miss: ${c.sides.ruleMiss.usPerRequestMedian})`, `${c.ratio}x`, c.target, '-']);
    } else if (c.id === 'E') {
      rows.push([`E heap MB`, String(c.sides.plain.heapLastMedianMB), String(c.sides.chaos.heapLastMedianMB), `${c.differenceMB >= 0 ? '+' : ''}${c.differenceMB} MB`, '<= 10 MB', String(c.met)]);
      rows.push(['E --detectLeaks', c.leaks.plain.clean ? 'clean' : 'leaks', c.leaks.chaos.clean ? 'clean' : 'leaks', '', 'clean', String(c.leaks.chaos.clean)]);
    } else if (c.id === 'S') {
      rows.push(['S scan s', '', `${c.wallMedian} (${c.found.sourceFiles} files)`, '', c.target, String(c.met)]);
    } else if (c.id === 'R') {
      // Three comparisons, each shown when its two sides ran (see --sides): ordinary tests under the preset vs
      // plain Jest (the socket layer and the rest), a chaos test without a rule vs plain Jest, a rule vs no rule.
      const s = c.sides;
      const pair = (label, base, side, ratio, cpuRatio, target, met, baseNote = '') => {
        if (s[base] === undefined || s[side] === undefined || ratio === null || ratio === undefined) return;
        rows.push([`R ${label} wall s`, `${s[base].wallMedian}${baseNote}`, String(s[side].wallMedian), `${ratio}x`, target, String(met)]);
        rows.push([`R ${label} cpu s`, `${s[base].cpuMedian}${baseNote}`, String(s[side].cpuMedian), cpuRatio === null ? '' : `${cpuRatio}x`, '', '']);
      };
      pair('ordinary tests, chaos on,', 'plain', 'ordinary', c.layerRatio, c.layerCpuRatio, c.layerTarget, c.layerMet);
      pair('chaos test, no rule,', 'plain', 'chaos', c.chaosTestRatio, c.chaosTestCpuRatio, '-', '-');
      pair('tcp.latency ms=0', 'chaos', 'tcp', c.ratio, c.cpuRatio, c.target, c.met, ' (no rule)');
    } else if (c.id === 'H') {
      const s = c.sides;
      rows.push(['H JSON bytes (plain: no called)', String(s.plain.jsonBytes), `${s.called.jsonBytes} (5 called per test)`, `${c.ratios.jsonBytes}x`, '', '']);
      rows.push(['H build + serialize ms', String(s.plain.buildMsMedian), String(s.called.buildMsMedian), `${c.ratios.buildMs}x`, '', '']);
      rows.push(['H HTML bytes', String(s.plain.htmlBytes), String(s.called.htmlBytes), `${c.ratios.htmlBytes}x`, '', '']);
      rows.push(['H HTML render ms (Chromium)', String(s.plain.renderMsMedian), String(s.called.renderMsMedian), `${c.ratios.renderMs}x`, '< 2000 ms', String(c.met)]);
    } else if (c.id === 'N') {
      const s = c.sides;
      rows.push(['N wall s (CHAOS_RUNS)', `${s.one.wallMedian} (1)`, `${s.many.wallMedian} (${c.runs})`, `${c.ratio}x`, '', '']);
      rows.push(['N cpu s (CHAOS_RUNS)', `${s.one.cpuMedian} (1)`, `${s.many.cpuMedian} (${c.runs})`, c.cpuRatio === null ? '' : `${c.cpuRatio}x`, '', '']);
      rows.push(['N per extra run, cpu ms', `${c.beforeAllCpuMs} (beforeAll)`, String(c.perExtraRun.cpuMs), '', '< 10% of beforeAll', String(c.met)]);
    } else if (c.id === 'F') {
      rows.push(['F virtual time', '', c.available ? `${c.completed} latencies, ${c.wallMs} ms wall` : 'not available', '', '< 500 ms', String(c.met)]);
    } else {
      const s = c.sides;
      rows.push([`${c.id} wall s`, String(s.plain.wallMedian), String(s.chaos.wallMedian), `${c.ratio}x`, c.target, String(c.met)]);
      rows.push([`${c.id} cpu s`, String(s.plain.cpuMedian), String(s.chaos.cpuMedian), c.cpuRatio === null ? '' : `${c.cpuRatio}x`, '', '']);
      if (c.id === 'C') rows.push(['C -t (plain, all files)', '', String(s.testNamePattern.wallMedian), `${c.testNamePatternRatio}x`, 'contrast', '']);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

try {
  main();
} catch (error) {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exit(1);
}
