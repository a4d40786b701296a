/**
 * ioredis 5 and 6: faults `Redis.prototype.sendCommand` (every command, script and `call()`) and
 * `Pipeline.prototype.exec`: a pipeline or a `multi()` is one call, whose fault ioredis then meets on each of
 * its commands as it sends them, so the pipeline's results and a transaction's outcome are ioredis's own.
 *
 * The two majors differ in where a server error's class lives: 6 parses replies itself
 * (`built/resp/errors.js`, `SimpleError`), 5 through redis-parser (`ReplyError`, re-exported by its index).
 * The adapter looks for what it patches in the installed build, never at the version number.
 */
import path from 'node:path';
import { headerOnly, withoutPassThroughFrames } from '../errors/stack';
import { originalOf, patchProperty } from '../runtime/patches';
import type { DriverAdapter } from './index';
import { connectionRefused, type DriverRules, type FailKind } from './faults';
import type { RealmLoader } from './loader';
import { hasFile, packageVersion, UnsupportedDriverError } from './unsupported';

export const IOREDIS_SUPPORTED = 'ioredis 5 and 6';

interface IoCommand {
  name: string;
  args: unknown[];
  promise: Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface IoRedis {
  status: string;
  options: { host?: string; port?: number; retryStrategy?: ((times: number) => unknown) | null; maxRetriesPerRequest?: number | null };
  stream?: { destroy(): void };
  disconnect(): void;
  silentEmit(event: string, ...args: unknown[]): unknown;
}

interface IoPipeline {
  redis: IoRedis;
  _queue: IoCommand[];
  _transactions: number;
  nodeifiedPromise?: boolean;
  promise: Promise<unknown>;
}

type ErrorClass = new (message: string) => Error;
type Proto = Record<string, unknown>;

/** What the adapter patches and builds its errors from, as found in one installed ioredis. */
interface IoLayout {
  readonly redisProto: Proto;
  readonly pipelineProto: Proto;
  /** The class of a server's error reply (`-ERR ...`). */
  readonly ReplyError: ErrorClass;
  readonly MaxRetriesPerRequestError: new (limit: number) => Error;
}

function isClass(value: unknown): value is new (...args: never[]) => Error {
  return typeof value === 'function' && typeof (value as { prototype?: unknown }).prototype === 'object';
}

/** Finds, in the ioredis installed in `dir`, what the adapter needs; an UnsupportedDriverError names what is missing. */
function loadLayout(load: RealmLoader, dir: string): IoLayout {
  const missing = (why: string): UnsupportedDriverError => new UnsupportedDriverError('ioredis', packageVersion(dir), dir, why, IOREDIS_SUPPORTED);
  const built = path.join(dir, 'built');
  if (!hasFile(path.join(built, 'index.js'))) throw missing('it has no built/index.js');
  const index = load(path.join(built, 'index.js')) as { Redis?: { prototype?: Proto }; Pipeline?: { prototype?: Proto }; ReplyError?: unknown };
  const redisProto = index.Redis?.prototype;
  if (typeof redisProto?.['sendCommand'] !== 'function' || typeof redisProto['silentEmit'] !== 'function') throw missing('its Redis class has no sendCommand() and silentEmit()');
  const pipelineProto = index.Pipeline?.prototype;
  if (typeof pipelineProto?.['exec'] !== 'function') throw missing('it exports no Pipeline class with exec()');
  const errorsFile = path.join(built, 'errors', 'index.js');
  const { MaxRetriesPerRequestError } = (hasFile(errorsFile) ? load(errorsFile) : {}) as { MaxRetriesPerRequestError?: unknown };
  if (!isClass(MaxRetriesPerRequestError)) throw missing('it has no MaxRetriesPerRequestError in built/errors');
  // 6: its own RESP parser's SimpleError; 5: redis-parser's ReplyError.
  const respErrors = path.join(built, 'resp', 'errors.js');
  const ReplyError = hasFile(respErrors) ? (load(respErrors) as { SimpleError?: unknown }).SimpleError : index.ReplyError;
  if (!isClass(ReplyError)) throw missing('it exports no class for server error replies (ReplyError)');
  return { redisProto, pipelineProto, ReplyError: ReplyError as unknown as ErrorClass, MaxRetriesPerRequestError: MaxRetriesPerRequestError as unknown as new (limit: number) => Error };
}

/** Refused: the client ends (`'closed'`), fails each command with an error, or never settles them. */
type Refusal = Error | 'closed' | 'never';

/** How one command of a faulted call is sent, or not: `stream` is its pipeline's, if it has one. */
type SendFaulted = (client: IoRedis, command: IoCommand, stream: unknown) => Promise<unknown>;

export const ioredisAdapter: DriverAdapter = {
  driver: 'ioredis',
  domain: 'cache',
  entries: ['built/index.js'],
  install(rules: DriverRules, load: RealmLoader, dir: string): void {
    const { redisProto, pipelineProto, ReplyError, MaxRetriesPerRequestError } = loadLayout(load, dir);
    const sendCommand = originalOf(redisProto['sendCommand']) as (this: IoRedis, command: IoCommand, stream?: unknown) => Promise<unknown>;
    const exec = originalOf(pipelineProto['exec']) as (this: IoPipeline, ...args: unknown[]) => Promise<unknown>;

    /** Without retries (`retryStrategy` gives no delay), a refused client ends; otherwise it keeps retrying. */
    const retries = (client: IoRedis): boolean => {
      const strategy = client.options.retryStrategy;
      return typeof strategy !== 'function' || typeof strategy(1) === 'number';
    };

    /**
     * The server refuses connections: the client reports the socket error on `'error'`; without retries it
     * ends (commands then fail with "Connection is closed."), with retries each command fails with
     * MaxRetriesPerRequestError once its retries are used up (it never settles when the limit is null).
     */
    const refuse = (client: IoRedis): Refusal => {
      client.silentEmit('error', connectionRefused(client.options.host, client.options.port ?? 6379));
      if (!retries(client)) {
        client.disconnect();
        return 'closed';
      }
      const limit = client.options.maxRetriesPerRequest;
      return limit === null || limit === undefined ? 'never' : headerOnly(new MaxRetriesPerRequestError(limit));
    };

    /** The server's answer to a command it cannot run; DataHandler adds `command` to a reply error. */
    const serverError = (command: IoCommand | undefined): Error => {
      const error = headerOnly(new ReplyError('ERR syntax error'));
      return command === undefined ? error : Object.assign(error, { command: { name: command.name.toUpperCase(), args: command.args } });
    };

    /**
     * Sends a command through ioredis itself from inside a patch: an error that ioredis builds at once
     * ("Connection is closed." once the client has ended) then carries ioredis's frames and the user's, not
     * jest-chaos's, as without the patch.
     */
    const passOn = (client: IoRedis, command: IoCommand, stream?: unknown): Promise<unknown> => {
      const reject = command.reject;
      command.reject = (error) => reject(withoutPassThroughFrames(error));
      return sendCommand.call(client, command, stream);
    };

    /**
     * `down`, `timeout` or `error` on one command, as ioredis reports each; nothing reaches the server. The
     * errors carry no frame: ioredis builds them in the event loop (its timer, its reply parser, its socket's
     * close handler), where none of the user's code is on the stack.
     */
    const failure = (kind: Exclude<FailKind, 'lost'>, refusal: () => Refusal): SendFaulted => {
      if (kind === 'timeout') return (_client, command) => (command.reject(headerOnly(new rules.Error('Command timed out'))), command.promise);
      if (kind === 'error') return (_client, command) => (command.reject(serverError(command)), command.promise);
      let refused: Refusal | undefined;
      return (client, command, stream) => {
        refused ??= refusal();
        if (refused === 'closed') return passOn(client, command, stream);
        if (refused !== 'never') command.reject(refused);
        return command.promise;
      };
    };

    /** Set while a faulted pipeline's exec runs: how each of its commands is sent. */
    let forced: SendFaulted | undefined;

    function chaosSendCommand(this: IoRedis, command: IoCommand, stream?: unknown): Promise<unknown> {
      if (stream !== undefined && forced !== undefined) return forced(this, command, stream);
      // Pipelined commands are faulted with their pipeline; the handshake (status `connect`) is never faulted.
      if (stream !== undefined || this.status === 'connect') return sendCommand.call(this, command, stream);
      // A client that has ended answers for itself ("Connection is closed.", at once, from the user's call).
      if (this.status === 'end') return passOn(this, command);
      const { delay, kind } = rules.decide(command.name);
      // A ready client writes the command to its stream: no error is made on this stack.
      if (kind === undefined && delay === 0) return this.status === 'ready' ? sendCommand.call(this, command) : passOn(this, command);
      const client = this;
      void rules.wait(delay).then((due) => {
        // A fault whose delay outlasts its test never fires: the call stays pending.
        if (!due) return;
        if (kind === undefined) return void passOn(client, command);
        if (kind === 'lost') {
          // The command goes out and the socket closes under it: ioredis's own close handling decides
          // (fails it, retries it, or resends it after reconnecting, by the client's options).
          void sendCommand.call(client, command).catch(() => undefined);
          return void client.stream?.destroy();
        }
        void failure(kind, () => refuse(client))(client, command, undefined);
      });
      return command.promise;
    }

    /** Runs the pipeline's exec with each command it sends going through `send`. */
    const execWith = (pipeline: IoPipeline, args: unknown[], send: SendFaulted): Promise<unknown> => {
      forced = send;
      try {
        return exec.apply(pipeline, args);
      } finally {
        forced = undefined;
      }
    };

    /**
     * `error` on a pipeline: the server answers its first command with an error and runs the rest. In a
     * `multi()`, the error is the first entry of EXEC's reply (the transaction ran; ioredis then resolves
     * `[[error], [null, ...], ...]`, the error without `command`, as for a real one).
     */
    const answerFirstWithError = (pipeline: IoPipeline): SendFaulted => {
      const queue = pipeline._queue;
      const transaction = queue[0]?.name === 'multi' && queue[queue.length - 1]?.name === 'exec';
      const target = transaction ? queue[queue.length - 1] : queue[0];
      return (client, command, stream) => {
        if (command === target) {
          const resolve = command.resolve;
          command.resolve = transaction
            ? (replies: unknown) => resolve(Array.isArray(replies) && replies.length > 0 ? [serverError(undefined), ...replies.slice(1)] : replies)
            : () => command.reject(serverError(command));
        }
        return sendCommand.call(client, command, stream);
      };
    };

    function chaosExec(this: IoPipeline, ...args: unknown[]): Promise<unknown> {
      // multi() calls exec twice on its pipeline: first to queue EXEC (while `_transactions` is positive),
      // then to send the batch; and again on retries, once `nodeifiedPromise` is set. Only the send is a call.
      if (this._transactions > 0 || this.nodeifiedPromise === true) return exec.apply(this, args);
      const { delay, kind } = rules.decide(this._queue.map((command) => command.name).join(' ') || 'exec');
      if (kind === undefined && delay === 0) return exec.apply(this, args);
      const pipeline = this;
      const client = this.redis;
      const run = (): Promise<unknown> => {
        switch (kind) {
          case undefined:
            return exec.apply(pipeline, args);
          case 'lost': {
            // The batch goes out and the socket closes under it; ioredis decides what the caller sees.
            const result = exec.apply(pipeline, args);
            client.stream?.destroy();
            return result;
          }
          case 'error':
            return execWith(pipeline, args, answerFirstWithError(pipeline));
          default:
            return execWith(pipeline, args, failure(kind, () => refuse(client)));
        }
      };
      if (delay === 0) return run();
      // ioredis's exec returns the pipeline's own promise; it settles once the delayed exec has run.
      void rules.wait(delay).then((due) => due && run());
      return pipeline.promise;
    }

    rules.test.disposers.add(patchProperty(redisProto, 'sendCommand', chaosSendCommand, 'ioredis Redis.prototype.sendCommand', rules.test));
    rules.test.disposers.add(patchProperty(pipelineProto, 'exec', chaosExec, 'ioredis Pipeline.prototype.exec', rules.test));
  },
};
