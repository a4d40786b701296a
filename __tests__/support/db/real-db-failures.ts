/**
 * Produces real database and cache failures against loopback servers and captures exactly what each
 * driver throws: `down` (closed port), `lost` (server kills the connection mid-call), `timeout` (the
 * driver's own timeout), `error` (generic server error) and `latency` (slow call, successful result).
 *
 * Servers: PostgreSQL 127.0.0.1:5432 (trust, db `test`), MariaDB/MySQL 127.0.0.1:3306 (root, empty
 * password, db `test`), Redis 127.0.0.1:6379. Every probe is bounded and closes what it opens.
 */
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Client as PgClient, Pool as PgPool, type ClientConfig, type PoolConfig, type QueryResult } from 'pg';
import { createConnection, type Connection as MyConnection, type ConnectionOptions, type QueryOptions } from 'mysql2';
import {
  createConnection as createPromiseConnection,
  createPool as createPromisePool,
  type Connection as MyPromiseConnection,
  type Pool as MyPromisePool,
  type PoolOptions,
} from 'mysql2/promise';
import { Redis, type RedisOptions } from 'ioredis';
import { Redis as Redis5 } from 'ioredis5';
import * as redis5 from 'redis5';
import * as redis6 from 'redis6';
import { createClient, commandOptions, type RedisClientOptions } from 'redis';
import { errorShape, plainJson, toJson, type ErrorShape, type Json, type Volatile } from './error-shape';
import { loopbackProxy, rawCommand, type LoopbackProxy } from './loopback-proxy';

export type Driver = 'pg' | 'mysql2' | 'ioredis' | 'redis';
export type Kind = 'down' | 'lost' | 'timeout' | 'latency' | 'error';

export const PG_CONFIG = {
  host: process.env['JEST_CHAOS_PG_HOST'] ?? '127.0.0.1',
  port: Number(process.env['JEST_CHAOS_PG_PORT'] ?? 5432),
  user: process.env['JEST_CHAOS_PG_USER'] ?? 'postgres',
  database: 'test',
} as const;

export const MYSQL_CONFIG = {
  host: process.env['JEST_CHAOS_MYSQL_HOST'] ?? '127.0.0.1',
  port: Number(process.env['JEST_CHAOS_MYSQL_PORT'] ?? 3306),
  user: 'root',
  password: '',
  database: 'test',
} as const;

export const REDIS_CONFIG = {
  host: process.env['JEST_CHAOS_REDIS_HOST'] ?? '127.0.0.1',
  port: Number(process.env['JEST_CHAOS_REDIS_PORT'] ?? 6379),
} as const;

/** A list nobody pushes to: BLPOP on it blocks for its full timeout. */
export const BLOCK_KEY = 'jest-chaos:shapes:never-pushed';
const APP_NAME = 'jest-chaos-shapes';

// ---------------------------------------------------------------------------------------------
// Generic helpers
// ---------------------------------------------------------------------------------------------

/** Raised when the harness itself cannot set up a failure (never a driver error). */
export class ProbeSetupError extends Error {
  constructor(message: string) {
    super(`db-shapes probe: ${message}`);
    this.name = 'ProbeSetupError';
  }
}

export type Settled =
  | { readonly status: 'resolved'; readonly value: unknown; readonly ms: number }
  | { readonly status: 'rejected'; readonly reason: unknown; readonly ms: number }
  | { readonly status: 'pending'; readonly ms: number };

/** How `promise` settles within `ms`; a promise still pending is left running (its rejection is handled). */
export function settle(promise: Promise<unknown>, ms: number): Promise<Settled> {
  const started = Date.now();
  return new Promise<Settled>((resolve) => {
    const timer = setTimeout(() => resolve({ status: 'pending', ms: Date.now() - started }), ms);
    promise.then(
      (value: unknown) => {
        clearTimeout(timer);
        resolve({ status: 'resolved', value, ms: Date.now() - started });
      },
      (reason: unknown) => {
        clearTimeout(timer);
        resolve({ status: 'rejected', reason, ms: Date.now() - started });
      },
    );
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves `promise` or throws a ProbeSetupError after `ms`. */
async function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const outcome = await settle(promise, ms);
  if (outcome.status === 'resolved') return outcome.value as T;
  if (outcome.status === 'rejected') throw outcome.reason;
  throw new ProbeSetupError(`${what} did not finish within ${ms} ms`);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Runs a cleanup step, bounded, ignoring its errors. */
async function quietly(step: () => unknown, ms = 1000): Promise<void> {
  try {
    const result: unknown = step();
    if (isThenable(result)) await settle(Promise.resolve(result), ms);
  } catch {
    // cleanup only
  }
}

/** Polls `check` every 20 ms until it returns a value other than undefined. */
async function waitFor<T>(check: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new ProbeSetupError(`timed out waiting for ${what}`);
    await delay(20);
  }
}

/** True when `emitter` emits `event` within `ms`. */
function eventWithin(emitter: EventEmitter, event: string, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onEvent = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      emitter.removeListener(event, onEvent);
      resolve(false);
    }, ms);
    emitter.once(event, onEvent);
  });
}

/** A loopback port that nothing listens on (bound to port 0, then closed), free on 127.0.0.1 and ::1. */
export async function closedPort(): Promise<number> {
  const listen = (server: net.Server, port: number, host: string): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  const close = (server: net.Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
  for (let attempt = 0; attempt < 5; attempt++) {
    const v4 = net.createServer();
    await listen(v4, 0, '127.0.0.1');
    const address = v4.address();
    if (address === null || typeof address === 'string') throw new ProbeSetupError('no port from listen(0)');
    const v6 = net.createServer();
    const v6Free = await listen(v6, address.port, '::1').then(
      () => true,
      () => false,
    );
    if (v6Free) await close(v6);
    await close(v4);
    if (v6Free) return address.port;
  }
  throw new ProbeSetupError('no port free on both 127.0.0.1 and ::1');
}

/** Reads a field the driver's typings do not declare (internal state recorded as "state after"). */
function internal(target: object, key: string): unknown {
  return (target as Record<string, unknown>)[key];
}

function fact(value: unknown): string | number | boolean | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return value === undefined || value === null ? null : String(value);
}

export interface Emitted {
  /** Which object emitted `'error'`: `client`, `pool`, `connection`. */
  readonly source: string;
  readonly error: unknown;
}

function collector(emitted: Emitted[], source: string): (error: unknown) => void {
  return (error: unknown) => {
    emitted.push({ source, error });
  };
}

// ---------------------------------------------------------------------------------------------
// Probe model
// ---------------------------------------------------------------------------------------------

export interface ProbeRun {
  /** How the call under test settled: the real error, or for latency the real result. */
  readonly call: Settled;
  /** `'error'` events emitted while the probe ran, in order. */
  readonly emitted: readonly Emitted[];
  /** Facts about the client/pool after the failure (status flags, counts). */
  readonly state: Readonly<Record<string, string | number | boolean | null>>;
  /** One follow-up call on the same client or pool, after the failure. */
  readonly nextCall?: Settled;
  readonly volatile: Volatile;
}

export interface Probe {
  /** `<driver>.<api>.<kind>[.<variant>]` */
  readonly id: string;
  readonly driver: Driver;
  readonly kind: Kind;
  /** The call under test. */
  readonly api: string;
  /** The options that produce (or stop hiding) the failure. */
  readonly setup: string;
  readonly run: () => Promise<ProbeRun>;
  /** Compact JSON for a resolved value (driver result objects are large); default `toJson`. */
  readonly summarise?: (value: unknown) => Json;
}

const NO_IDS: readonly (number | string)[] = [];

type Facts = Record<string, string | number | boolean | null>;

/** What a probe body observed; the `with*` helpers add the emitted errors and the volatile values. */
interface Outcome {
  readonly call: Settled;
  readonly state: Facts;
  readonly nextCall?: Settled;
  /** Ids of the connections or clients the probe killed (they appear in messages). */
  readonly ids?: readonly (number | string)[];
}

