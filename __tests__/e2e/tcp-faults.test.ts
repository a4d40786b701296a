/**
 * tcp faults against the real servers of this machine, through their real clients (pg, ioredis 5 and 6,
 * node-redis, amqplib, mqtt, nats), reached as a user does: a fixture project with the preset, `chaos.test`
 * rules. In the same child run each client meets each failure for real (a closed port, a peer that resets,
 * a peer that never answers, a link cut after a byte, a slow link, a narrow link, a link that delivers a
 * byte at a time, a peer that delays its close) and injected; what the client shows must be the same. The
 * tables of docs/tcp-faults.md are generated from this run (UPDATE_TCP_DOCS=1 writes them) and compared with them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runJest, statuses, type JestRun } from '../support/run-jest';

const ROOT = path.join(__dirname, '..', '..');
const DOC = path.join(ROOT, 'docs', 'tcp-faults.md');
const CLIENTS = ['pg', 'ioredis', 'ioredis5', 'redis', 'amqplib', 'mqtt', 'nats'] as const;
const FAILURES = ['down', 'reset', 'timeout', 'limit-data'] as const;
const SLOW_LINKS = ['latency', 'bandwidth', 'slicer'] as const;
const KINDS = [...FAILURES, ...SLOW_LINKS] as const;
/** Kinds whose time the comparison checks too: the delay, or the time the client takes to give up. */
const TIMED: ReadonlySet<string> = new Set(['timeout', 'latency', 'bandwidth']);
const LATENCY_MS = 100;
const SERVICE_PORTS: Record<(typeof CLIENTS)[number], number> = { pg: 5432, ioredis: 6379, ioredis5: 6379, redis: 6379, amqplib: 5672, mqtt: 1883, nats: 4222 };
/** Clients whose round trip waits for the server's close (closing.js): compared under tcp.slow-close. */
const CLOSING = ['pg', 'ioredis', 'net'] as const;
const CLOSING_PORTS: Record<(typeof CLOSING)[number], number> = { pg: 5432, ioredis: 6379, net: 6379 };
const SLOW_CLOSE_MS = 100;

interface Described {
  readonly class?: string;
  readonly message?: string;
  readonly code?: unknown;
  readonly errors?: readonly Described[];
}

interface RoundTrip {
  readonly outcome: 'ok' | 'error';
  readonly result?: unknown;
  readonly error?: Described;
  readonly ms: number;
  readonly events?: readonly string[];
}

/** What the comparison looks at: the outcome, the result or the error; not the time, not the events. */
function seen(record: RoundTrip): unknown {
  const { ms: _ms, events: _events, ...rest } = record;
  return rest;
}

const CLIENT_LABELS: Record<(typeof CLIENTS)[number], string> = {
  pg: '`pg` 8 (Client)',
  ioredis: '`ioredis` 6',
  ioredis5: '`ioredis` 5',
  redis: '`redis` (node-redis) 4',
  amqplib: '`amqplib` 2',
  mqtt: '`mqtt` 5',
  nats: '`nats` 2',
};

const CLOSING_LABELS: Record<(typeof CLOSING)[number], string> = {
  pg: '`pg` 8: query, then `client.end()`',
  ioredis: '`ioredis` 6: `ping()`, then `quit()`',
  net: '`net.Socket`: `QUIT` to Redis, which answers and closes',
};

interface SocketClose {
  readonly ended: boolean;
  readonly hadError: boolean;
  readonly readyState: string;
}

/** What a client read before the close, and how its socket closed. */
function closeCell(record: RoundTrip): string {
  if (record.outcome === 'error') return cell(record);
  const { socket, ...read } = record.result as { socket: SocketClose } & Record<string, unknown>;
  const values = Object.entries(read).map(([key, value]) => `${key} ${JSON.stringify(value)}`).join(', ');
  return `${values}; socket: ${socket.ended ? "'end', " : ''}'close'${socket.hadError ? ' with an error' : ''}, ${socket.readyState}`.replace(/\|/g, '\\|');
}

