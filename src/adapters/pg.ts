/**
 * pg: faults `Client.prototype.connect` and `Client.prototype.query`, which every `Client` and every
 * `Pool` (its clients are `pg.Client`s) goes through. See docs/db-and-cache.md for the table of errors.
 */
import path from 'node:path';
import { captureDeep, headerOnly, withoutInjectionFrames } from '../errors/stack';
import { originalOf, patchProperty } from '../runtime/patches';
import type { DriverAdapter } from './index';
import { closedPort, connectionRefused, trailingCallback, type DriverRules, type FailKind } from './faults';
import type { RealmLoader } from './loader';

/** What can happen while connecting: refused, or slow. Other kinds fault queries only. */
const CONNECT_KINDS: ReadonlySet<'down' | 'latency'> = new Set(['down', 'latency']);

type Callback = (error: unknown, result?: unknown) => void;

interface PgClient {
  host?: string;
  port: number;
  _connected?: boolean;
  _ending?: boolean;
  connection?: { stream?: { destroy(): void } };
  _Promise?: PromiseConstructor;
}

interface PgModule {
  Client: { prototype: Record<string, unknown> };
  DatabaseError: new (message: string, length: number, name: string) => Error;
}

type Submittable = { submit: Function; callback?: Callback; handleError(error: unknown, connection: unknown): void };

const DATABASE_ERROR_FIELDS = ['severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where', 'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine'] as const;

/** A server error as pg-protocol's parser builds it: every field assigned, the unsent ones undefined. */
function databaseError(pg: PgModule, message: string, fields: Partial<Record<(typeof DATABASE_ERROR_FIELDS)[number], string>>): Error {
  const error = new pg.DatabaseError(message, 0, 'error') as Error & Record<string, unknown>;
  let length = 4;
  for (const field of DATABASE_ERROR_FIELDS) {
    error[field] = fields[field];
    if (fields[field] !== undefined) length += fields[field].length + 2;
  }
  error.length = length + message.length + 2;
  return error;
}

function sqlText(config: unknown): string {
  if (typeof config === 'string') return config;
  if (typeof config === 'object' && config !== null && typeof (config as { text?: unknown }).text === 'string') return (config as { text: string }).text;
  return '';
}