function probeRun(emitted: readonly Emitted[], outcome: Outcome): ProbeRun {
  const { call, state, nextCall, ids = NO_IDS } = outcome;
  return { call, emitted, state, ...(nextCall === undefined ? {} : { nextCall }), volatile: { ports: [], ids } };
}

/** Runs a probe against a port nothing listens on; the port is volatile in what the driver reports. */
async function onClosedPort(use: (port: number) => Promise<ProbeRun>): Promise<ProbeRun> {
  const port = await closedPort();
  const run = await use(port);
  return { ...run, volatile: { ...run.volatile, ports: [port] } };
}

/** The usual sequence: the call under test, what provokes its failure, a pause, the state, a follow-up call. */
type Steps = {
  /** The call under test and how long it may take to settle. */
  readonly call: () => Promise<unknown>;
  readonly within: number;
  /** Provokes the failure while the call runs (kills its connection). */
  readonly provoke?: () => Promise<void>;
  /** After the call settles and before the state is read: a pause in ms, or an event to wait for. */
  readonly wait?: number | Promise<unknown>;
  /** Facts to add to the client's state, read before it. */
  readonly facts?: (call: Settled) => Facts | Promise<Facts>;
  readonly ids?: readonly (number | string)[];
} & ({ readonly next?: undefined } | { readonly next: () => Promise<unknown>; readonly nextWithin: number });

async function observe(steps: Steps, clientState: () => Facts): Promise<Outcome> {
  const pending = settle(steps.call(), steps.within);
  if (steps.provoke !== undefined) await steps.provoke();
  const call = await pending;
  if (typeof steps.wait === 'number') await delay(steps.wait);
  else if (steps.wait !== undefined) await steps.wait;
  const facts = steps.facts === undefined ? {} : await steps.facts(call);
  const state = { ...clientState(), ...facts };
  const nextCall = steps.next === undefined ? undefined : await settle(steps.next(), steps.nextWithin);
  return { call, state, ...(nextCall === undefined ? {} : { nextCall }), ...(steps.ids === undefined ? {} : { ids: steps.ids }) };
}

/** The call under test is cut off by killing its connection or client `id` (named in messages) while it runs. */
function killedDuring(
  id: number,
  kill: (id: number) => Promise<void>,
  call: () => Promise<unknown>,
  next: () => Promise<unknown>,
  nextWithin: number,
  more: Pick<Steps, 'wait' | 'facts'>,
): Steps {
  return { call, within: 3000, provoke: () => kill(id), ...more, next, nextWithin, ids: [id] };
}

/** A slow call that succeeds: the result, and whether the delay really happened. */
async function slowCall(call: () => Promise<unknown>): Promise<Outcome> {
  const settled = await settle(call(), 1500);
  return { call: settled, state: { tookAtLeast150ms: settled.ms >= 150 } };
}

/** How a probe gets, connects, inspects and closes one client, connection or pool. */
interface Handle<C> {
  /** Creates it, its `'error'` events collected into `emitted`. */
  readonly open: (emitted: Emitted[]) => C | Promise<C>;
  /** Connects it, bounded; undefined where the call under test connects (or the driver does on its own). */
  readonly connect: ((client: C) => Promise<unknown>) | undefined;
  readonly state: (client: C) => Facts;
  readonly close: (client: C) => Promise<void> | void;
}

/** `'connect'`: connected before the probe body runs; `'open'`: only created. */
type Start = 'connect' | 'open';

type Use<C> = (client: C, observe: (steps: Steps) => Promise<Outcome>) => Promise<Outcome>;

async function withHandle<C>(handle: Handle<C>, use: Use<C>): Promise<ProbeRun> {
  const emitted: Emitted[] = [];
  const client = await handle.open(emitted);
  try {
    if (handle.connect !== undefined) await handle.connect(client);
    return probeRun(emitted, await use(client, (steps) => observe(steps, () => handle.state(client))));
  } finally {
    await handle.close(client);
  }
}

// ---------------------------------------------------------------------------------------------
// pg
// ---------------------------------------------------------------------------------------------

function pgClient(config: ClientConfig, emitted: Emitted[]): PgClient {
  const client = new PgClient({ ...PG_CONFIG, connectionTimeoutMillis: 2000, ...config });
  client.on('error', collector(emitted, 'client'));
  return client;
}

function pgPool(config: PoolConfig, emitted: Emitted[]): PgPool {
  const pool = new PgPool({ ...PG_CONFIG, connectionTimeoutMillis: 2000, ...config });
  pool.on('error', collector(emitted, 'pool'));
  return pool;
}

function pgClientState(client: PgClient): Record<string, string | number | boolean | null> {
  return { _queryable: fact(internal(client, '_queryable')), _ending: fact(internal(client, '_ending')) };
}

function pgPoolState(pool: PgPool): Record<string, string | number | boolean | null> {
  return { totalCount: pool.totalCount, idleCount: pool.idleCount, waitingCount: pool.waitingCount };
}

async function pgBackendPid(run: (text: string) => Promise<QueryResult<{ pid: number }>>): Promise<number> {
  const result = await run('SELECT pg_backend_pid() AS pid');
  const pid = result.rows[0]?.pid;
  if (typeof pid !== 'number') throw new ProbeSetupError('no pg_backend_pid()');
  return pid;
}

/** Waits until backend `pid` is inside pg_sleep, then terminates it from a second connection. */
async function pgTerminateWhenSleeping(pid: number): Promise<void> {
  const admin = new PgClient({ ...PG_CONFIG, connectionTimeoutMillis: 2000 });
  admin.on('error', () => undefined);
  try {
    await bounded(admin.connect(), 2000, 'pg admin connect');
    await waitFor(
      async () => {
        const result = await admin.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE '%pg_sleep%'",
          [pid],
        );
        return result.rows[0]?.n === 1 ? true : undefined;
      },
      2000,
      `pg backend ${pid} in pg_sleep`,
    );
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await quietly(() => admin.end());
  }
}

function pgResultSummary(value: unknown): Json {
  const result = value as QueryResult<Record<string, unknown>>;
  return {
    class: (value as object).constructor.name,
    command: result.command,
    rowCount: result.rowCount,
    rows: toJson(result.rows),
    fields: result.fields.map((field) => field.name),
  };
}

/** `SELECT pg_sleep(5)`, its backend terminated while it sleeps, then `SELECT 1` within `nextWithin`. */
function pgTerminated(pid: number, query: (text: string) => Promise<unknown>, wait: number | Promise<unknown>, nextWithin: number): Steps {
  return killedDuring(pid, pgTerminateWhenSleeping, () => query('SELECT pg_sleep(5)'), () => query('SELECT 1'), nextWithin, { wait });
}

function withPgClient(config: ClientConfig, use: Use<PgClient>, start: Start = 'connect'): Promise<ProbeRun> {
  return withHandle(
    {
      open: (emitted) => pgClient(config, emitted),
      connect: start === 'connect' ? (client) => bounded(client.connect(), 2000, 'pg connect') : undefined,
      state: pgClientState,
      close: (client) => quietly(() => client.end()),
    },
    use,
  );
}

function withPgPool(config: PoolConfig, use: Use<PgPool>): Promise<ProbeRun> {
  return withHandle({ open: (emitted) => pgPool(config, emitted), connect: undefined, state: pgPoolState, close: (pool) => quietly(() => pool.end()) }, use);
}