function cell(record: RoundTrip): string {
  if (record.outcome === 'ok') return 'answers';
  const error = record.error!;
  const code = error.code === undefined ? '' : ` (${String(error.code)})`;
  const message = error.message === '' && error.errors !== undefined ? `[${error.errors.map((inner) => inner.message).join(', ')}]` : error.message;
  return `${error.class}: ${String(message).replace(/\|/g, '\\|')}${code}`;
}

/** The tables of docs/tcp-faults.md: what each client shows, the same for the real failure and the rule. */
function table(records: Record<string, RoundTrip>): string {
  const rows = (kinds: readonly string[]): string[] => CLIENTS.map((client) => `| ${CLIENT_LABELS[client]} | ${kinds.map((kind) => cell(records[`${client} ${kind} injected`]!)).join(' | ')} |`);
  return [
    '| client | `tcp.down` = a closed port | `tcp.reset` = a peer that resets | `tcp.timeout` = a peer that never answers | `tcp.limit-data bytes=1` = cut after 1 byte |',
    '| --- | --- | --- | --- | --- |',
    ...rows(FAILURES),
    '',
    '| client | `tcp.latency ms=100` = a slow link | `tcp.bandwidth rate=4` = a 4 KB/s link | `tcp.slicer bytes=1` = a byte at a time |',
    '| --- | --- | --- | --- |',
    ...rows(SLOW_LINKS),
    '',
    `| client | \`tcp.slow-close ms=${SLOW_CLOSE_MS}\` = a peer whose close (FIN) comes ${SLOW_CLOSE_MS} ms late |`,
    '| --- | --- |',
    ...CLOSING.map((client) => `| ${CLOSING_LABELS[client]} | ${closeCell(records[`${client} slow-close injected`]!)} |`),
  ].join('\n');
}

const START = '<!-- tcp-fidelity:start (generated by __tests__/e2e/tcp-faults.test.ts) -->';
const END = '<!-- tcp-fidelity:end -->';

function describeRun(run: JestRun): string {
  const failures = (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).filter((text) => text !== '');
  return `exit ${String(run.code)}\n${failures.join('\n').slice(0, 6000)}\n${run.stderr.slice(-3000)}`;
}

const tempDir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-tcp-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe('tcp faults through real clients against real servers', () => {
  let run: JestRun;
  let records: Record<string, RoundTrip>;

  beforeAll(async () => {
    const file = path.join(tempDir, 'records.json');
    run = await runJest('tcp', ['fidelity.test.js'], { CHAOS_ENABLED: '1', CHAOS_SEED: '12', TCP_RECORDS: file });
    records = JSON.parse(readFileSync(file, 'utf8')) as Record<string, RoundTrip>;
  }, 90_000);

  test('every scenario ran, real and injected', () => {
    if (run.code !== 0) throw new Error(describeRun(run));
    const status = statuses(run);
    expect([run.code, Object.values(status).filter((value) => value !== 'passed')]).toEqual([0, []]);
    for (const client of CLIENTS) {
      expect([client, records[`${client} baseline`]?.outcome]).toEqual([client, 'ok']);
      for (const kind of KINDS) {
        expect([client, kind, records[`${client} ${kind} real`] !== undefined, records[`${client} ${kind} injected`]?.events]).toEqual([client, kind, true, [`${kind} 127.0.0.1:${SERVICE_PORTS[client]}`]]);
      }
    }
    for (const client of CLOSING) {
      expect([client, records[`${client} slow-close real`] !== undefined, records[`${client} slow-close injected`]?.events]).toEqual([client, true, [`slow-close 127.0.0.1:${CLOSING_PORTS[client]}`]]);
    }
  });

  test.each(CLOSING)('%s, slow-close: the client reads the same and closes as late as behind a peer that delays its close', (client) => {
    const real = records[`${client} slow-close real`]!;
    const injected = records[`${client} slow-close injected`]!;
    expect(seen(injected)).toEqual(seen(real));
    const tolerance = Math.max(80, real.ms * 0.25);
    expect([client, Math.abs(injected.ms - real.ms) <= tolerance, injected.ms, real.ms]).toEqual([client, true, injected.ms, real.ms]);
    expect(injected.ms).toBeGreaterThanOrEqual(SLOW_CLOSE_MS);
  });

  test.each(CLIENTS.flatMap((client) => KINDS.map((kind) => [client, kind] as const)))('%s, %s: the client shows the same under the rule as under the real failure', (client, kind) => {
    const real = records[`${client} ${kind} real`]!;
    const injected = records[`${client} ${kind} injected`]!;
    expect(seen(injected)).toEqual(seen(real));
    if (TIMED.has(kind)) {
      // Measured: the delay, or the time the client takes to give up, is the real one.
      const tolerance = Math.max(80, real.ms * 0.25);
      expect([client, kind, Math.abs(injected.ms - real.ms) <= tolerance, injected.ms, real.ms]).toEqual([client, kind, true, injected.ms, real.ms]);
    }
    // At least one reply was late (a baseline round trip, measured first, also pays for loading the client).
    if (kind === 'latency') expect(injected.ms).toBeGreaterThanOrEqual(LATENCY_MS);
  });

  test('docs/tcp-faults.md shows the table of this run', () => {
    const generated = table(records);
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(START);
    const end = doc.indexOf(END);
    expect([start, end].every((index) => index !== -1)).toBe(true);
    if (process.env['UPDATE_TCP_DOCS'] === '1') writeFileSync(DOC, `${doc.slice(0, start + START.length)}\n${generated}\n${doc.slice(end)}`);
    const shown = readFileSync(DOC, 'utf8');
    expect(shown.slice(shown.indexOf(START) + START.length, shown.indexOf(END)).trim()).toBe(generated);
  });
});


