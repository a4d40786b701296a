/**
 * node-redis 5 and 6 (`@redis/client` 5 and 6): faults `RedisClient.prototype.sendCommand`, which every
 * command of a client goes through (`client.get`, scripts, `sendCommand`; the connection's own handshake
 * does not), and `_executeMulti` and `_executePipeline`: a `multi().exec()` or an `execAsPipeline()` is one
 * call. Each of them knows its client (`this._self`), so the faults act on the client as the real failures do:
 * - `lost`: the server closes the connection. `QUIT` goes out ahead of a stand-in `PING` (Redis runs nothing
 *   after `QUIT`), and node-redis takes its own path for a socket closed under it (`'error'` with
 *   SocketClosedUnexpectedlyError, in-flight calls rejected with it, then closed or reconnecting as its
 *   reconnect strategy says). A transaction or pipeline runs first: the connection drops after it reached
 *   the server, before its reply came back.
 * - `down`: a refused connection. With reconnects off, the client's socket wrapper (reached through the
 *   client's `ref()`) is closed without its `'end'`, and the refused-connection error is emitted through it,
 *   so node-redis itself emits it on the client and rejects every queued call with it; with reconnects on,
 *   the client emits the error and stays connected.
 * - `timeout`: the command's own TimeoutError; `error`: the server's `ERR syntax error` reply (SimpleError).
 */
import { headerOnly } from '../errors/stack';
import { originalOf, patchProperty, replaceProperty } from '../runtime/patches';
import { connectionRefused, type DriverRules, type FailKind } from './faults';
import { urlAddress, type NodeRedisLayout, type RedisClientLike } from './node-redis-layout';

/** A node-redis 5/6 client, or one of the proxies its `withCommandOptions()` and friends return. */
interface RedisClient5 extends RedisClientLike {
  readonly _self: RedisClient5;
  readonly isOpen: boolean;
  ref(): void;
  emit(event: string, ...args: unknown[]): boolean;
}