const pgProbes: Probe[] = [
  {
    id: 'pg.client.down',
    driver: 'pg',
    kind: 'down',
    api: 'new Client({ port: <closed> }).connect()',
    setup: 'connectionTimeoutMillis: 1000',
    run: () =>
      onClosedPort((port) =>
        withPgClient(
          { port, connectionTimeoutMillis: 1000 },
          async (client) => {
            const call = await settle(client.connect(), 1500);
            const nextCall = await settle(client.query('SELECT 1'), 300);
            // The state as it is after the follow-up query.
            return { call, state: pgClientState(client), nextCall };
          },
          'open',
        ),
      ),
  },
  {
    id: 'pg.pool.down',
    driver: 'pg',
    kind: 'down',
    api: "new Pool({ port: <closed> }).query('SELECT 1')",
    setup: 'max: 1, connectionTimeoutMillis: 1000',
    run: () =>
      onClosedPort((port) =>
        withPgPool({ port, max: 1, connectionTimeoutMillis: 1000 }, (pool, observe) =>
          observe({ call: () => pool.query('SELECT 1'), within: 1500, next: () => pool.query('SELECT 1'), nextWithin: 1500 }),
        ),
      ),
  },
  {
    id: 'pg.client.lost',
    driver: 'pg',
    kind: 'lost',
    api: "client.query('SELECT pg_sleep(5)') + pg_terminate_backend(pid)",
    setup: 'client.on("error") attached (without it the emitted error crashes the process)',
    run: () =>
      withPgClient({ application_name: APP_NAME }, async (client, observe) => {
        const pid = await pgBackendPid((text) => client.query<{ pid: number }>(text));
        return observe(pgTerminated(pid, (text) => client.query(text), eventWithin(client, 'end', 3000), 500));
      }),
  },
  {
    id: 'pg.pool.lost',
    driver: 'pg',
    kind: 'lost',
    api: "pool.query('SELECT pg_sleep(5)') + pg_terminate_backend(pid)",
    setup: 'max: 1; pool.on("error") attached',
    run: () =>
      withPgPool({ max: 1, application_name: APP_NAME }, async (pool, observe) => {
        const pid = await pgBackendPid((text) => pool.query<{ pid: number }>(text));
        return observe(pgTerminated(pid, (text) => pool.query(text), 100, 2000));
      }),
  },
  {
    id: 'pg.client.timeout.query_timeout',
    driver: 'pg',
    kind: 'timeout',
    api: "client.query('SELECT pg_sleep(1)')",
    setup: 'Client({ query_timeout: 200 }) (client-side timer; the statement keeps running on the server)',
    run: () =>
      withPgClient({ query_timeout: 200 }, (client, observe) =>
        observe({ call: () => client.query('SELECT pg_sleep(1)'), within: 1500, next: () => client.query('SELECT 1'), nextWithin: 600 }),
      ),
  },
  {
    id: 'pg.client.timeout.statement_timeout',
    driver: 'pg',
    kind: 'timeout',
    api: "client.query('SELECT pg_sleep(1)')",
    setup: 'Client({ statement_timeout: 200 }) (server cancels the statement)',
    run: () =>
      withPgClient({ statement_timeout: 200 }, (client, observe) =>
        observe({ call: () => client.query('SELECT pg_sleep(1)'), within: 1500, next: () => client.query('SELECT 1'), nextWithin: 600 }),
      ),
  },
  {
    id: 'pg.pool.timeout.query_timeout',
    driver: 'pg',
    kind: 'timeout',
    api: "pool.query('SELECT pg_sleep(1)')",
    setup: 'Pool({ max: 1, query_timeout: 200 })',
    run: () =>
      withPgPool({ max: 1, query_timeout: 200 }, (pool, observe) =>
        observe({ call: () => pool.query('SELECT pg_sleep(1)'), within: 1500, wait: 50, next: () => pool.query('SELECT 1'), nextWithin: 1500 }),
      ),
  },
  {
    id: 'pg.client.error',
    driver: 'pg',
    kind: 'error',
    api: "client.query('SELEC 1')",
    setup: 'defaults',
    run: () =>
      withPgClient({}, (client, observe) =>
        observe({ call: () => client.query('SELEC 1'), within: 1500, next: () => client.query('SELECT 1'), nextWithin: 1000 }),
      ),
  },
  {
    id: 'pg.pool.error',
    driver: 'pg',
    kind: 'error',
    api: "pool.query('SELEC 1')",
    setup: 'max: 1',
    run: () =>
      withPgPool({ max: 1 }, (pool, observe) =>
        observe({ call: () => pool.query('SELEC 1'), within: 1500, wait: 20, next: () => pool.query('SELECT 1'), nextWithin: 1500 }),
      ),
  },
  {
    id: 'pg.client.latency',
    driver: 'pg',
    kind: 'latency',
    api: "client.query('SELECT pg_sleep(0.2) AS slept')",
    setup: 'defaults',
    run: () => withPgClient({}, (client) => slowCall(() => client.query('SELECT pg_sleep(0.2) AS slept'))),
  },
  {
    id: 'pg.pool.latency',
    driver: 'pg',
    kind: 'latency',
    api: "pool.query('SELECT pg_sleep(0.2) AS slept')",
    setup: 'max: 1',
    run: () => withPgPool({ max: 1 }, (pool) => slowCall(() => pool.query('SELECT pg_sleep(0.2) AS slept'))),
  },
];

// ---------------------------------------------------------------------------------------------
// mysql2
// ---------------------------------------------------------------------------------------------

function myCallbackConnection(options: ConnectionOptions, emitted: Emitted[]): MyConnection {
  const connection = createConnection({ ...MYSQL_CONFIG, connectTimeout: 2000, ...options });
  connection.on('error', collector(emitted, 'connection'));
  return connection;
}

/** Promise over the callback API: `connection.query(sql | options, callback)`. */
function myQuery(connection: MyConnection, query: string | QueryOptions): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback = (error: unknown, rows: unknown): void => (error ? reject(error) : resolve(rows));
    if (typeof query === 'string') connection.query(query, callback);
    else connection.query(query, callback);
  });
}

function myConnected(connection: MyConnection): Promise<void> {
  return new Promise((resolve, reject) => connection.connect((error) => (error ? reject(error) : resolve())));
}

async function myPromiseConnection(emitted: Emitted[]): Promise<MyPromiseConnection> {
  const connection = await bounded(createPromiseConnection({ ...MYSQL_CONFIG, connectTimeout: 2000 }), 2500, 'mysql connect');
  connection.on('error', collector(emitted, 'connection'));
  return connection;
}

function myPool(options: PoolOptions): MyPromisePool {
  return createPromisePool({ ...MYSQL_CONFIG, connectTimeout: 2000, ...options });
}

function myConnectionState(connection: MyConnection | MyPromiseConnection): Record<string, string | number | boolean | null> {
  const core = 'connection' in connection ? (connection.connection as object) : connection;
  return { state: fact(internal(core, 'state')), _fatalError: internal(core, '_fatalError') !== null };
}

/** Waits until connection `id` runs SELECT SLEEP, then `KILL <id>` from a second connection. */
async function myKillWhenSleeping(id: number): Promise<void> {
  const admin = await bounded(createPromiseConnection({ ...MYSQL_CONFIG, connectTimeout: 2000 }), 2500, 'mysql admin connect');
  admin.on('error', () => undefined);
  try {
    await waitFor(
      async () => {
        const [rows] = await admin.query('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ? AND INFO LIKE ?', [
          id,
          'SELECT SLEEP%',
        ]);
        const first = (rows as { n: number }[])[0];
        return first !== undefined && Number(first.n) === 1 ? true : undefined;
      },
      2000,
      `mysql connection ${id} in SLEEP`,
    );
    await admin.query(`KILL ${Number(id)}`);
  } finally {
    await quietly(() => admin.end());
  }
}

function myResultSummary(value: unknown): Json {
  // mysql2/promise resolves [rows, fields]; the callback API passes rows (fields as third argument).
  const rows = Array.isArray(value) && Array.isArray(value[0]) ? (value[0] as unknown) : value;
  const fields = Array.isArray(value) && Array.isArray(value[1]) ? (value[1] as { name: string }[]).map((field) => field.name) : null;
  return { shape: Array.isArray(value) && Array.isArray(value[0]) ? '[rows, fields]' : 'rows', rows: toJson(rows), fields };
}

/** `SELECT SLEEP(5)`, its connection killed while it sleeps, then `SELECT 1` within `nextWithin`. */
function myKilled(id: number, query: (sql: string) => Promise<unknown>, nextWithin: number): Steps {
  return killedDuring(id, myKillWhenSleeping, () => query('SELECT SLEEP(5)'), () => query('SELECT 1'), nextWithin, { wait: 50 });
}

