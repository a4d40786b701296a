'use strict';
// Generates the benchmark's fixture projects under bench/work/. Every case has a plain-Jest config and a
// jest-chaos config that differ only in the environment, runner, reporter and preset.

const fs = require('node:fs');
const path = require('node:path');

const PACKAGE_ROOT = path.resolve(__dirname, '..');
const PRESET = path.join(PACKAGE_ROOT, 'jest-preset.js');
const HOST = 'api.bench.test';

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function pad(n) {
  return String(n).padStart(4, '0');
}

/** A fresh directory for one case (old generated files removed, the Jest cache kept beside it). */
function freshDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The two configs of a case. `extra` is shared by both sides; `plain` / `chaos` hold what differs.
 * Each side has its own cache directory so that neither warms the other's cache.
 */
function writeConfigs(dir, cacheRoot, name, { extra = {}, plain = {}, chaos = {} } = {}) {
  const common = { rootDir: dir, testMatch: ['**/*.test.js'], ...extra };
  const plainConfig = { ...common, testEnvironment: 'node', cacheDirectory: path.join(cacheRoot, `${name}-plain`), ...plain };
  const chaosConfig = { ...common, preset: PRESET, cacheDirectory: path.join(cacheRoot, `${name}-chaos`), ...chaos };
  write(path.join(dir, 'jest.plain.config.js'), `module.exports = ${JSON.stringify(plainConfig, null, 2)};\n`);
  write(path.join(dir, 'jest.chaos.config.js'), `module.exports = ${JSON.stringify(chaosConfig, null, 2)};\n`);
  return { plain: path.join(dir, 'jest.plain.config.js'), chaos: path.join(dir, 'jest.chaos.config.js') };
}

/**
 * The client of the HTTP fixtures: native fetch. (A node:http client leaks every test file's realm in plain
 * Jest with nock too, which would hide jest-chaos's own heap cost in case E.)
 */
const GET_HELPER = `module.exports.get = async function get(url) {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
};
`;

const TRIVIAL_TESTS = `test('adds', () => {
  expect(1 + 1).toBe(2);
});
test('joins', () => {
  expect(['a', 'b'].join('-')).toBe('a-b');
});
test('maps', () => {
  expect([1, 2, 3].map((n) => n * 2)).toEqual([2, 4, 6]);
});
`;

/** Case A: trivial files, identical for both sides. */
function caseA(work, cacheRoot, files) {
  const dir = freshDir(path.join(work, 'a-trivial'));
  for (let i = 0; i < files; i++) write(path.join(dir, `__tests__/trivial-${pad(i)}.test.js`), TRIVIAL_TESTS);
  return { dir, configs: writeConfigs(dir, cacheRoot, 'a') };
}

/** A chaos suite whose every test makes a request that the file's rule answers with 503. */
function chaosHttpFile(i) {
  return `/**
 * @chaos http.status ${HOST} status=503
 */
const { get } = require('../get');

for (const n of [1, 2, 3]) {
  test(\`request \${n} gets the injected 503\`, async () => {
    const res = await get('http://${HOST}/items/${i}/' + n);
    expect(res.status).toBe(503);
  });
}
`;
}

/** The same suite in plain Jest: nock answers each request with 503. */
function nockHttpFile(i) {
  return `const nock = require('nock');
const { get } = require('../get');

afterEach(() => nock.cleanAll());
afterAll(() => nock.restore());

for (const n of [1, 2, 3]) {
  test(\`request \${n} gets the mocked 503\`, async () => {
    nock('http://${HOST}').get('/items/${i}/' + n).reply(503);
    const res = await get('http://${HOST}/items/${i}/' + n);
    expect(res.status).toBe(503);
  });
}
`;
}

/** Case B (and E): HTTP on every test, a rule on the chaos side and nock on the plain side. */
function httpCase(work, cacheRoot, name, files) {
  const dir = freshDir(path.join(work, name));
  write(path.join(dir, 'get.js'), GET_HELPER);
  for (let i = 0; i < files; i++) {
    write(path.join(dir, `chaos/http-${pad(i)}.test.js`), chaosHttpFile(i));
    write(path.join(dir, `plain/http-${pad(i)}.test.js`), nockHttpFile(i));
  }
  const configs = writeConfigs(dir, cacheRoot, name, {
    plain: { roots: ['<rootDir>/plain'] },
    chaos: { roots: ['<rootDir>/chaos'] },
  });
  return { dir, configs };
}

