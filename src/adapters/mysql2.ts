/**
 * mysql2: faults `query` and `execute` of the base connection class, which the callback API, the promise
 * API (`mysql2/promise` wraps core connections) and both pools go through.
 */
import path from 'node:path';
import type { EventEmitter } from 'node:events';
import { headerOnly } from '../errors/stack';
import { originalOf, patchProperty } from '../runtime/patches';
import type { DriverAdapter } from './index';
import { connectionRefused, type DriverRules, type FailKind } from './faults';
import type { RealmLoader } from './loader';

interface Command extends EventEmitter {
  sql?: string;
  /** A Prepare command's statement. */
  query?: string;
  onResult?: (error: unknown) => void;
  /** mysql2's state machine: `start` sends the command, `next` takes the server's next packet. */
  start(packet: unknown, connection: MyConnection): unknown;
  next: unknown;
}

interface MyConnection {
  config: { host?: string; port?: number };
  stream: { destroy(): void };
  _command?: Command | null;
  _commands: { unshift(command: Command): void };
  _fatalError?: unknown | null;
  _handshakePacket?: { serverVersion?: string } | null;
  sequenceId: number;
  _handleFatalError(error: Error): void;
  addCommand(command: Command): Command;
  handlePacket(packet: unknown): void;
}

/**
 * The server's error packet for `error`, as mysql2's packet parser hands it over: mysql2 then fails the
 * command the way it fails it for a real one (its callback or `'error'`, then `'end'`, and the next command
 * of the connection starts).
 */
function errorPacket(connection: MyConnection, error: Error): object {
  const packet = {
    sequenceId: connection.sequenceId,
    numPackets: 1,
    buffer: Buffer.alloc(0),
    offset: 0,
    length: () => 0,
    type: () => 'Error',
    isError: () => true,
    asError: () => error,
    clone: () => packet,
  };
  return packet;
}

function serverName(connection: MyConnection): string {
  return /mariadb/i.test(connection._handshakePacket?.serverVersion ?? '') ? 'MariaDB' : 'MySQL';
}

/**
 * The error mysql2 reports for each kind (the connection-closing kinds are handled apart). mysql2 builds it
 * in the event loop (a timer, the packet parser), where none of the user's code is on the stack: no frame.
 * (`mysql2/promise` rejects with an error of its own, made where the user's call entered.)
 */
function commandError(connection: MyConnection, kind: 'timeout' | 'error', sql: string, RealmError: ErrorConstructor): Error {
  if (kind === 'timeout') {
    return headerOnly(Object.assign(new RealmError('Query inactivity timeout'), { errorno: 'PROTOCOL_SEQUENCE_TIMEOUT', code: 'PROTOCOL_SEQUENCE_TIMEOUT', syscall: 'query' }));
  }
  const message = `You have an error in your SQL syntax; check the manual that corresponds to your ${serverName(connection)} server version for the right syntax to use near '${sql.slice(0, 80)}' at line 1`;
  return headerOnly(Object.assign(new RealmError(message), { code: 'ER_PARSE_ERROR', errno: 1064, sqlState: '42000', sqlMessage: message, sql }));
}

/** Hands `error` to a command as mysql2 does: its callback, else an `'error'` event; then `'end'` (pools release on it). */
function deliver(command: Command, error: unknown): void {
  if (typeof command.onResult === 'function') command.onResult(error);
  else command.emit('error', error);
  command.emit('end');
}