function withMyCallback(options: ConnectionOptions, use: Use<MyConnection>, start: Start = 'connect'): Promise<ProbeRun> {
  return withHandle(
    {
      open: (emitted) => myCallbackConnection(options, emitted),
      connect: start === 'connect' ? (connection) => bounded(myConnected(connection), 2500, 'mysql connect') : undefined,
      state: myConnectionState,
      close: (connection) => quietly(() => connection.destroy()),
    },
    use,
  );
}

function withMyPromise(use: Use<MyPromiseConnection>): Promise<ProbeRun> {
  return withHandle(
    { open: myPromiseConnection, connect: undefined, state: myConnectionState, close: (connection) => quietly(() => connection.destroy()) },
    use,
  );
}

/** A mysql2/promise pool: nothing is listened to and no state is recorded. */
function withMyPool(options: PoolOptions, use: Use<MyPromisePool>): Promise<ProbeRun> {
  return withHandle({ open: () => myPool(options), connect: undefined, state: () => ({}), close: (pool) => quietly(() => pool.end()) }, use);
}

const mysqlProbes: Probe[] = [
  {
    id: 'mysql2.callback.down',
    driver: 'mysql2',
    kind: 'down',
    api: "createConnection({ port: <closed> }).query('SELECT 1', cb)",
    setup: 'connection.on("error") attached',
    run: () =>
      onClosedPort((port) =>
        withMyCallback(
          { port },
          (connection, observe) =>
            observe({ call: () => myQuery(connection, 'SELECT 1'), within: 1500, next: () => myQuery(connection, 'SELECT 1'), nextWithin: 300 }),
          'open',
        ),
      ),
  },
  {
    id: 'mysql2.promise.down',
    driver: 'mysql2',
    kind: 'down',
    api: "await mysql2/promise createConnection({ port: <closed> })",
    setup: 'defaults',
    run: () =>
      onClosedPort(async (port) => {
        const call = await settle(createPromiseConnection({ ...MYSQL_CONFIG, port, connectTimeout: 1000 }), 1500);
        if (call.status === 'resolved') await quietly(() => (call.value as MyPromiseConnection).end());
        return probeRun([], { call, state: {} });
      }),
  },
  {
    id: 'mysql2.pool.down',
    driver: 'mysql2',
    kind: 'down',
    api: "mysql2/promise createPool({ port: <closed> }).query('SELECT 1')",
    setup: 'connectionLimit: 1',
    run: () =>
      onClosedPort((port) =>
        withMyPool({ port, connectionLimit: 1, connectTimeout: 1000 }, (pool, observe) =>
          observe({ call: () => pool.query('SELECT 1'), within: 1500, next: () => pool.query('SELECT 1'), nextWithin: 1500 }),
        ),
      ),
  },
  {
    id: 'mysql2.callback.lost',
    driver: 'mysql2',
    kind: 'lost',
    api: "connection.query('SELECT SLEEP(5)', cb) + KILL <id>",
    setup: 'connection.on("error") attached',
    run: () =>
      withMyCallback({}, (connection, observe) => observe(myKilled(connection.threadId, (sql) => myQuery(connection, sql), 500))),
  },
  {
    id: 'mysql2.promise.lost',
    driver: 'mysql2',
    kind: 'lost',
    api: "await connection.query('SELECT SLEEP(5)') + KILL <id>",
    setup: 'connection.on("error") attached',
    run: () =>
      withMyPromise((connection, observe) => observe(myKilled(connection.threadId, (sql) => connection.query(sql), 500))),
  },
  {
    id: 'mysql2.pool.lost',
    driver: 'mysql2',
    kind: 'lost',
    api: "await pool.query('SELECT SLEEP(5)') + KILL <id>",
    setup: 'mysql2/promise createPool({ connectionLimit: 1 })',
    run: () =>
      withMyPool({ connectionLimit: 1 }, async (pool, observe) => {
        const [rows] = await bounded(pool.query('SELECT CONNECTION_ID() AS id'), 2500, 'mysql pool query');
        return observe(myKilled(Number((rows as { id: number }[])[0]?.id), (sql) => pool.query(sql), 1500));
      }),
  },
  {
    id: 'mysql2.callback.timeout',
    driver: 'mysql2',
    kind: 'timeout',
    api: "connection.query({ sql: 'SELECT SLEEP(0.6)', timeout: 200 }, cb)",
    setup: 'query option timeout: 200 (client-side timer; the statement keeps running on the server)',
    run: () =>
      withMyCallback({}, (connection, observe) =>
        observe({
          call: () => myQuery(connection, { sql: 'SELECT SLEEP(0.6)', timeout: 200 }),
          within: 1500,
          next: () => myQuery(connection, 'SELECT 1'),
          nextWithin: 1500,
        }),
      ),
  },
  {
    id: 'mysql2.promise.timeout',
    driver: 'mysql2',
    kind: 'timeout',
    api: "await connection.query({ sql: 'SELECT SLEEP(0.6)', timeout: 200 })",
    setup: 'query option timeout: 200',
    run: () =>
      withMyPromise((connection, observe) =>
        observe({
          call: () => connection.query({ sql: 'SELECT SLEEP(0.6)', timeout: 200 }),
          within: 1500,
          next: () => connection.query('SELECT 1'),
          nextWithin: 1500,
        }),
      ),
  },
  {
    id: 'mysql2.promise.timeout.max_statement_time',
    driver: 'mysql2',
    kind: 'timeout',
    api: "await connection.query('SET STATEMENT max_statement_time=0.2 FOR SELECT SLEEP(1)')",
    setup: 'MariaDB server-side max_statement_time (MySQL: MAX_EXECUTION_TIME hint, SELECT only)',
    run: () =>
      withMyPromise((connection, observe) =>
        observe({
          call: () => connection.query('SET STATEMENT max_statement_time=0.2 FOR SELECT SLEEP(1) AS slept'),
          within: 1500,
          next: () => connection.query('SELECT 1'),
          nextWithin: 1000,
        }),
      ),
  },
  {
    id: 'mysql2.pool.timeout',
    driver: 'mysql2',
    kind: 'timeout',
    api: "await pool.query({ sql: 'SELECT SLEEP(0.6)', timeout: 200 })",
    setup: 'mysql2/promise createPool({ connectionLimit: 1 }), query option timeout: 200',
    run: () =>
      withMyPool({ connectionLimit: 1 }, async (pool) => {
        const call = await settle(pool.query({ sql: 'SELECT SLEEP(0.6)', timeout: 200 }), 1500);
        const nextCall = await settle(pool.query('SELECT 1'), 1500);
        return { call, state: { nextCallWaitedForTheTimedOutStatement: nextCall.ms >= 200 }, nextCall };
      }),
  },
  {
    id: 'mysql2.callback.error',
    driver: 'mysql2',
    kind: 'error',
    api: "connection.query('SELEC 1', cb)",
    setup: 'defaults',
    run: () =>
      withMyCallback({}, (connection, observe) =>
        observe({ call: () => myQuery(connection, 'SELEC 1'), within: 1500, next: () => myQuery(connection, 'SELECT 1'), nextWithin: 1000 }),
      ),
  },
  {
    id: 'mysql2.promise.error',
    driver: 'mysql2',
    kind: 'error',
    api: "await connection.query('SELEC 1')",
    setup: 'defaults',
    run: () =>
      withMyPromise((connection, observe) =>
        observe({ call: () => connection.query('SELEC 1'), within: 1500, next: () => connection.query('SELECT 1'), nextWithin: 1000 }),
      ),
  },
  {
    id: 'mysql2.promise.error.execute',
    driver: 'mysql2',
    kind: 'error',
    api: "await connection.execute('SELEC ?', [1])",
    setup: 'defaults (the error comes from the PREPARE step)',
    run: () =>
      withMyPromise((connection, observe) =>
        observe({
          call: () => connection.execute('SELEC ?', [1]),
          within: 1500,
          next: () => connection.execute('SELECT ? AS one', [1]),
          nextWithin: 1000,
        }),
      ),
  },
  {
    id: 'mysql2.pool.error',
    driver: 'mysql2',
    kind: 'error',
    api: "await pool.query('SELEC 1')",
    setup: 'mysql2/promise createPool({ connectionLimit: 1 })',
    run: () =>
      withMyPool({ connectionLimit: 1 }, (pool, observe) =>
        observe({ call: () => pool.query('SELEC 1'), within: 1500, next: () => pool.query('SELECT 1'), nextWithin: 1500 }),
      ),
  },
  {
    id: 'mysql2.callback.latency',
    driver: 'mysql2',
    kind: 'latency',
    api: "connection.query('SELECT SLEEP(0.2) AS slept', cb)",
    setup: 'defaults',
    run: () => withMyCallback({}, (connection) => slowCall(() => myQuery(connection, 'SELECT SLEEP(0.2) AS slept'))),
  },
  {
    id: 'mysql2.promise.latency',
    driver: 'mysql2',
    kind: 'latency',
    api: "await connection.query('SELECT SLEEP(0.2) AS slept')",
    setup: 'defaults',
    run: () => withMyPromise((connection) => slowCall(() => connection.query('SELECT SLEEP(0.2) AS slept'))),
  },
  {
    id: 'mysql2.pool.latency',
    driver: 'mysql2',
    kind: 'latency',
    api: "await pool.query('SELECT SLEEP(0.2) AS slept')",
    setup: 'mysql2/promise createPool({ connectionLimit: 1 })',
    run: () => withMyPool({ connectionLimit: 1 }, (pool) => slowCall(() => pool.query('SELECT SLEEP(0.2) AS slept'))),
  },
];