/** A module that costs real time to load: `modules` generated files of `functionsEach` functions each. */
function writeHeavyModule(dir, modules, functionsEach) {
  const root = path.join(dir, 'node_modules', 'heavy');
  write(path.join(root, 'package.json'), JSON.stringify({ name: 'heavy', version: '1.0.0', main: 'index.js' }));
  const names = [];
  for (let m = 0; m < modules; m++) {
    const lines = [];
    for (let f = 0; f < functionsEach; f++) {
      lines.push(`exports.f${f} = function f${f}(x) { const table = [${f}, ${f * 3}, ${f * 7}, '${'x'.repeat(24)}']; return x * table[0] + table[1] - table[2] + table[3].length; };`);
    }
    write(path.join(root, `part-${m}.js`), `${lines.join('\n')}\n`);
    names.push(`part-${m}`);
  }
  write(path.join(root, 'index.js'), `${names.map((n) => `exports['${n}'] = require('./${n}');`).join('\n')}\nexports.size = ${modules};\n`);
  let bytes = 0;
  for (const file of fs.readdirSync(root)) bytes += fs.statSync(path.join(root, file)).size;
  return bytes;
}

/** Case C: half ordinary files, half chaos suites that load the heavy module. */
function caseC(work, cacheRoot, files, heavy) {
  const dir = freshDir(path.join(work, 'c-selection'));
  const heavyBytes = writeHeavyModule(dir, heavy.modules, heavy.functionsEach);
  const half = Math.floor(files / 2);
  for (let i = 0; i < half; i++) {
    write(path.join(dir, `__tests__/ordinary-${pad(i)}.test.js`), TRIVIAL_TESTS);
    write(
      path.join(dir, `__tests__/resilience-${pad(i)}.test.js`),
      `/**
 * @chaos
 */
const heavy = require('heavy');

test('chaos survives the outage ${i}', () => {
  expect(heavy.size).toBeGreaterThan(0);
  expect(heavy['part-0'].f1(2)).toBe(26);
});
`,
    );
  }
  const configs = writeConfigs(dir, cacheRoot, 'c', {
    // The plain side selects the ordinary half by path: the best a plain Jest user can do.
    plain: { testMatch: ['**/ordinary-*.test.js'] },
  });
  // The contrast: plain Jest over every file, chaos tests excluded by name only.
  const byName = path.join(dir, 'jest.name.config.js');
  write(byName, `module.exports = ${JSON.stringify({ rootDir: dir, testMatch: ['**/*.test.js'], testEnvironment: 'node', cacheDirectory: path.join(cacheRoot, 'c-name') }, null, 2)};\n`);
  return { dir, configs: { ...configs, name: byName }, heavyBytes, half };
}

