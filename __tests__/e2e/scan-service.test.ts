import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runCli } from './fixtures/scan/support';

/**
 * `jest-chaos scan` on the demo service (examples/service): every dependency it has is found, and the scan
 * says which fault kinds its four chaos suites (and its chaos tests in profile-api.test.ts) exercise.
 */
jest.setTimeout(30_000);

const SERVICE = path.join(ROOT, 'examples', 'service');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

interface Dependency {
  id: string;
  type: string;
  seams: { name: string; methods: string[] }[];
  callSites: { file: string; line: number; call: string; function: string | null; handling: { kind: string; via: string | null }[] }[];
  tested: { kind: string; by: { source: string; file: string; rule: string; match: string; fired: number | null }[] }[];
  missing: string[];
}

async function scanService(args: readonly string[] = []): Promise<{ dependencies: Dependency[]; scenarios: { id: string; priority: string; signal: string }[] }> {
  const run = await runCli(SERVICE, ['scan', '--json', ...args]);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

test('finds the identity API, the PostgreSQL pool, the Redis client and the seams the tests register', async () => {
  const { dependencies } = await scanService();
  expect(dependencies.map((dependency) => [dependency.id, dependency.type, dependency.callSites.map((site) => `${site.file}:${site.line} ${site.call} in ${site.function}`)])).toEqual([
    ['http:*/identity/users/*', 'unresolved-host', ['src/upstream/profile-client.ts:54 fetch in ProfileClient.fetchOnce']],
    [
      'db:pg',
      'driver',
      [
        'src/data/postgres-database.ts:10 new Pool in PostgresAccountDatabase.connect',
        'src/data/postgres-database.ts:15 this.pool.query in PostgresAccountDatabase.seed',
        'src/data/postgres-database.ts:17 this.pool.query in PostgresAccountDatabase.seed',
        'src/data/postgres-database.ts:22 this.pool.query in PostgresAccountDatabase.findAccount',
      ],
    ],
    [
      'cache:ioredis',
      'driver',
      ['src/cache/redis-cache.ts:11 new Redis in RedisCache.connect', 'src/cache/redis-cache.ts:12 client.connect in RedisCache.connect', 'src/cache/redis-cache.ts:17 this.client.get in RedisCache.get', 'src/cache/redis-cache.ts:21 this.client.set in RedisCache.set'],
    ],
  ]);
  expect(dependencies.map((dependency) => dependency.seams.map((seam) => `${seam.name}: ${seam.methods.join(', ')}`))).toEqual([[], ['primary: findAccount', 'replica: findAccount'], ['redis: get, set']]);
  // The client's own timeout, and the retry loop and last-copy fallback of its caller.
  expect(dependencies[0]!.callSites[0]!.handling.map((handling) => `${handling.kind}${handling.via === null ? '' : ` via ${handling.via}`}`)).toEqual([
    'try-catch via ProfileClient.get',
    'fallback via ProfileClient.get',
    'retry via ProfileClient.get',
    'timeout',
  ]);
});

test('says which kinds the four chaos suites and the chaos tests exercise, and which are missing', async () => {
  const { dependencies, scenarios } = await scanService();
  const covered = Object.fromEntries(
    dependencies.map((dependency) => [dependency.id, Object.fromEntries(dependency.tested.map((tested) => [tested.kind, tested.by.map((entry) => `${entry.file} (${entry.source}: ${entry.rule})`)]))]),
  );
  expect(covered).toEqual({
    'http:*/identity/users/*': {
      timeout: ['test/chaos/upstream-timeout.test.ts (pragma: http.timeout localhost ms=50)'],
      hang: ['test/profile-api.test.ts (builder: http.hang localhost)'],
      refused: ['test/chaos/flaky-upstream.test.ts (pragma: http.refused localhost p=0.1)'],
      latency: ['test/chaos/flaky-upstream.test.ts (pragma: http.latency localhost ms=20-200 p=0.3)'],
    },
    'db:pg': {
      down: ['test/profile-api.test.ts (chaos.test: db.down primary)', 'test/profile-api.test.ts (chaos.test: db.down replica)'],
      lost: ['test/chaos/primary-lost.test.ts (pragma: db.lost primary)'],
    },
    'cache:ioredis': { down: ['test/chaos/cache-down.test.ts (pragma: cache.down redis)'] },
  });
  expect(dependencies.map((dependency) => [dependency.id, dependency.missing])).toEqual([
    ['http:*/identity/users/*', ['reset', 'dns', 'status', 'malformed']],
    ['db:pg', ['timeout', 'latency', 'error']],
    ['cache:ioredis', ['lost', 'timeout', 'latency', 'error']],
  ]);
  // The identity client retries: its retry path is what the missing kinds would exercise.
  expect(scenarios.filter((scenario) => scenario.id.startsWith('http:')).map((scenario) => `${scenario.id} ${scenario.priority} ${scenario.signal}`)).toEqual([
    'http:*/identity/users/*#reset C self-repair-code',
    'http:*/identity/users/*#dns C self-repair-code',
    'http:*/identity/users/*#status C self-repair-code',
    'http:*/identity/users/*#malformed C default',
  ]);
});

test("a report's faults tie the identity API's unresolved host by its path, and the seams' calls to their drivers", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-scan-service-'));
  made.push(dir);
  const report = path.join(dir, 'chaos-report.json');
  const events = (file: string, list: [string, string, string, string][]) => ({ file, fullName: 'x', events: list.map(([rule, domain, kind, call], i) => ({ seq: i + 1, rule, domain, kind, call })) });
  writeFileSync(
    report,
    JSON.stringify({
      schemaVersion: 2,
      tests: [
        events('test/chaos/upstream-timeout.test.ts', [['http.timeout localhost ms=50', 'http', 'timeout', 'GET http://localhost:40123/identity/users/1']]),
        events('test/chaos/cache-down.test.ts', [
          ['cache.down redis', 'cache', 'down', 'cache redis.get'],
          ['cache.down redis', 'cache', 'down', 'cache redis.get'],
        ]),
        events('test/extra.test.ts', [
          ['http.status localhost', 'http', 'status', 'GET http://localhost:40123/identity/users/2'],
          ['db.error primary', 'db', 'error', 'db primary.findAccount'],
        ]),
      ],
    }),
  );
  const { dependencies } = await scanService(['--report', report]);
  const fired = Object.fromEntries(
    dependencies.map((dependency) => [dependency.id, dependency.tested.flatMap((tested) => tested.by.filter((entry) => entry.fired !== 0).map((entry) => `${tested.kind} ${entry.source} ${entry.match} ${entry.fired}`))]),
  );
  expect(fired).toEqual({
    'http:*/identity/users/*': ['timeout pragma unresolved-host 1', 'status report path 1'],
    'db:pg': ['error report seam 1'],
    'cache:ioredis': ['down pragma seam 2'],
  });
});