// ---------------------------------------------------------------------------------------------
// Redis helpers (both clients)
// ---------------------------------------------------------------------------------------------

/** Waits until client `id` is blocked in BLPOP, then `CLIENT KILL ID <id>` from a second connection. */
async function redisKillWhenBlocked(id: number): Promise<void> {
  const admin = new Redis({ ...REDIS_CONFIG, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  admin.on('error', () => undefined);
  try {
    await bounded(admin.connect(), 2000, 'redis admin connect');
    await waitFor(
      async () => {
        const list = String(await admin.call('CLIENT', 'LIST', 'ID', String(id)));
        return /\bcmd=blpop\b/.test(list) ? true : undefined;
      },
      2000,
      `redis client ${id} in BLPOP`,
    );
    await admin.call('CLIENT', 'KILL', 'ID', String(id));
  } finally {
    admin.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Transactions (both Redis clients): MULTI ... EXEC cut off by the network
// ---------------------------------------------------------------------------------------------

/** A counter key of its own for one probe run: a transaction INCRs it, so its value says how often the transaction ran. */
export function runsKey(id: string): string {
  return `jest-chaos:shapes:runs:${id}:${process.pid}:${Date.now()}`;
}

/** How often the transaction ran (the counter's value, read without a driver), then the key is removed. */
export async function transactionRuns(key: string): Promise<number> {
  const value = await rawCommand(REDIS_CONFIG.host, REDIS_CONFIG.port, ['GET', key]);
  await rawCommand(REDIS_CONFIG.host, REDIS_CONFIG.port, ['DEL', key]);
  return Number(value ?? 0);
}

/** Runs a probe through a loopback proxy in front of the real Redis. */
async function throughProxy(use: (proxy: LoopbackProxy) => Promise<ProbeRun>): Promise<ProbeRun> {
  const proxy = await loopbackProxy(REDIS_CONFIG.host, REDIS_CONFIG.port);
  try {
    return await use(proxy);
  } finally {
    await proxy.close();
  }
}

type WithIoredis = (options: RedisOptions, use: Use<Redis>, start?: Start) => Promise<ProbeRun>;

/** `multi().incr(key).ping().exec()` under each real failure; `transactionRuns` counts the server's runs. */
function ioredisTransactionProbes(prefix: string, withIoredis: WithIoredis): Probe[] {
  const api = 'redis.multi().incr(key).ping().exec()';
  const transaction = (redis: Redis, key: string): Promise<unknown> => redis.multi().incr(key).ping().exec();
  const lost = (id: string, options: RedisOptions, facts: (redis: Redis, key: string) => Promise<Facts>): (() => Promise<ProbeRun>) => () =>
    throughProxy((proxy) =>
      withIoredis({ ...options, port: proxy.port }, async (redis, observe) => {
        const key = runsKey(id);
        proxy.dropAfter('EXEC');
        return observe({ call: () => transaction(redis, key), within: 3000, facts: () => facts(redis, key), next: () => redis.ping(), nextWithin: 1000 });
      }),
    );
  return [
    {
      id: `${prefix}.multi.down`,
      driver: 'ioredis',
      kind: 'down',
      api: `new Redis({ port: <closed> }).multi().incr(key).ping().exec()`,
      setup: 'retryStrategy: () => null, maxRetriesPerRequest: 0',
      run: () =>
        onClosedPort((port) =>
          withIoredis({ port, ...IOREDIS_STRICT }, (redis, observe) => observe({ call: () => transaction(redis, runsKey('down')), within: 1500, wait: 20 }), 'open'),
        ),
    },
    {
      id: `${prefix}.multi.lost`,
      driver: 'ioredis',
      kind: 'lost',
      api: `${api}, the connection cut after EXEC reached the server`,
      setup: 'retryStrategy: () => null, maxRetriesPerRequest: 0',
      run: lost(`${prefix}.multi.lost`, IOREDIS_STRICT, async (_redis, key) => {
        await delay(50);
        return { transactionRuns: await transactionRuns(key) };
      }),
    },
    {
      id: `${prefix}.multi.lost.defaults`,
      driver: 'ioredis',
      kind: 'lost',
      api: `${api}, the connection cut after EXEC reached the server`,
      setup: 'all defaults (reconnects, autoResendUnfulfilledCommands: true)',
      run: lost(`${prefix}.multi.lost.defaults`, {}, async (redis, key) => {
        if (redis.status !== 'ready') await eventWithin(redis, 'ready', 1500);
        return { transactionRuns: await transactionRuns(key) };
      }),
    },
    {
      id: `${prefix}.multi.timeout`,
      driver: 'ioredis',
      kind: 'timeout',
      api: `${api}, the server's replies held back`,
      setup: 'commandTimeout: 200, retryStrategy: () => null, maxRetriesPerRequest: 0',
      run: () =>
        throughProxy((proxy) =>
          withIoredis({ ...IOREDIS_STRICT, commandTimeout: 200, port: proxy.port }, (redis, observe) => {
            proxy.stall();
            return observe({ call: () => transaction(redis, runsKey('timeout')), within: 1500 });
          }),
        ),
    },
    {
      id: `${prefix}.multi.latency`,
      driver: 'ioredis',
      kind: 'latency',
      api: `${api}, the server's replies 200 ms late`,
      setup: 'retryStrategy: () => null, maxRetriesPerRequest: 0',
      run: () =>
        throughProxy((proxy) =>
          withIoredis({ ...IOREDIS_STRICT, port: proxy.port }, async (redis) => {
            const key = runsKey(`${prefix}.multi.latency`);
            proxy.delayReplies(200);
            const outcome = await slowCall(() => transaction(redis, key));
            return { ...outcome, state: { ...outcome.state, transactionRuns: await transactionRuns(key) } };
          }),
        ),
    },
  ];
}

type WithNodeRedis = (socket: NodeRedisSocket, use: Use<NodeRedisClient>, start?: Start) => Promise<ProbeRun>;

/** `multi().incr(key).ping().exec()` with the connection cut after EXEC reached the server. */
function nodeRedisTransactionProbes(prefix: string, withNodeRedis: WithNodeRedis): Probe[] {
  const lost = (id: string, socket: NodeRedisSocket, settleState: (client: NodeRedisClient) => Promise<Facts>): (() => Promise<ProbeRun>) => () =>
    throughProxy((proxy) =>
      withNodeRedis({ ...socket, port: proxy.port }, async (client, observe) => {
        const key = runsKey(id);
        proxy.dropAfter('EXEC');
        return observe({
          call: () => client.multi().incr(key).ping().exec(),
          within: 3000,
          facts: async () => ({ ...(await settleState(client)), transactionRuns: await transactionRuns(key) }),
          next: () => client.ping(),
          nextWithin: 500,
        });
      }),
    );
  return [
    {
      id: `${prefix}.multi.lost`,
      driver: 'redis',
      kind: 'lost',
      api: 'client.multi().incr(key).ping().exec(), the connection cut after EXEC reached the server',
      setup: 'socket.reconnectStrategy: false',
      run: lost(`${prefix}.multi.lost`, { reconnectStrategy: false }, async () => {
        await delay(50);
        return {};
      }),
    },
    {
      id: `${prefix}.multi.lost.defaults`,
      driver: 'redis',
      kind: 'lost',
      api: 'client.multi().incr(key).ping().exec(), the connection cut after EXEC reached the server',
      setup: 'default reconnectStrategy (reconnects; the transaction is not resent)',
      run: lost(`${prefix}.multi.lost.defaults`, {}, async (client) => ({ reconnected: client.isReady || (await eventWithin(client as unknown as EventEmitter, 'ready', 1500)) })),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// ioredis
// ---------------------------------------------------------------------------------------------

/** Options that stop ioredis from hiding a failure behind reconnects and retries. */
export const IOREDIS_STRICT = { retryStrategy: (): null => null, maxRetriesPerRequest: 0 } as const;

/** The ioredis majors the adapters support, each as its own package: probe ids start with the prefix. */
export const IOREDIS_CLIENTS = [
  { prefix: 'ioredis', major: 6, package: 'ioredis', Redis },
  { prefix: 'ioredis5', major: 5, package: 'ioredis5', Redis: Redis5 as unknown as typeof Redis },
] as const;

/** Every ioredis probe, for the client class of one major. */
function ioredisProbesFor(Client: typeof Redis, prefix: string): Probe[] {
  function ioredis(options: RedisOptions, emitted: Emitted[]): Redis {
    const redis = new Client({ ...REDIS_CONFIG, connectTimeout: 1000, ...options });
    redis.on('error', collector(emitted, 'client'));
    return redis;
  }

  function ioredisState(redis: Redis): Record<string, string | number | boolean | null> {
    return { status: redis.status };
  }

  /** `'connect'` adds `lazyConnect: true` and connects before the probe body runs. */
  function withIoredis(options: RedisOptions, use: Use<Redis>, start: Start = 'connect'): Promise<ProbeRun> {
    return withHandle(
      {
        open: (emitted) => ioredis(start === 'connect' ? { lazyConnect: true, ...options } : options, emitted),
        connect: start === 'connect' ? (redis) => bounded(redis.connect(), 2000, 'ioredis connect') : undefined,
        state: ioredisState,
        close: (redis) => redis.disconnect(),
      },
      use,
    );
  }

  /** BLPOP on `redis`, its connection killed by another client while it blocks, then a PING. */
  async function ioredisKilledBlpop(redis: Redis, blockSeconds: number, more: Pick<Steps, 'wait' | 'facts'>): Promise<Steps> {
    const id = Number(await redis.call('CLIENT', 'ID'));
    return killedDuring(id, redisKillWhenBlocked, () => redis.blpop(BLOCK_KEY, blockSeconds), () => redis.ping(), 500, more);
  }

  return [
    {
      id: `${prefix}.down.command`,
      driver: 'ioredis',
      kind: 'down',
      api: 'new Redis({ port: <closed> }).get(key)',
      setup: 'retryStrategy: () => null, maxRetriesPerRequest: 0',
      run: () =>
        onClosedPort((port) =>
          withIoredis(
            { port, ...IOREDIS_STRICT },
            (redis, observe) => observe({ call: () => redis.get(BLOCK_KEY), within: 1500, next: () => redis.get(BLOCK_KEY), nextWithin: 300 }),
            'open',
          ),
        ),
    },
    {
      id: `${prefix}.down.connect`,
      driver: 'ioredis',
      kind: 'down',
      api: 'new Redis({ port: <closed>, lazyConnect: true }).connect()',
      setup: 'lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0',
      run: () =>
        onClosedPort((port) =>
          withIoredis(
            { port, lazyConnect: true, ...IOREDIS_STRICT },
            (redis, observe) => observe({ call: () => redis.connect(), within: 1500, next: () => redis.get(BLOCK_KEY), nextWithin: 300 }),
            'open',
          ),
        ),
    },
    {
      id: `${prefix}.down.retry`,
      driver: 'ioredis',
      kind: 'down',
      api: 'new Redis({ port: <closed> }).get(key)',
      setup: 'default retryStrategy (keeps reconnecting), maxRetriesPerRequest: 0 (with the default 20 this takes about 70 s)',
      run: () =>
        onClosedPort((port) =>
          withIoredis({ port, maxRetriesPerRequest: 0 }, (redis, observe) => observe({ call: () => redis.get(BLOCK_KEY), within: 1500 }), 'open'),
        ),
    },
    {
      id: `${prefix}.lost`,
      driver: 'ioredis',
      kind: 'lost',
      api: 'redis.blpop(key, 5) + CLIENT KILL ID <id>',
      setup: 'retryStrategy: () => null, maxRetriesPerRequest: 0',
      run: () => withIoredis({ ...IOREDIS_STRICT }, async (redis, observe) => observe(await ioredisKilledBlpop(redis, 5, { wait: 50 }))),
    },
    {
      id: `${prefix}.lost.retry`,
      driver: 'ioredis',
      kind: 'lost',
      api: 'redis.blpop(key, 5) + CLIENT KILL ID <id>',
      setup: 'default retryStrategy, maxRetriesPerRequest: 0',
      run: () =>
        withIoredis({ maxRetriesPerRequest: 0 }, async (redis, observe) => {
          const reconnected = async (): Promise<Facts> => ({ reconnected: redis.status === 'ready' || (await eventWithin(redis, 'ready', 1500)) });
          return observe(await ioredisKilledBlpop(redis, 5, { facts: reconnected }));
        }),
    },
    {
      id: `${prefix}.lost.defaults`,
      driver: 'ioredis',
      kind: 'lost',
      api: 'redis.blpop(key, 1) + CLIENT KILL ID <id>',
      setup: 'all defaults (retryStrategy, maxRetriesPerRequest: 20, autoResendUnfulfilledCommands: true)',
      run: () =>
        withIoredis({}, async (redis, observe) => {
          const resent = (call: Settled): Facts => ({ blpopWasResentAfterReconnect: call.status === 'resolved' && call.ms >= 900 });
          return observe(await ioredisKilledBlpop(redis, 1, { facts: resent }));
        }),
    },
    {
      id: `${prefix}.timeout`,
      driver: 'ioredis',
      kind: 'timeout',
      api: 'redis.blpop(key, 1)',
      setup: 'commandTimeout: 200 (client-side timer; the command keeps blocking the connection)',
      run: () =>
        withIoredis({ commandTimeout: 200, ...IOREDIS_STRICT }, (redis, observe) =>
          observe({ call: () => redis.blpop(BLOCK_KEY, 1), within: 1500, next: () => redis.ping(), nextWithin: 600 }),
        ),
    },
    {
      id: `${prefix}.error`,
      driver: 'ioredis',
      kind: 'error',
      api: "redis.call('SET', key, 'v', 'NOSUCHOPTION')",
      setup: 'retryStrategy: () => null, maxRetriesPerRequest: 0',
      run: () =>
        withIoredis({ ...IOREDIS_STRICT }, (redis, observe) =>
          observe({ call: () => redis.call('SET', BLOCK_KEY, 'v', 'NOSUCHOPTION'), within: 1500, next: () => redis.ping(), nextWithin: 500 }),
        ),
    },
    {
      id: `${prefix}.error.pipeline`,
      driver: 'ioredis',
      kind: 'error',
      api: "redis.pipeline().call('SET', key, 'v', 'NOSUCHOPTION').ping().exec()",
      setup: 'retryStrategy: () => null, maxRetriesPerRequest: 0 (exec resolves; errors sit in [error, result] pairs)',
      run: () =>
        withIoredis({ ...IOREDIS_STRICT }, (redis, observe) =>
          observe({ call: () => redis.pipeline().call('SET', BLOCK_KEY, 'v', 'NOSUCHOPTION').ping().exec(), within: 1500 }),
        ),
    },
    {
      id: `${prefix}.error.multi`,
      driver: 'ioredis',
      kind: 'error',
      api: "redis.multi().call('SET', key, 'v', 'NOSUCHOPTION').ping().exec()",
      setup: 'retryStrategy: () => null, maxRetriesPerRequest: 0',
      run: () =>
        withIoredis({ ...IOREDIS_STRICT }, (redis, observe) =>
          observe({ call: () => redis.multi().call('SET', BLOCK_KEY, 'v', 'NOSUCHOPTION').ping().exec(), within: 1500 }),
        ),
    },
    {
      id: `${prefix}.latency`,
      driver: 'ioredis',
      kind: 'latency',
      api: 'redis.blpop(key, 0.2)',
      setup: 'retryStrategy: () => null, maxRetriesPerRequest: 0',
      run: () => withIoredis({ ...IOREDIS_STRICT }, (redis) => slowCall(() => redis.blpop(BLOCK_KEY, 0.2))),
    },
    ...ioredisTransactionProbes(prefix, withIoredis),
  ];
}

// ---------------------------------------------------------------------------------------------
// redis (node-redis v4)
// ---------------------------------------------------------------------------------------------

type NodeRedisClient = ReturnType<typeof createClient>;
type NodeRedisSocket = NonNullable<RedisClientOptions['socket']>;

/** One node-redis major and its createClient. */
interface NodeRedisVersion {
  readonly prefix: string;
  readonly major: number;
  readonly package: string;
  readonly createClient: typeof createClient;
}

/** The node-redis majors the adapters support, each as its own package: probe ids start with the prefix. */
export const NODE_REDIS_CLIENTS: readonly NodeRedisVersion[] = [
  {
    prefix: 'redis',
    major: 4,
    package: 'redis',
    createClient,
  },
  ...([[5, redis5], [6, redis6]] as const).map(([major, lib]) => ({
    prefix: `redis${major}`,
    major,
    package: `redis${major}`,
    createClient: lib.createClient as unknown as typeof createClient,
  })),
];

/** Every node-redis probe, for one major. */
function nodeRedisProbesFor(version: NodeRedisVersion): Probe[] {
  const { prefix } = version;
  function nodeRedis(socket: NodeRedisSocket, emitted: Emitted[]): NodeRedisClient {
    const client = version.createClient({ socket: { ...REDIS_CONFIG, connectTimeout: 1000, ...socket } as NodeRedisSocket });
    client.on('error', collector(emitted, 'client'));
    return client;
  }

  function nodeRedisState(client: NodeRedisClient): Record<string, string | number | boolean | null> {
    return { isOpen: client.isOpen, isReady: client.isReady };
  }

  /** `disconnect()`, falling back to `quit()` when disconnect fails (see redis.timeout). */
  async function nodeRedisClose(client: NodeRedisClient): Promise<void> {
    if (client.isOpen) await quietly(() => client.disconnect());
    if (client.isOpen) await quietly(() => client.quit());
  }

  function settledFact(settled: Settled): string {
    if (settled.status !== 'rejected') return settled.status;
    const shape = errorShape(settled.reason);
    return `rejected: ${shape.class}: ${shape.message}`;
  }

  /** Resolves `localhost` to ::1 and then 127.0.0.1, as /etc/hosts does on most systems. */
  function dualStackLookup(
    _hostname: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void {
    if (options.all === true) {
      callback(null, [
        { address: '::1', family: 6 },
        { address: '127.0.0.1', family: 4 },
      ]);
    } else {
      callback(null, '::1', 6);
    }
  }

  function withNodeRedis(socket: NodeRedisSocket, use: Use<NodeRedisClient>, start: Start = 'connect'): Promise<ProbeRun> {
    return withHandle(
      {
        open: (emitted) => nodeRedis(socket, emitted),
        connect: start === 'connect' ? (client) => bounded(client.connect(), 2000, 'node-redis connect') : undefined,
        state: nodeRedisState,
        close: nodeRedisClose,
      },
      use,
    );
  }

  /** blPop on `client`, its connection killed by another client while it blocks, then a PING. */
  async function nodeRedisKilledBlpop(client: NodeRedisClient, more: Pick<Steps, 'wait' | 'facts'>): Promise<Steps> {
    const id = await client.clientId();
    return killedDuring(id, redisKillWhenBlocked, () => client.blPop(BLOCK_KEY, 5), () => client.ping(), 500, more);
  }

  return [
    {
      id: `${prefix}.down`,
      driver: 'redis',
      kind: 'down',
      api: 'createClient({ socket: { port: <closed> } }).connect()',
      setup: 'socket.reconnectStrategy: false',
      run: () =>
        onClosedPort((port) =>
          withNodeRedis(
            { port, reconnectStrategy: false },
            (client, observe) => observe({ call: () => client.connect(), within: 1500, next: () => client.get(BLOCK_KEY), nextWithin: 300 }),
            'open',
          ),
        ),
    },
    {
      id: `${prefix}.down.dual-stack`,
      driver: 'redis',
      kind: 'down',
      api: "createClient({ socket: { host: 'localhost', port: <closed> } }).connect()",
      setup: 'socket.reconnectStrategy: false; localhost resolving to ::1 and 127.0.0.1 (Node autoSelectFamily)',
      run: () =>
        onClosedPort((port) =>
          withNodeRedis(
            { host: 'localhost', port, lookup: dualStackLookup, reconnectStrategy: false },
            (client, observe) => observe({ call: () => client.connect(), within: 1500 }),
            'open',
          ),
        ),
    },
    {
      id: `${prefix}.down.defaults`,
      driver: 'redis',
      kind: 'down',
      api: 'createClient({ socket: { port: <closed> } }).connect()',
      setup: 'default reconnectStrategy (retries forever; connect() never settles)',
      run: () =>
        onClosedPort(async (port) => {
          // connect() keeps retrying until the client is closed: wait for it to give up after that.
          let connecting: Promise<unknown> = Promise.resolve();
          try {
            return await withNodeRedis(
              { port },
              (client, observe) => {
                connecting = client.connect();
                return observe({ call: () => connecting, within: 400, next: () => client.get(BLOCK_KEY), nextWithin: 200 });
              },
              'open',
            );
          } finally {
            await settle(connecting, 1000);
          }
        }),
    },
    {
      id: `${prefix}.lost`,
      driver: 'redis',
      kind: 'lost',
      api: 'client.blPop(key, 5) + CLIENT KILL ID <id>',
      setup: 'socket.reconnectStrategy: false',
      run: () => withNodeRedis({ reconnectStrategy: false }, async (client, observe) => observe(await nodeRedisKilledBlpop(client, { wait: 50 }))),
    },
    {
      id: `${prefix}.lost.defaults`,
      driver: 'redis',
      kind: 'lost',
      api: 'client.blPop(key, 5) + CLIENT KILL ID <id>',
      setup: 'default reconnectStrategy (reconnects; the in-flight command is not resent)',
      run: () =>
        withNodeRedis({}, async (client, observe) => {
          const reconnected = async (): Promise<Facts> => ({ reconnected: client.isReady || (await eventWithin(client, 'ready', 1500)) });
          return observe(await nodeRedisKilledBlpop(client, { facts: reconnected }));
        }),
    },
    version.major === 4
      ? {
          id: `${prefix}.timeout`,
          driver: 'redis',
          kind: 'timeout',
          api: 'client.blPop(commandOptions({ signal: AbortSignal.timeout(200) }), key, 1)',
          setup: 'no command timeout option in v4: per-command AbortSignal via commandOptions (the command still blocks the connection)',
          run: () =>
            withNodeRedis({ reconnectStrategy: false }, async (client, observe) => {
              const { call, state, nextCall } = await observe({
                call: () => client.blPop(commandOptions({ signal: AbortSignal.timeout(200) }), BLOCK_KEY, 1),
                within: 1500,
                next: () => client.ping(),
                nextWithin: 1500,
              });
              // The abort listener removes the already-sent node from the to-send list again, leaving its length at -1.
              const disconnect = settledFact(await settle(client.disconnect(), 1000));
              const waited = nextCall !== undefined && nextCall.ms >= 500;
              return { call, state: { ...state, nextCallWaitedForTheAbortedCommand: waited, disconnect }, nextCall };
            }),
        }
      : {
          // From v5 a command's timeout (and abort signal) only runs while it waits to be written: a command
          // already sent waits for its reply as long as it takes. So the real timeout is a command that waits
          // for the client to reconnect to a server that went away.
          id: `${prefix}.timeout`,
          driver: 'redis',
          kind: 'timeout',
          api: 'client.withCommandOptions({ timeout: 200 }).get(key) while the client waits to reconnect',
          setup: `socket.reconnectStrategy: () => 2000; the command timeout option (${version.major >= 6 ? 'default 5000 ms' : 'off by default'}) bounds the wait to be written; the outage's own 'error' events are not recorded`,
          run: () =>
            throughProxy(async (proxy) => {
              const client = version.createClient({ socket: { ...REDIS_CONFIG, port: proxy.port, connectTimeout: 1000, reconnectStrategy: () => 2000 } });
              client.on('error', () => undefined);
              try {
                await bounded(client.connect(), 2000, 'node-redis connect');
                const reconnecting = eventWithin(client, 'reconnecting', 1000);
                proxy.cut();
                await reconnecting;
                const timed = (client as unknown as { withCommandOptions(options: { timeout: number }): NodeRedisClient }).withCommandOptions({ timeout: 200 });
                const call = await settle(timed.get(BLOCK_KEY), 1500);
                return probeRun([], { call, state: { isOpen: client.isOpen } });
              } finally {
                await quietly(() => (client as unknown as { destroy(): void }).destroy());
              }
            }),
        },
    {
      id: `${prefix}.error`,
      driver: 'redis',
      kind: 'error',
      api: "client.sendCommand(['SET', key, 'v', 'NOSUCHOPTION'])",
      setup: 'socket.reconnectStrategy: false',
      run: () =>
        withNodeRedis({ reconnectStrategy: false }, (client, observe) =>
          observe({ call: () => client.sendCommand(['SET', BLOCK_KEY, 'v', 'NOSUCHOPTION']), within: 1500, next: () => client.ping(), nextWithin: 500 }),
        ),
    },
    {
      id: `${prefix}.error.multi`,
      driver: 'redis',
      kind: 'error',
      api: "client.multi().addCommand(['SET', key, 'v', 'NOSUCHOPTION']).ping().exec()",
      setup: 'socket.reconnectStrategy: false',
      run: () =>
        withNodeRedis({ reconnectStrategy: false }, (client, observe) =>
          observe({ call: () => client.multi().addCommand(['SET', BLOCK_KEY, 'v', 'NOSUCHOPTION']).ping().exec(), within: 1500 }),
        ),
    },
    {
      id: `${prefix}.latency`,
      driver: 'redis',
      kind: 'latency',
      api: 'client.blPop(key, 0.2)',
      setup: 'socket.reconnectStrategy: false',
      run: () => withNodeRedis({ reconnectStrategy: false }, (client) => slowCall(() => client.blPop(BLOCK_KEY, 0.2))),
    },
    ...nodeRedisTransactionProbes(prefix, withNodeRedis),
  ];
}

// ---------------------------------------------------------------------------------------------
// Registry and recording
// ---------------------------------------------------------------------------------------------

export const PROBES: readonly Probe[] = [
  ...pgProbes.map((item) => ({ ...item, summarise: pgResultSummary })),
  ...mysqlProbes.map((item) => ({ ...item, summarise: myResultSummary })),
  ...IOREDIS_CLIENTS.flatMap((client) => ioredisProbesFor(client.Redis, client.prefix)),
  ...NODE_REDIS_CLIENTS.flatMap((version) => nodeRedisProbesFor(version)),
];

export function probe(id: string): Probe {
  const found = PROBES.find((candidate) => candidate.id === id);
  if (found === undefined) throw new ProbeSetupError(`unknown probe ${id}`);
  return found;
}

/** Produces the real failure and returns what the driver threw (or, for latency, resolved with). */
export async function realFailure(id: string): Promise<unknown> {
  const { call } = await probe(id).run();
  if (call.status === 'rejected') return call.reason;
  if (call.status === 'resolved') return call.value;
  throw new ProbeSetupError(`${id}: call still pending after ${call.ms} ms`);
}

export interface SettledRecord {
  outcome: 'resolved' | 'rejected' | 'pending';
  error?: ErrorShape;
  result?: Json;
}

export interface EmittedRecord {
  source: string;
  error: ErrorShape;
  /** The same error was emitted more than once in a row (the count depends on timing). */
  repeated?: true;
}

export interface ProbeRecord {
  driver: Driver;
  kind: Kind;
  api: string;
  setup: string;
  outcome: 'resolved' | 'rejected' | 'pending';
  error?: ErrorShape;
  result?: Json;
  /** `'error'` events in order; consecutive duplicates collapsed into one entry marked `repeated`. */
  emitted: EmittedRecord[];
  stateAfter: { [key: string]: Json };
}

function recordSettled(settled: Settled, volatile: Volatile, summarise?: (value: unknown) => Json): SettledRecord {
  if (settled.status === 'rejected') return { outcome: 'rejected', error: errorShape(settled.reason, volatile) };
  if (settled.status === 'resolved') return { outcome: 'resolved', result: summarise?.(settled.value) ?? toJson(settled.value, volatile) };
  return { outcome: 'pending' };
}

export function toRecord(probeDef: Probe, run: ProbeRun): ProbeRecord {
  const call = recordSettled(run.call, run.volatile, probeDef.summarise);
  const emitted: EmittedRecord[] = [];
  let previous = '';
  for (const item of run.emitted) {
    const entry: EmittedRecord = { source: item.source, error: errorShape(item.error, run.volatile) };
    const key = JSON.stringify(entry);
    const last = emitted[emitted.length - 1];
    if (key === previous && last !== undefined) last.repeated = true;
    else emitted.push(entry);
    previous = key;
  }
  const stateAfter: { [key: string]: Json } = { ...run.state };
  if (run.nextCall !== undefined) stateAfter['nextCall'] = plainJson(recordSettled(run.nextCall, run.volatile, probeDef.summarise));
  return {
    driver: probeDef.driver,
    kind: probeDef.kind,
    api: probeDef.api,
    setup: probeDef.setup,
    outcome: call.outcome,
    ...(call.error !== undefined ? { error: call.error } : {}),
    ...(call.result !== undefined ? { result: call.result } : {}),
    emitted,
    stateAfter,
  };
}

export async function recordProbe(probeDef: Probe): Promise<ProbeRecord> {
  return toRecord(probeDef, await probeDef.run());
}

/** Runs every probe, keyed by id: probes of one client package one after another, the packages in parallel. */
export async function recordAll(probes: readonly Probe[] = PROBES): Promise<Record<string, ProbeRecord>> {
  // One group per client package (the id's first part: `ioredis5`, `redis6`, ...).
  const groups = new Map<string, Probe[]>();
  for (const item of probes) {
    const group = item.id.split('.')[0] ?? item.driver;
    groups.set(group, [...(groups.get(group) ?? []), item]);
  }
  const out: Record<string, ProbeRecord> = {};
  await Promise.all(
    [...groups.values()].map(async (group) => {
      for (const item of group) out[item.id] = await recordProbe(item);
    }),
  );
  const ordered: Record<string, ProbeRecord> = {};
  for (const item of probes) {
    const record = out[item.id];
    if (record !== undefined) ordered[item.id] = record;
  }
  return ordered;
}