/** Case D: one file that times N sequential requests; results go to $BENCH_OUT. */
function caseD(work, cacheRoot) {
  const dir = freshDir(path.join(work, 'd-per-request'));
  write(path.join(dir, 'get.js'), GET_HELPER);
  const loop = (label) => `const { writeFileSync } = require('node:fs');
const { get } = require('../get');
const N = Number(process.env.BENCH_REQUESTS);

async function timeRequests(count, expected) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const res = await get('http://${HOST}/items/' + i);
    if (res.status !== expected) throw new Error('request ' + i + ' got ' + res.status);
  }
  return Number(process.hrtime.bigint() - start) / 1000 / count;
}
`;
  write(
    path.join(dir, 'plain/nock.test.js'),
    `${loop('nock')}
const nock = require('nock');
afterAll(() => { nock.cleanAll(); nock.restore(); });

test('N requests answered by a nock scope', async () => {
  nock('http://${HOST}').persist().get(() => true).reply(503);
  await timeRequests(Math.ceil(N / 10), 503);
  const usPerRequest = await timeRequests(N, 503);
  writeFileSync(process.env.BENCH_OUT, JSON.stringify({ usPerRequest }));
}, 120000);
`,
  );
  write(
    path.join(dir, 'chaos/rule.test.js'),
    `/**
 * @chaos http.status ${HOST} status=503
 */
${loop('rule')}
test('N requests faulted by a rule', async () => {
  await timeRequests(Math.ceil(N / 10), 503);
  const usPerRequest = await timeRequests(N, 503);
  const faults = chaos.events().length;
  writeFileSync(process.env.BENCH_OUT, JSON.stringify({ usPerRequest, faults }));
}, 120000);
`,
  );
  write(
    path.join(dir, 'miss/miss.test.js'),
    `/**
 * @chaos http.status other.bench.test status=503
 */
${loop('miss')}
test('N requests that a rule does not match, answered by nock', async () => {
  const nock = require('nock');
  nock('http://${HOST}').persist().get(() => true).reply(503);
  await timeRequests(Math.ceil(N / 10), 503);
  const usPerRequest = await timeRequests(N, 503);
  writeFileSync(process.env.BENCH_OUT, JSON.stringify({ usPerRequest, faults: chaos.events().length }));
}, 120000);
`,
  );
  const configs = writeConfigs(dir, cacheRoot, 'd', {
    plain: { roots: ['<rootDir>/plain'] },
    chaos: { roots: ['<rootDir>/chaos'] },
  });
  const miss = path.join(dir, 'jest.miss.config.js');
  write(miss, `module.exports = ${JSON.stringify({ rootDir: dir, testMatch: ['**/*.test.js'], roots: ['<rootDir>/miss'], preset: PRESET, cacheDirectory: path.join(cacheRoot, 'd-miss') }, null, 2)};\n`);
  return { dir, configs: { ...configs, miss } };
}

/** Case F: 100 latencies of 1-5 s under virtual time, stopped early if they take real time. */
function caseF(work, cacheRoot, latencies, budgetMs) {
  const dir = freshDir(path.join(work, 'f-virtual-time'));
  write(path.join(dir, 'get.js'), GET_HELPER);
  write(
    path.join(dir, '__tests__/virtual.test.js'),
    `/**
 * @chaos http.latency ${HOST} ms=1000-5000
 * @chaos-time virtual
 */
const { writeFileSync } = require('node:fs');
// The realm's performance.now() and Date follow the virtual clock: wall time is read from perf_hooks.
const wall = require('node:perf_hooks').performance;
const nock = require('nock');
const { get } = require('../get');

test('latencies take no wall time', async () => {
  nock('http://${HOST}').persist().get(() => true).reply(200, 'ok');
  const start = wall.now();
  const virtualStart = Date.now();
  let completed = 0;
  for (let i = 0; i < ${latencies}; i++) {
    const res = await get('http://${HOST}/items/' + i);
    if (res.status !== 200) throw new Error('request ' + i + ' got ' + res.status);
    completed++;
    // Without virtual time each request really waits 1-5 s: stop early rather than hang.
    if (wall.now() - start > ${budgetMs}) break;
  }
  const wallMs = wall.now() - start;
  const clockMs = Date.now() - virtualStart;
  const latencyEvents = chaos.events().filter((e) => e.kind === 'latency');
  const virtualMs = latencyEvents.reduce((sum, e) => sum + (e.delayMs || 0), 0);
  writeFileSync(process.env.BENCH_OUT, JSON.stringify({ completed, wallMs, clockMs, injected: latencyEvents.length, virtualMs }));
}, ${budgetMs + 30000});
`,
  );
  return { dir, configs: writeConfigs(dir, cacheRoot, 'f') };
}

/**
 * The body of a Redis-heavy test: its own ioredis client (opened in the test, so that the test's tcp rules
 * reach its connection), no auto-pipelining, `commands` commands as a data layer's tests send them: half
 * awaited one by one, half in batches of 10 awaited together.
 */
