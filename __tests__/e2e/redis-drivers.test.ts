/**
 * Every supported Redis client major (ioredis 5 and 6, node-redis 4, 5 and 6) x every fault kind, reached as
 * a user does: a fixture project per major whose `ioredis` or `redis` is that major, the preset, the real
 * Redis on loopback. Each injected failure is compared with the same failure produced for real, live, in
 * this run, by the probes of support/db/real-db-failures.ts against the same major; the fidelity tables of
 * docs/db-and-cache.md are generated from those real failures (`JEST_CHAOS_WRITE_DOCS=1` rewrites them).
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runJest, statuses, type JestRun } from '../support/run-jest';
import { PROBES, recordAll, type ProbeRecord } from '../support/db/real-db-failures';
import { fidelityTables, replaceSection } from '../support/db/fidelity-table';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'drivers');
const DOCS = path.join(ROOT, 'docs', 'db-and-cache.md');
const CHAOS = { CHAOS_ENABLED: '1', CHAOS_SEED: '2024' };

interface Version {
  readonly dir: string;
  readonly driver: 'ioredis' | 'redis';
  readonly package: string;
  readonly prefix: string;
  readonly major: number;
}
const { VERSIONS } = require('./fixtures/drivers/versions') as { VERSIONS: readonly Version[] };

/** The scenarios of fixtures/drivers/scenarios.js, by driver; each is a real probe of the same id. */
const SCENARIOS = {
  ioredis: ['down.command', 'down.retry', 'lost', 'lost.retry', 'lost.defaults', 'timeout', 'error', 'error.pipeline', 'error.multi', 'latency'],
  redis: ['down', 'lost', 'lost.defaults', 'timeout', 'error', 'error.multi', 'latency'],
  transactions: {
    ioredis: ['multi.down', 'multi.lost', 'multi.lost.defaults', 'multi.timeout', 'multi.latency'],
    redis: ['multi.lost', 'multi.lost.defaults'],
  },
} as const;

const INJECTED = VERSIONS.flatMap((version) => [...SCENARIOS[version.driver], ...SCENARIOS.transactions[version.driver]].map((name) => `${version.prefix}.${name}`));

type InjectedRecord = ProbeRecord & { events: string[] };

/** Each fixture project's node_modules holds its major under the driver's own name (a link to the devDependency). */
function linkDrivers(): void {
  for (const version of VERSIONS) {
    const modules = path.join(FIXTURE, version.dir, 'node_modules');
    const link = path.join(modules, version.driver);
    const target = path.relative(modules, path.join(ROOT, 'node_modules', version.package));
    mkdirSync(modules, { recursive: true });
    if (existsSync(link) || lstatSync(link, { throwIfNoEntry: false }) !== undefined) {
      if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === target) continue;
      unlinkSync(link);
    }
    symlinkSync(target, link, 'dir');
  }
}

function describeRun(run: JestRun): string {
  const failures = (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).filter((text) => text !== '');
  return `exit ${String(run.code)}\n${failures.join('\n').slice(0, 6000)}\n${run.stderr.slice(-3000)}`;
}

const tempDir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-redis-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe('Redis clients, every supported major, every fault kind', () => {
  let run: JestRun;
  let injected: Record<string, InjectedRecord> = {};
  let live: Record<string, ProbeRecord> = {};

  beforeAll(async () => {
    linkDrivers();
    // The real failures and the child Jest run side by side: they use keys and connections of their own.
    [live, run] = await Promise.all([recordAll(PROBES.filter((probe) => INJECTED.includes(probe.id))), runJest(FIXTURE, [], { ...CHAOS, DB_FAULT_RECORDS: tempDir })]);
    for (const file of readdirSync(tempDir)) Object.assign(injected, JSON.parse(readFileSync(path.join(tempDir, file), 'utf8')) as Record<string, InjectedRecord>);
  }, 120_000);

  test('each fixture project loads its own major', () => {
    for (const version of VERSIONS) {
      const resolved = require.resolve(`${version.driver}/package.json`, { paths: [path.join(FIXTURE, version.dir)] });
      const { version: installed } = JSON.parse(readFileSync(resolved, 'utf8')) as { version: string };
      expect([version.dir, Number(installed.split('.')[0])]).toEqual([version.dir, version.major]);
    }
  });

  test('every major x scenario ran and injected a fault', () => {
    const status = statuses(run);
    expect([Object.values(status).filter((value) => value !== 'passed').length, describeRun(run)]).toEqual([0, expect.any(String)]);
    expect(Object.keys(injected).sort()).toEqual([...INJECTED].sort());
    for (const [id, record] of Object.entries(injected)) expect([id, record.events.length > 0]).toEqual([id, true]);
  });

  test.each(INJECTED.map((id) => [id]))('%s: the injected failure equals the live real one', (id) => {
    const mine = injected[id]!;
    const real = live[id]!;
    // Class, chain, own keys, name, message, code, errno, syscall, address, port and driver fields, or the result.
    expect({ outcome: mine.outcome, error: mine.error, result: mine.result }).toEqual({ outcome: real.outcome, error: real.error, result: real.result });
    // The state the fixture records (status flags, transaction runs, the next call) and every 'error' emitted, in order.
    const state = (record: ProbeRecord) => Object.fromEntries(Object.entries(record.stateAfter).filter(([key]) => key in mine.stateAfter));
    expect(state(mine)).toEqual(state(real));
    expect(mine.emitted).toEqual(real.emitted);
  });

  test("docs/db-and-cache.md's Redis fidelity tables are the real failures of this run", () => {
    const tables = fidelityTables(
      VERSIONS.map((version) => ({ driver: version.driver, major: version.major, prefix: version.prefix })),
      INJECTED.map((id) => ({ id, real: live[id]!, recorded: Object.keys(injected[id]?.stateAfter ?? {}) })),
    );
    const docs = readFileSync(DOCS, 'utf8');
    const updated = replaceSection(docs, 'redis-fidelity', tables);
    if (process.env['JEST_CHAOS_WRITE_DOCS'] === '1') writeFileSync(DOCS, updated);
    expect(docs).toBe(updated);
  });
});