export const mysql2Adapter: DriverAdapter = {
  driver: 'mysql2',
  domain: 'db',
  entries: ['index.js', 'promise.js'],
  install(rules: DriverRules, load: RealmLoader, dir: string): void {
    const mysql = load(path.join(dir, 'index.js')) as { Connection: { prototype: object } };
    const base = Object.getPrototypeOf(mysql.Connection.prototype) as Record<string, unknown>;

    /**
     * `error`: the command goes into mysql2's queue as without jest-chaos, and fails where mysql2 would send
     * it: after the handshake (the error names the server it met), in its turn, holding the connection until
     * the answer, which is the server's error. A connection that fails first fails the command as mysql2
     * does. A test that ends before the fault's delay sends the command after all.
     */
    const failInTurn = (connection: MyConnection, original: (this: MyConnection, ...args: unknown[]) => unknown, args: unknown[], delay: number): unknown => {
      const queue = (command: Command): Command => {
        Reflect.deleteProperty(connection, 'addCommand');
        const send = command.start;
        command.start = function faultedStart(this: Command, packet: unknown, current: MyConnection): unknown {
          Reflect.deleteProperty(this, 'start');
          // Started after its test ended (queued behind a slower command): the fault went with the test.
          if (rules.test.disposed) return send.call(this, packet, current);
          void rules.wait(delay).then((inTime) => {
            if (!inTime || rules.test.disposed) {
              this.next = send.call(this, packet, current);
              return;
            }
            current.handlePacket(errorPacket(current, commandError(current, 'error', this.sql ?? this.query ?? '', rules.Error)));
          });
          // Nothing went to the server: no packet comes until the error.
          return (): unknown => null;
        };
        return connection.addCommand(command);
      };
      Object.defineProperty(connection, 'addCommand', { configurable: true, writable: true, value: queue });
      try {
        return original.apply(connection, args);
      } finally {
        Reflect.deleteProperty(connection, 'addCommand');
      }
    };

    const wrap = (method: 'query' | 'execute'): Function => {
      const original = originalOf(base[method]) as (this: MyConnection, ...args: unknown[]) => unknown;
      return function chaosCall(this: MyConnection, ...args: unknown[]): unknown {
        // A connection already closed by a fatal error answers for itself ("Can't add new command ...").
        if ((this._fatalError !== undefined && this._fatalError !== null) || Object.prototype.hasOwnProperty.call(this, 'addCommand')) return original.apply(this, args);
        const { delay, kind } = rules.decide(method);
        if (kind === undefined && delay === 0) return original.apply(this, args);
        if (kind === 'lost') {
          // The command really goes out, then the socket closes under it: mysql2 itself reports
          // PROTOCOL_CONNECTION_LOST (fatal) to it and closes the connection; a pool drops it.
          const connection = this;
          const result = original.apply(this, args);
          // A test that ended first takes its fault with it: the connection stays.
          void rules.wait(delay).then((inTime) => inTime && connection.stream.destroy());
          return result;
        }
        if (kind === 'error') return failInTurn(this, original, args, delay);
        // Build the command(s) exactly as mysql2 does, but keep them from reaching the server.
        const captured: Command[] = [];
        Object.defineProperty(this, 'addCommand', { configurable: true, writable: true, value: (command: Command) => (captured.push(command), command) });
        let result: unknown;
        try {
          result = original.apply(this, args);
        } finally {
          delete (this as Partial<MyConnection>).addCommand;
        }
        const connection = this;
        void rules.wait(delay).then((inTime) => {
          // No fault, or a test that ended before the fault's delay: the commands go out as they were.
          if (kind === undefined || !inTime) {
            for (const command of captured) connection.addCommand(command);
            return;
          }
          const first = captured[0];
          if (first === undefined) return;
          if (kind === 'down') {
            // Refused: the error reaches the command the way a socket error does, and the connection is
            // closed for good (later calls: "Can't add new command when connection is in closed state").
            if (connection._command === null || connection._command === undefined) connection._command = first;
            else connection._commands.unshift(first);
            connection._handleFatalError(connectionRefused(connection.config.host, connection.config.port ?? 3306));
            connection.stream.destroy();
            return;
          }
          deliver(first, commandError(connection, kind as Exclude<FailKind, 'down' | 'lost'>, first.sql ?? first.query ?? '', rules.Error));
        });
        return result;
      };
    };

    rules.test.disposers.add(patchProperty(base, 'query', wrap('query'), 'mysql2 Connection.prototype.query', rules.test));
    rules.test.disposers.add(patchProperty(base, 'execute', wrap('execute'), 'mysql2 Connection.prototype.execute', rules.test));
  },
};