function redisTest(i, commands, check) {
  return `test('${commands} Redis commands ${i}', async () => {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, enableAutoPipelining: false });
  const key = (n) => 'bench:${i}:' + (n % 100);
  try {
    let done = 0;
    for (; done < ${commands / 2}; done++) {
      if (done % 2 === 0) await redis.set(key(done), String(done));
      else if ((await redis.get(key(done - 1))) !== String(done - 1)) throw new Error('GET ' + done + ' read another value');
    }
    for (; done < ${commands}; done += 10) {
      const batch = [];
      for (let n = done; n < done + 10; n++) batch.push(n % 2 === 0 ? redis.incr(key(n)) : redis.get(key(n)));
      await Promise.all(batch);
    }
    expect(done).toBe(${commands});${check}
  } finally {
    redis.disconnect();
  }
}, 120000);
`;
}

/**
 * Case R: `files` files, each test `commands` commands against the loopback Redis. The same test body three
 * times: an ordinary file (run by plain Jest, and by the preset with chaos on), a bare `@chaos` suite (chaos
 * on, no rule: its connections pass the socket layer, its ioredis calls are counted) and a suite with
 * `tcp.latency 127.0.0.1:6379 ms=0` (every connection under the toxics, which must then have fired once per test).
 */
function caseRedis(work, cacheRoot, files, commands) {
  const dir = freshDir(path.join(work, 'r-redis'));
  const head = "const Redis = require('ioredis');\n\n";
  for (let i = 0; i < files; i++) {
    write(path.join(dir, `ordinary/redis-${pad(i)}.test.js`), head + redisTest(i, commands, ''));
    write(path.join(dir, `chaos/redis-${pad(i)}.test.js`), `/**\n * @chaos\n */\n${head}${redisTest(i, commands, '')}`);
    write(
      path.join(dir, `tcp/redis-${pad(i)}.test.js`),
      `/**\n * @chaos tcp.latency 127.0.0.1:6379 ms=0\n */\n${head}${redisTest(i, commands, "\n    expect(chaos.events().map((event) => `${event.kind} ${event.call}`)).toEqual(['latency 127.0.0.1:6379']);")}`,
    );
  }
  const configs = writeConfigs(dir, cacheRoot, 'r', { plain: { roots: ['<rootDir>/ordinary'] }, chaos: { roots: ['<rootDir>/chaos'] } });
  const tcp = path.join(dir, 'jest.tcp.config.js');
  write(tcp, `module.exports = ${JSON.stringify({ rootDir: dir, testMatch: ['**/*.test.js'], roots: ['<rootDir>/tcp'], preset: PRESET, cacheDirectory: path.join(cacheRoot, 'r-tcp') }, null, 2)};\n`);
  // The ordinary files under the preset: what jest-chaos (its socket layer included) costs tests it does not fault.
  const ordinary = path.join(dir, 'jest.ordinary.config.js');
  write(ordinary, `module.exports = ${JSON.stringify({ rootDir: dir, testMatch: ['**/*.test.js'], roots: ['<rootDir>/ordinary'], preset: PRESET, cacheDirectory: path.join(cacheRoot, 'r-ordinary') }, null, 2)};\n`);
  return { dir, configs: { ...configs, tcp, ordinary } };
}

/**
 * Case N: one chaos suite whose `beforeAll` does `fileSteps` steps of fixed work (CPU, not a timer, so that load
 * does not change it) and one cheap chaos test (`testSteps` steps and a request faulted by its rule). Under
 * CHAOS_RUNS=N the test runs N times; the file writes to $BENCH_OUT how often `beforeAll` ran, its CPU, and each
 * run's CPU.
 */
function caseRuns(work, cacheRoot, fileSteps, testSteps) {
  const dir = freshDir(path.join(work, 'n-runs'));
  write(path.join(dir, 'get.js'), GET_HELPER);
  write(
    path.join(dir, '__tests__/costly-setup.test.js'),
    `/**
 * @chaos http.status ${HOST} status=503
 */
const { writeFileSync } = require('node:fs');
const { get } = require('../get');

const work = (steps) => {
  let x = 0;
  for (let i = 0; i < steps; i++) x = (x * 31 + i) | 0;
  return x;
};
const cpuMs = (since) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const measured = { beforeAllRuns: 0, beforeAllCpuMs: 0, testCpuMs: [] };

beforeAll(() => {
  const start = process.cpuUsage();
  work(${fileSteps});
  measured.beforeAllRuns++;
  measured.beforeAllCpuMs = cpuMs(start);
});

afterAll(() => writeFileSync(process.env.BENCH_OUT, JSON.stringify(measured)));

test('a cheap chaos test', async () => {
  const start = process.cpuUsage();
  work(${testSteps});
  const res = await get('http://${HOST}/items/1');
  expect(res.status).toBe(503);
  expect(chaos.events()).toHaveLength(1);
  measured.testCpuMs.push(cpuMs(start));
});
`,
  );
  return { dir, configs: writeConfigs(dir, cacheRoot, 'n') };
}

