'use strict';
// The report of a large chaos run, as the environment's per-file records, and the Chromium that opens its HTML:
// shared by bench case H and the HTML report's end-to-end test.

const KINDS = ['timeout', 'refused', 'reset', 'status', 'latency'];

/** What each test called besides its faulted host, when `called` is asked for: 5 entries, as docs/report.md shows them. */
function calledOf(t) {
  return [
    { type: 'host', domain: 'http', name: `https://host-${t % 20}.example.com:443`, calls: 5 },
    { type: 'host', domain: 'http', name: `https://audit-${t % 7}.example.com:443`, calls: 2 },
    { type: 'driver', domain: 'db', name: 'pg', calls: 12 },
    { type: 'driver', domain: 'cache', name: 'ioredis', calls: 4 },
    { type: 'seam', domain: 'db', name: 'orders', calls: 3, methods: ['find', 'save'] },
  ];
}

/**
 * `files` chaos suites of `testsPerFile` tests, each test faulted once by each of 5 HTTP rules on one of 20
 * hosts, one test in ten failing; with `called`, each test also lists the 5 dependencies of `calledOf`.
 */
function largeRunRecords({ files = 100, testsPerFile = 50, called = false } = {}) {
  return Array.from({ length: files }, (_, f) => ({
    testPath: `/p/suite-${f}.test.js`,
    relativePath: `suite-${f}.test.js`,
    baseSeed: 1,
    seedPinned: false,
    chaosSuite: true,
    priority: ['A', 'B', 'C'][f % 3],
    tags: ['chaos'],
    tests: Array.from({ length: testsPerFile }, (_, t) => {
      const failed = (f * testsPerFile + t) % 10 === 0;
      const host = `host-${t % 20}.example.com`;
      return {
        fullName: `chaos: case ${t}`,
        chaos: true,
        status: failed ? 'failed' : 'passed',
        attempts: 1,
        durationMs: 3,
        ...(failed ? { failure: { message: `Error: case ${t} failed`, frame: `x (/p/suite-${f}.test.js:1:1)` } } : {}),
        seed: f * testsPerFile + t,
        rules: KINDS.map((kind) => `http.${kind} ${host}`),
        events: KINDS.map((kind, i) => ({ seq: i + 1, rule: `http.${kind} ${host}`, domain: 'http', kind, call: `GET https://${host}/x` })),
        ...(called ? { called: calledOf(t) } : {}),
        replay: `CHAOS_ENABLED=1 CHAOS_SEED=1 npx jest suite-${f}.test.js -t '^chaos: case ${t}$'`,
      };
    }),
  }));
}

/** The run those records belong to. */
const LARGE_RUN = { baseSeed: 1, seedSource: 'CHAOS_SEED', enabled: true, tags: null, shard: null, startedAt: 'then', endedAt: 'now', durationMs: 1, strict: false, chaosRuns: 1, commit: null, branch: null, versions: null };

/** Debian's Chromium, never a downloaded one; the flags this machine's closed network needs (no background connections). */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

module.exports = { largeRunRecords, LARGE_RUN, CHROMIUM, CHROMIUM_ARGS };