/** The error pg reports for each kind on a query. */
function queryError(pg: PgModule, client: PgClient, kind: FailKind, config: unknown, RealmError: ErrorConstructor): Error {
  switch (kind) {
    case 'down':
      return connectionRefused(client.host, client.port);
    case 'lost':
      return databaseError(pg, 'terminating connection due to administrator command', { severity: 'FATAL', code: '57P01', file: 'postgres.c', line: '3289', routine: 'ProcessInterrupts' });
    case 'timeout':
      return new RealmError('Query read timeout');
    case 'error': {
      const token = /^\s*([^\s;(]+)/.exec(sqlText(config))?.[1] ?? 'SELECT';
      return databaseError(pg, `syntax error at or near "${token}"`, { severity: 'ERROR', code: '42601', position: '1', file: 'scan.l', line: '1244', routine: 'scanner_yyerror' });
    }
  }
}

/**
 * Fails one query after `before` (the fault's delay), delivering `error` the way `Client#query` reports
 * errors in each of its three call forms. When the test ends first (`before` gives false), the fault never
 * fires: the query goes to the server as it would have without it (`passThrough`), so that its pool
 * connection comes back and nothing of the test reaches the code after it.
 *
 * The error's frames are pg's: a callback or a submittable gets it as pg-protocol builds it in the event
 * loop (no frame of the user's); the promise form gets the stack that leads back to the code that awaited
 * the query, as pg's own `.catch` replaces it.
 */
function failQuery(client: PgClient, args: unknown[], error: Error, before: Promise<boolean>, after: () => void, passThrough: () => unknown): unknown {
  const [config, values] = args;
  if (typeof config === 'object' && config !== null && typeof (config as Submittable).submit === 'function') {
    const query = config as Submittable;
    if (query.callback === undefined) query.callback = (typeof values === 'function' ? values : args[2]) as Callback | undefined;
    void before.then((inTime) => {
      if (!inTime) return void passThrough();
      query.handleError(headerOnly(error), (client as { connection?: unknown }).connection);
      after();
    });
    return query;
  }
  const callback = trailingCallback(args) as Callback | undefined;
  if (callback !== undefined) {
    void before.then((inTime) => {
      if (!inTime) return void passThrough();
      callback(headerOnly(error));
      after();
    });
    return undefined;
  }
  const PromiseImpl = client._Promise ?? Promise;
  return new PromiseImpl((resolve, reject) => {
    void before.then((inTime) => {
      if (!inTime) return resolve(passThrough());
      reject(error);
      after();
    });
  }).catch(leadBackToCaller);
}

/** What pg's promise form does with a query's error: its stack starts over from here, leading back to the awaiting code. */
function leadBackToCaller(error: unknown): never {
  if (typeof error === 'object' && error !== null && typeof (error as Error).stack === 'string') {
    captureDeep(error as Error, leadBackToCaller);
    (error as Error).stack = withoutInjectionFrames((error as Error).stack ?? '');
  }
  throw error;
}

export const pgAdapter: DriverAdapter = {
  driver: 'pg',
  domain: 'db',
  entries: ['lib/index.js'],
  install(rules: DriverRules, load: RealmLoader, dir: string): void {
    const pg = load(path.join(dir, 'lib', 'index.js')) as PgModule;
    const proto = pg.Client.prototype;
    const query = originalOf(proto.query) as (this: PgClient, ...args: unknown[]) => unknown;
    const connect = originalOf(proto.connect) as (this: PgClient, callback?: Callback) => unknown;

    function chaosQuery(this: PgClient, ...args: unknown[]): unknown {
      const { delay, kind } = rules.decide('query');
      if (kind === undefined) {
        if (delay === 0) return query.apply(this, args);
        const self = this;
        const callback = trailingCallback(args);
        const later = rules.wait(delay).then(() => query.apply(self, args));
        return callback !== undefined ? undefined : typeof args[0] === 'object' && args[0] !== null && 'submit' in args[0] ? args[0] : later;
      }
      const error = queryError(pg, this, kind, args[0], rules.Error);
      const client = this;
      // A lost connection: the query fails with the server's FATAL, then the socket closes, and pg reports
      // `Connection terminated unexpectedly` and stops being queryable, unless a pool already ended it.
      const after = kind === 'lost' ? () => setImmediate(() => client._ending !== true && client.connection?.stream?.destroy()) : () => undefined;
      return failQuery(this, args, error, rules.wait(delay), after, () => query.apply(client, args));
    }

    function chaosConnect(this: PgClient, callback?: Callback): unknown {
      const { delay, kind } = rules.decide('connect', CONNECT_KINDS);
      if (kind !== 'down') {
        if (delay === 0) return connect.call(this, callback);
        const self = this;
        const later = rules.wait(delay).then(() => connect.call(self, callback));
        return callback !== undefined ? undefined : later;
      }
      // A refused connection, made for real against a closed loopback port, so the client ends in the
      // state a refused connect leaves; the error then names the configured host and port.
      const client = this;
      const { host, port } = client;
      const refuse = (done: Callback): void => {
        rules
          .wait(delay)
          .then(async (inTime) => {
            // A test that ended before the fault's delay takes its fault with it: connect as usual.
            if (!inTime) return void connect.call(client, done);
            const closed = await closedPort();
            client.host = '127.0.0.1';
            client.port = closed;
            try {
              connect.call(client, (error: unknown) => {
                if (error instanceof Object && (error as { port?: unknown }).port === closed) {
                  const expected = connectionRefused(host, port) as Error & Record<string, unknown>;
                  Object.assign(error, { message: expected.message, address: expected.address, port: expected.port });
                }
                done(error);
              });
            } finally {
              client.host = host;
              client.port = port;
            }
          })
          .catch((error: unknown) => done(error));
      };
      if (callback !== undefined) {
        refuse(callback);
        return undefined;
      }
      const PromiseImpl = client._Promise ?? Promise;
      return new PromiseImpl((resolve, reject) => refuse((error) => (error ? reject(error) : resolve(client))));
    }

    rules.test.disposers.add(patchProperty(proto, 'query', chaosQuery, 'pg Client.prototype.query', rules.test));
    rules.test.disposers.add(patchProperty(proto, 'connect', chaosConnect, 'pg Client.prototype.connect', rules.test));
  },
};