/**
 * Case S: a generated project of `files` source files for `jest-chaos scan`: axios instances, fetch, pg in
 * transactions, ioredis, imports between modules, shared config and clients, and a chaos suite per 20 files.
 */
function caseScan(work, files) {
  const dir = freshDir(path.join(work, 's-scan'));
  write(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'bench-scan', private: true }, null, 2)}\n`);
  write(path.join(dir, 'src', 'shared', 'config.ts'), "export const BILLING_URL = 'https://billing.bench.test/v1';\nexport const CATALOG_URL = process.env.CATALOG_URL ?? 'https://catalog.bench.test';\n");
  write(path.join(dir, 'src', 'shared', 'db.ts'), "import { Pool } from 'pg';\n\nexport const pool = new Pool({ connectionString: 'postgres://db.bench.test:5432/app', connectionTimeoutMillis: 1000 });\n");
  write(path.join(dir, 'src', 'shared', 'cache.ts'), "import Redis from 'ioredis';\n\nexport const redis = new Redis({ host: 'cache.bench.test', lazyConnect: true });\n");
  const modules = files - 3;
  for (let i = 0; i < modules; i++) {
    const name = `module-${pad(i)}`;
    const sibling = `./module-${pad(Math.max(0, i - 1))}`;
    let body;
    switch (i % 5) {
      case 0:
        body = `import axios from 'axios';\nimport { BILLING_URL } from '../shared/config';\n\nconst billing = axios.create({ baseURL: BILLING_URL, timeout: 2000 });\n\nexport async function chargeAccount${i}(account: string, cents: number) {\n  for (let attempt = 1; attempt <= 3; attempt++) {\n    try {\n      return (await billing.post('/charges', { account, cents })).data;\n    } catch (error) {\n      if (attempt === 3) throw error;\n    }\n  }\n}\n`;
        break;
      case 1:
        body = `import { CATALOG_URL } from '../shared/config';\n\nexport async function product${i}(id: string) {\n  const response = await fetch(\`\${CATALOG_URL}/products/\${id}\`, { signal: AbortSignal.timeout(500) });\n  return response.json();\n}\n`;
        break;
      case 2:
        body = `import { pool } from '../shared/db';\n\nexport async function saveOrder${i}(id: string) {\n  const client = await pool.connect();\n  try {\n    await client.query('BEGIN');\n    await client.query('INSERT INTO orders (id) VALUES ($1)', [id]);\n    await client.query('COMMIT');\n  } finally {\n    client.release();\n  }\n}\n`;
        break;
      case 3:
        body = `import { redis } from '../shared/cache';\n\nexport async function session${i}(id: string) {\n  return (await redis.get(\`session:\${id}\`)) ?? undefined;\n}\n`;
        break;
      default:
        body = `import * as previous from '${sibling}';\n\nexport function shape${i}(values: number[]): number[] {\n  return values.map((value) => value * ${i % 7}).filter((value) => value > 0);\n}\n\nexport const uses${i} = Object.keys(previous).length;\n`;
    }
    write(path.join(dir, 'src', 'modules', `${name}.ts`), body);
  }
  for (let i = 0; i < files; i += 20) {
    write(path.join(dir, 'test', 'chaos', `suite-${pad(i)}.test.ts`), `/**\n * @chaos http.timeout billing.bench.test\n * @chaos db.lost pg\n * @chaos-priority A\n */\ntest('placeholder', () => {});\n`);
  }
  return { dir, sourceFiles: files };
}

module.exports = { caseA, httpCase, caseC, caseD, caseF, caseRuns, caseRedis, caseScan, PACKAGE_ROOT };
