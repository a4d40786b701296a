/**
 * DB and cache faults through the zero-config driver adapters, reached as a user does: a fixture project
 * with the preset, real pg, mysql2, ioredis and node-redis clients, the real servers on loopback.
 * Every injected failure is compared with the same failure produced for real, live, in this run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runJest, statuses, type JestRun } from '../support/run-jest';
import { PROBES, recordAll, type ProbeRecord } from '../support/db/real-db-failures';

const FIXTURE = path.join(__dirname, 'fixtures', 'db');
const CHAOS = { CHAOS_ENABLED: '1', CHAOS_SEED: '2024' };

type InjectedRecord = ProbeRecord & { events: string[] };

/** The real probes (support/db/real-shapes.json) that the fixture reproduces by injection, one scenario each. */
const INJECTED = [
  ...['pg.client.down', 'pg.pool.down', 'pg.client.lost', 'pg.pool.lost', 'pg.client.timeout.query_timeout', 'pg.pool.timeout.query_timeout'],
  ...['pg.client.error', 'pg.pool.error', 'pg.client.latency', 'pg.pool.latency'],
  ...['callback', 'promise', 'pool'].flatMap((api) => ['down', 'lost', 'timeout', 'error', 'latency'].map((kind) => `mysql2.${api}.${kind}`)),
  'mysql2.promise.error.execute',
  ...['ioredis.down.command', 'ioredis.down.retry', 'ioredis.lost', 'ioredis.lost.retry', 'ioredis.lost.defaults', 'ioredis.timeout', 'ioredis.error', 'ioredis.error.pipeline', 'ioredis.latency'],
  ...['redis.down', 'redis.lost', 'redis.lost.defaults', 'redis.timeout', 'redis.error', 'redis.error.multi', 'redis.latency'],
];

function describeRun(run: JestRun): string {
  const failures = (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).filter((text) => text !== '');
  return `exit ${String(run.code)}\n${failures.join('\n').slice(0, 6000)}\n${run.stderr.slice(-3000)}`;
}