describe('tcp rules over a test’s life, and their seeded draws', () => {
  const drawsOf = async (seed: string, args: readonly string[] = [], files = ['lifecycle.test.js']): Promise<{ run: JestRun; draws: boolean[] }> => {
    const file = path.join(tempDir, `draws-${seed}-${args.length}.json`);
    const run = await runJest('tcp', [...files, ...args], { CHAOS_ENABLED: '1', CHAOS_SEED: seed, TCP_DRAWS: file });
    return { run, draws: JSON.parse(readFileSync(file, 'utf8')) as boolean[] };
  };

  test('a pool across tests, a connection opened before the test, a timed-out connection, virtual time; p draws replay', async () => {
    const first = await drawsOf('5', [], ['lifecycle.test.js', 'virtual-time.test.js']);
    if (first.run.code !== 0) throw new Error(describeRun(first.run));
    expect(statuses(first.run)).toEqual({
      'chaos: a pool connection opened under tcp.latency is slow in its test': 'passed',
      'the next test reuses that connection, plain again': 'passed',
      'chaos: tcp.down does not reach the idle pool connection opened before the test: the rule matches no connection': 'passed',
      'chaos: a connection under tcp.timeout times out in its test': 'passed',
      'after it, a new client is clean': 'passed',
      'chaos: p draws once per connection, from the test seed': 'passed',
      'chaos: a 5 s tcp.latency on Redis passes in virtual time': 'passed',
    });
    // 15 s of virtual latency, in well under a second of wall time.
    const virtual = first.run.json!.testResults.flatMap((file) => file.assertionResults).find((test) => test.fullName.includes('virtual time')) as unknown as { duration: number };
    expect(virtual.duration).toBeLessThan(2000);
    expect(first.draws).toContain(true);
    expect(first.draws).toContain(false);
    // The same seed draws the same connections, also when the test runs alone (-t, as its replay command does).
    const alone = await drawsOf('5', ['-t', 'p draws once per connection']);
    expect(alone.draws).toEqual(first.draws);
    const other = await drawsOf('6', ['-t', 'p draws once per connection']);
    expect(other.draws).not.toEqual(first.draws);
  }, 60_000);

  test('relayed connections, kept in a pool or ended in their test, do not keep the test file alive (--detectLeaks)', async () => {
    const run = await runJest('tcp', ['no-leak.test.js', '--detectLeaks'], { CHAOS_ENABLED: '1', CHAOS_SEED: '5' });
    if (run.code !== 0) throw new Error(describeRun(run));
    expect(Object.values(statuses(run))).toEqual(['passed', 'passed', 'passed', 'passed']);
  }, 30_000);
});