/** The part of `RedisSocket` (the client's socket wrapper, an EventEmitter) used here. */
interface RedisSocket5 {
  readonly isOpen: boolean;
  destroy(): void;
  emit(event: string, ...args: unknown[]): boolean;
  listenerCount(event: string): number;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;
type SendCommand = (this: RedisClient5, args: unknown[], options?: { asap?: boolean; chainId?: symbol }) => Promise<unknown>;
type Batch = (this: RedisClient5, ...args: unknown[]) => Promise<unknown[]>;

const never = (): Promise<never> => new Promise<never>(() => undefined);

/** Patches node-redis 5 or 6 as found in `layout` for one test's rules. */
export function installNodeRedis5(rules: DriverRules, layout: NodeRedisLayout): void {
  const { errors, clientProto, socketProto } = layout;
  const ReplyError = errors.SimpleError ?? errors.ErrorReply;
  const TimeoutError = errors.TimeoutError ?? errors.AbortError;
  const sendCommand = originalOf(clientProto['sendCommand']) as SendCommand;
  const executeMulti = originalOf(clientProto['_executeMulti']) as Batch;
  const executePipeline = originalOf(clientProto['_executePipeline']) as Batch;
  const ref = originalOf(socketProto['ref']) as Method;

  /**
   * The error node-redis reports for each kind, with no frame: node-redis meets each of them in the event
   * loop (the socket's events, its reply decoder, a timer), where none of the user's code is on the stack.
   */
  const failure = (kind: FailKind, client: RedisClient5): Error => headerOnly(failureOf(kind, client));
  const failureOf = (kind: FailKind, client: RedisClient5): Error => {
    switch (kind) {
      case 'down': {
        const fromUrl = urlAddress(client.options?.url);
        const socket = client.options?.socket ?? {};
        return connectionRefused(socket.host ?? fromUrl.host ?? '127.0.0.1', socket.port ?? fromUrl.port ?? 6379);
      }
      case 'lost':
        return new errors.SocketClosedUnexpectedlyError();
      case 'timeout':
        return new TimeoutError();
      case 'error':
        return new ReplyError('ERR syntax error');
    }
  };

  /** Set while a client's socket wrapper is asked for through `client.ref()`. */
  let capture: { socket?: RedisSocket5 } | undefined;

  function chaosRef(this: RedisSocket5, ...args: unknown[]): unknown {
    if (capture === undefined) return ref.apply(this, args);
    capture.socket = this;
    return undefined;
  }

  const socketOf = (client: RedisClient5): RedisSocket5 | undefined => {
    const found: { socket?: RedisSocket5 } = {};
    capture = found;
    try {
      client.ref();
    } finally {
      capture = undefined;
    }
    return found.socket;
  };

  /**
   * A refused connection: with reconnects off, the socket wrapper closes and reports the error as a failed
   * connect does (node-redis 6 first says `'terminated'`), and node-redis rejects every queued call with it;
   * otherwise the client emits the error and stays connected (the real one would keep reconnecting).
   */
  const goDown = (client: RedisClient5): Error => {
    const error = failure('down', client);
    const socket = socketOf(client);
    try {
      if (client.options?.socket?.reconnectStrategy === false && socket?.isOpen === true) {
        // Closed without its 'end', which is not what a refusal shows: the socket's own emit is shadowed
        // for the moment of the close only, so that no frame of jest-chaos sits under its other events.
        const emit = socket.emit;
        const restore = replaceProperty(socket, 'emit', (event: string, ...args: unknown[]) => event !== 'end' && emit.call(socket, event, ...args));
        try {
          socket.destroy();
        } finally {
          restore();
        }
        if (socket.listenerCount('terminated') > 0) socket.emit('terminated', error);
        socket.emit('error', error);
      } else {
        client.emit('error', error);
      }
    } catch (thrown) {
      // An 'error' nobody listens to: node-redis would throw it from a socket event, outside the call.
      process.nextTick(() => {
        throw thrown;
      });
    }
    return error;
  };

  /** Has the server close the connection; the stand-in PING settles as the lost call would (never resolves). */
  const loseConnection = (client: RedisClient5): Promise<never> => {
    if (!client.isOpen) return Promise.reject(failure('lost', client));
    sendCommand.call(client, ['QUIT']).catch(() => undefined);
    return sendCommand.call(client, ['PING']).then(() => Promise.reject(failure('lost', client)));
  };

  /** Applies a failing kind to `client` once the fault is due. */
  const fail = (kind: FailKind, client: RedisClient5): Promise<never> => {
    if (kind === 'lost') return loseConnection(client);
    return Promise.reject(kind === 'down' ? goDown(client) : failure(kind, client));
  };

  function chaosSendCommand(this: RedisClient5, args: unknown[], options?: { asap?: boolean; chainId?: symbol }): Promise<unknown> {
    // Commands chained into a MULTI or a pipeline are faulted with it; the connection's own (`asap`) never;
    // a closed client answers for itself (ClientClosedError), as it does before anything is queued.
    if (options?.chainId !== undefined || options?.asap === true || !this._self.isOpen) return sendCommand.call(this, args, options);
    const { delay, kind } = rules.decide(String(args[0] ?? 'command').toUpperCase());
    if (kind === undefined && delay === 0) return sendCommand.call(this, args, options);
    // A slow server: the command goes out now and its reply arrives late.
    if (kind === undefined) return sendCommand.call(this, args, options).then((reply) => rules.wait(delay).then((due) => (due ? reply : never())));
    const client = this._self;
    // A fault whose delay outlasts its test never fires: the call stays pending.
    return rules.wait(delay).then((due) => (due ? fail(kind, client) : never()));
  }

  /** A MULTI or a pipeline, faulted as one call named `name`. */
  const batch = (name: string, execute: Batch) =>
    function chaosBatch(this: RedisClient5, ...args: unknown[]): Promise<unknown[]> {
      if (!this._self.isOpen) return execute.apply(this, args);
      const { delay, kind } = rules.decide(name);
      if (kind === undefined && delay === 0) return execute.apply(this, args);
      const self = this;
      const client = this._self;
      return rules.wait(delay).then(async (due): Promise<unknown[]> => {
        if (!due) return never();
        if (kind === undefined) return execute.apply(self, args);
        if (kind === 'error') {
          // The server answers the first command with an error and runs the rest: exec() then rejects with
          // MultiErrorReply, built by node-redis itself from the replies.
          const replies = await execute.apply(self, args);
          return [failure('error', client), ...replies.slice(1)];
        }
        // Lost after the batch reached the server: it ran, its replies never come back.
        if (kind === 'lost') return execute.apply(self, args).then(() => loseConnection(client));
        return fail(kind, client);
      });
    };

  const patch = (target: Record<string, unknown>, key: string, value: unknown, label: string): void => {
    rules.test.disposers.add(patchProperty(target, key, value, label, rules.test));
  };
  patch(clientProto, 'sendCommand', chaosSendCommand, 'redis RedisClient.prototype.sendCommand');
  patch(clientProto, '_executeMulti', batch('MULTI', executeMulti), 'redis RedisClient.prototype._executeMulti');
  patch(clientProto, '_executePipeline', batch('PIPELINE', executePipeline), 'redis RedisClient.prototype._executePipeline');
  patch(socketProto, 'ref', chaosRef, 'redis RedisSocket.prototype.ref');
}