const tempDir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-db-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe('db and cache faults through the driver adapters', () => {
  const recordsFile = path.join(tempDir, 'injected.json');
  let run: JestRun;
  let injected: Record<string, InjectedRecord>;
  let live: Record<string, ProbeRecord>;

  beforeAll(async () => {
    live = await recordAll(PROBES.filter((probe) => INJECTED.includes(probe.id)));
    run = await runJest('db', ['fidelity.test.js', 'behaviour.test.js', 'replica-fallback.test.js', 'cache-down-http.test.js', 'lazy-driver.test.js', 'register-scope.test.js', 'mysql2-in-turn.test.js'], { ...CHAOS, DB_FAULT_RECORDS: recordsFile });
    injected = JSON.parse(readFileSync(recordsFile, 'utf8')) as Record<string, InjectedRecord>;
  }, 120_000);

  test('every driver x kind scenario ran and injected a fault', () => {
    const status = statuses(run);
    const fidelity = Object.keys(status).filter((name) => name.endsWith('is injected like the real failure'));
    expect(fidelity.map((name) => [name, status[name]])).toEqual(fidelity.map((name) => [name, 'passed']));
    expect(Object.keys(injected).sort()).toEqual([...INJECTED].sort());
    for (const [id, record] of Object.entries(injected)) expect([id, record.events.length > 0]).toEqual([id, true]);
  });

  test.each(INJECTED.map((id) => [id]))(
    '%s: the injected failure equals the live real one',
    (id) => {
      const mine = injected[id]!;
      const real = live[id]!;
      // Class, chain, own keys, name, message, code, errno, syscall, address, port and driver fields, or the result.
      expect({ outcome: mine.outcome, error: mine.error, result: mine.result }).toEqual({ outcome: real.outcome, error: real.error, result: real.result });
      // The state the fixture records (status flags, counts, the next call) and every 'error' emitted, in order.
      const state = (record: ProbeRecord) => Object.fromEntries(Object.entries(record.stateAfter).filter(([key]) => key in mine.stateAfter));
      expect(state(mine)).toEqual(state(real));
      expect(mine.emitted).toEqual(real.emitted);
    },
  );

  test('p= and times= apply to driver calls; patches are gone after a passing, throwing or timed-out test; seams', () => {
    const status = statuses(run);
    const behaviour = Object.fromEntries(Object.entries(status).filter(([name]) => !name.endsWith('is injected like the real failure')));
    expect(behaviour).toEqual({
      'chaos: times=2 faults exactly the first two queries': 'passed',
      'chaos: p=0.3 faults about 30% of 100 cache reads': 'passed',
      'chaos: A throws while pg and ioredis are faulted': 'failed',
      'chaos: B after A throwing sees real drivers': 'passed',
      'chaos: A times out while a query waits on a latency fault': 'failed',
      'chaos: B after A timing out sees real drivers': 'passed',
      'chaos: a seam registered in setupFilesAfterEnv is faulted by its name': 'passed',
      'chaos: the seam is restored after the test': 'passed',
      'chaos: seams registered inside a test, in each call style': 'passed',
      'chaos: a rule naming a registered seam does not touch the drivers': 'passed',
      'chaos: errors a driver builds belong to the test realm, socket errors do not, as for the real failures': 'passed',
      'chaos: a lost primary connection is served from the replica, and the primary pool heals': 'passed',
      'chaos: with Redis down, GET /prices/:sku still answers 200 from the database': 'passed',
      'chaos: a driver first loaded in the test body after a hook is faulted by its name': 'passed',
      'chaos: a second test after a hook: "*" reaches every installed db driver': 'passed',
      'chaos: a seam registered in beforeEach is faulted in its test': 'passed',
      'chaos: the next beforeEach registration replaces it instead of piling up': 'passed',
      "chaos: redis down names the client's own host and port, for a command and for a multi": 'passed',
      'chaos: redis down after ms=150 closes the client as without a delay': 'passed',
      'chaos: redis lost after ms=150 closes the client as without a delay': 'passed',
      'chaos: redis down with the default reconnect strategy emits the error and keeps the client': 'passed',
      // mysql2-in-turn.test.js: db.error fails a command in its turn, after the handshake, as the server's own error does.
      'chaos: a query sent before the handshake fails after it, naming the server the handshake met': 'passed',
      'chaos: the failing query holds the connection in its turn: the next query answers after it': 'passed',
      'chaos: a connection that fails before its handshake fails the query as mysql2 does, not as an error of the connection': 'passed',
      'a test that ends first chaos: a faulted query still queued when its test ends': 'passed',
      'a test that ends first chaos: runs for real in the next test': 'passed',
    });
    const failures = (run.json?.testResults ?? []).flatMap((file) => file.assertionResults).filter((test) => test.status === 'failed');
    expect(failures.map((test) => test.failureMessages.join('\n'))).toEqual([expect.stringContaining('deliberate failure'), expect.stringContaining('Exceeded timeout of 300 ms')]);
    expect(run.code).toBe(1);
  });

  test('the docs scenarios are the fixture files that ran', () => {
    const docs = readFileSync(path.join(__dirname, '..', '..', 'docs', 'db-and-cache.md'), 'utf8');
    for (const file of ['replica-fallback.test.js', 'cache-down-http.test.js']) {
      const code = readFileSync(path.join(FIXTURE, file), 'utf8')
        .split('\n')
        .filter((line) => !line.startsWith('// docs/db-and-cache.md'))
        .join('\n')
        .trim();
      expect([file, docs.includes(code)]).toEqual([file, true]);
    }
  });
});

test('with only the environment configured, a rule naming a driver fails loudly; `*` still faults seams', async () => {
  const run = await runJest(path.join(FIXTURE, 'env-only'), [], CHAOS);
  const byFile = Object.fromEntries((run.json?.testResults ?? []).map((file) => [path.basename(file.name), file]));
  expect(byFile['driver-rule.test.js']?.message).toContain(
    "jest-chaos: rule \"db.down pg\" in driver-rule.test.js:2 targets pg, but jest-chaos's setup file did not run in this test file, so the driver the test loads cannot be reached. Use preset: 'jest-chaos' or withChaos() from 'jest-chaos/config', which add it, or add it yourself: setupFiles: [require('jest-chaos/config').chaosSetupFile].",
  );
  expect([byFile['seam-rule.test.js']?.status, describeRun(run)]).toEqual(['passed', expect.any(String)]);
}, 60_000);
