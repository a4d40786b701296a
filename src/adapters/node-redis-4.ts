/**
 * node-redis 4 (`redis` 4, `@redis/client` 1): faults `RedisCommandsQueue.prototype.addCommand` of `@redis/client`, the one
 * place every command passes (`client.get`, `sendCommand`, pipelines), and `RedisClient.prototype.multiExecutor`
 * for `multi().exec()`, faulted as one call.
 *
 * `lost` and `down` also change the client as the real failures do. The queue does not know its client, so:
 * - `lost` makes the server close the connection: `QUIT` goes out ahead of a stand-in `PING` (Redis runs
 *   nothing after `QUIT`), and node-redis then takes its own path for a socket closed under it (`'error'`
 *   with SocketClosedUnexpectedlyError, the in-flight call rejected with it, then closed or reconnecting as
 *   its reconnect strategy says).
 * - `down` needs the client's socket wrapper (`RedisSocket`): right after queueing, the client's `#tick`
 *   corks that socket, and the fault is applied there. The socket leads to its client through the `'end'`
 *   event it forwards (swallowed here), which gives the client's own host and port for the error.
 */
import { headerOnly } from '../errors/stack';
import { originalOf, patchProperty } from '../runtime/patches';
import { connectionRefused, type DriverRules, type FailKind } from './faults';
import { urlAddress, type NodeRedisLayout, type RedisClientLike } from './node-redis-layout';

/** The part of `RedisSocket` (the client's socket wrapper, an EventEmitter) used here. */
interface RedisSocketLike {
  readonly isOpen: boolean;
  emit(event: string, ...args: unknown[]): boolean;
}

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
type Method = (this: unknown, ...args: unknown[]) => unknown;

/** A `down` or delayed `lost` fault waiting for the socket its queue writes to. */
interface PendingFault {
  readonly kind: 'down' | 'lost';
  readonly queue: unknown;
  readonly client: RedisClientLike | undefined;
  readonly delay: number;
  readonly reject: (error: unknown) => void;
}

/** Patches node-redis 4 as found in `layout` for one test's rules. */
export function installNodeRedis4(rules: DriverRules, layout: NodeRedisLayout): void {
  const { errors, queueProto, clientProto, socketProto } = layout;
  const addCommand = originalOf(queueProto.addCommand) as (this: unknown, args: unknown[], options?: { chainId?: symbol; asap?: boolean }) => Promise<unknown>;
  const multiExecutor = originalOf(clientProto.multiExecutor) as (this: RedisClientLike, ...args: unknown[]) => Promise<unknown[]>;
  const emit = originalOf(clientProto.emit) as Emit;
  const cork = originalOf(socketProto.cork) as Method;
  const disconnect = originalOf(socketProto.disconnect) as Method;

  /**
   * The error node-redis reports for each kind (without a client, at the default address), with no frame:
   * node-redis meets each of them in the event loop (the socket's events, its reply decoder, an abort
   * signal), where none of the user's code is on the stack.
   */
  const failure = (kind: FailKind, client: RedisClientLike | undefined): Error => headerOnly(failureOf(kind, client));
  const failureOf = (kind: FailKind, client: RedisClientLike | undefined): Error => {
    switch (kind) {
      case 'down': {
        const fromUrl = urlAddress(client?.options?.url);
        const socket = client?.options?.socket ?? {};
        return connectionRefused(socket.host ?? fromUrl.host ?? '127.0.0.1', socket.port ?? fromUrl.port ?? 6379);
      }
      case 'lost':
        return new errors.SocketClosedUnexpectedlyError();
      case 'timeout':
        return new errors.AbortError();
      case 'error':
        return new errors.ErrorReply('ERR syntax error');
    }
  };

  /** Set while a multi().exec() is faulted through the command path: the kind it takes, and its client. */
  let forced: { kind: 'down' | 'lost'; client: RedisClientLike } | undefined;
  let pending: PendingFault[] = [];
  /** Set while the client's `'end'` is swallowed: receives the client that forwarded it. */
  let swallowEnd: { client?: RedisClientLike } | undefined;

  /** The client a socket belongs to: its `'end'` listener is the client's, which re-emits it on the client. */
  const clientOf = (socket: RedisSocketLike): RedisClientLike | undefined => {
    const found: { client?: RedisClientLike } = {};
    swallowEnd = found;
    try {
      socket.emit('end');
    } finally {
      swallowEnd = undefined;
    }
    return found.client;
  };

  /**
   * What a refused connection does to the client. With reconnects off, node-redis marks the socket closed,
   * emits the error and rejects every queued command with it; with reconnects on, it emits the error and
   * keeps trying (a real client then holds its calls until the server is back; this one stays connected).
   */
  const goDown = (socket: RedisSocketLike, entry: PendingFault): void => {
    const client = entry.client ?? clientOf(socket);
    const error = failure('down', client);
    try {
      if (client?.options?.socket?.reconnectStrategy === false && socket.isOpen) {
        swallowEnd = {};
        try {
          disconnect.call(socket);
        } finally {
          swallowEnd = undefined;
        }
        socket.emit('error', error);
      } else if (client !== undefined) {
        emit.call(client, 'error', error);
      }
    } catch (thrown) {
      // An 'error' nobody listens to: node-redis would throw it from a socket event, outside the call.
      process.nextTick(() => {
        throw thrown;
      });
    } finally {
      entry.reject(error);
    }
  };

  function chaosCork(this: RedisSocketLike, ...args: unknown[]): unknown {
    const entries = pending;
    pending = [];
    for (const entry of entries) {
      const apply = entry.kind === 'down' ? () => goDown(this, entry) : () => loseLater(this, entry);
      if (entry.delay === 0) apply();
      // A fault whose delay outlasts its test never fires: the call stays pending.
      else void rules.wait(entry.delay).then((due) => due && apply());
    }
    return cork.apply(this, args);
  }

  function chaosEmit(this: RedisClientLike, event: string | symbol, ...args: unknown[]): boolean {
    if (swallowEnd !== undefined && event === 'end') {
      swallowEnd.client = this;
      return true;
    }
    return emit.call(this, event, ...args);
  }

  /** A fault no socket was reached for (the client was not ready, or waited on drain): the error alone. */
  const missed = (entry: PendingFault): void => {
    void rules.wait(entry.delay).then((due) => due && entry.reject(failure(entry.kind, entry.client)));
  };

  const flushMissed = (): void => {
    for (const entry of pending) missed(entry);
    pending = [];
  };

  /**
   * Holds the fault until the client corks its socket, right after queueing, in this same turn.
   * Any fault still held when the next command is queued, or at the end of the turn, missed its socket.
   */
  const throughSocket = (kind: 'down' | 'lost', queue: unknown, client: RedisClientLike | undefined, delay: number): Promise<never> =>
    new Promise<never>((_resolve, reject) => {
      const entry: PendingFault = { kind, queue, client, delay, reject };
      pending = [entry];
      queueMicrotask(() => {
        if (!pending.includes(entry)) return;
        pending = pending.filter((other) => other !== entry);
        missed(entry);
      });
    });

  /** Makes the server close this queue's connection; the stand-in PING settles as the lost call would. */
  const loseConnection = (queue: unknown): Promise<never> => {
    addCommand.call(queue, ['QUIT']).catch(() => undefined);
    return addCommand.call(queue, ['PING']).then(() => Promise.reject(failure('lost', undefined)));
  };

  /** `lost` after a delay: queues the QUIT then, and has the client write it (its `'drain'` listener does). */
  const loseLater = (socket: RedisSocketLike, entry: PendingFault): void => {
    if (!socket.isOpen) {
      entry.reject(failure('lost', entry.client));
      return;
    }
    loseConnection(entry.queue).catch(entry.reject);
    socket.emit('drain');
  };

  function chaosAddCommand(this: unknown, args: unknown[], options?: { chainId?: symbol; asap?: boolean }): Promise<unknown> {
    if (pending.length > 0) flushMissed();
    // Commands of a MULTI are faulted together, at multiExecutor; the connection's own handshake (`asap`) never.
    if (options?.chainId !== undefined || options?.asap === true) return addCommand.call(this, args, options);
    if (forced !== undefined) return forced.kind === 'down' ? throughSocket('down', this, forced.client, 0) : loseConnection(this);
    const { delay, kind } = rules.decide(String(args[0] ?? 'command').toUpperCase());
    if (kind === undefined && delay === 0) return addCommand.call(this, args, options);
    // A slow server: the command goes out now (the client writes it right after queueing) and its reply arrives late.
    if (kind === undefined) return addCommand.call(this, args, options).then((reply) => rules.wait(delay).then((due) => (due ? reply : new Promise<never>(() => undefined))));
    // Queued now, the QUIT goes out with this turn's write; after a delay, the socket is asked to write it.
    if (kind === 'lost' && delay === 0) return loseConnection(this);
    if (kind === 'down' || kind === 'lost') return throughSocket(kind, this, undefined, delay);
    return rules.wait(delay).then((due) => (due ? Promise.reject(failure(kind, undefined)) : new Promise<never>(() => undefined)));
  }

  /** Sends one stand-in command through the client's own path, faulted as `kind` (the queue applies it). */
  const throughCommandPath = (client: RedisClientLike, kind: 'down' | 'lost'): Promise<unknown> => {
    forced = { kind, client };
    try {
      return client.sendCommand(['PING']);
    } finally {
      forced = undefined;
    }
  };

  function chaosMultiExecutor(this: RedisClientLike, ...args: unknown[]): Promise<unknown[]> {
    const { delay, kind } = rules.decide('MULTI');
    if (kind === undefined && delay === 0) return multiExecutor.apply(this, args);
    const client = this;
    return rules.wait(delay).then(async (due) => {
      // A fault whose delay outlasts its test never fires: the call stays pending.
      if (!due) return new Promise<never>(() => undefined);
      if (kind === undefined) return multiExecutor.apply(client, args);
      // The stand-in call rejects with the error the client went through; it never resolves with a reply.
      if (kind === 'down') return throughCommandPath(client, kind).then(() => Promise.reject(failure(kind, client)));
      // Lost after EXEC reached the server: the transaction ran, its reply never arrives.
      if (kind === 'lost') return multiExecutor.apply(client, args).then(() => throughCommandPath(client, kind)).then(() => Promise.reject(failure(kind, client)));
      if (kind !== 'error') throw failure(kind, client);
      // The first command is answered with the server's error: multi().exec() then rejects with
      // MultiErrorReply, built by node-redis itself from the replies.
      const replies = await multiExecutor.apply(client, args);
      return [failure('error', client), ...replies.slice(1)];
    });
  }

  rules.test.disposers.add(patchProperty(queueProto, 'addCommand', chaosAddCommand, 'redis RedisCommandsQueue.prototype.addCommand', rules.test));
  rules.test.disposers.add(patchProperty(clientProto, 'multiExecutor', chaosMultiExecutor, 'redis RedisClient.prototype.multiExecutor', rules.test));
  rules.test.disposers.add(patchProperty(clientProto, 'emit', chaosEmit, 'redis RedisClient.prototype.emit', rules.test));
  rules.test.disposers.add(patchProperty(socketProto, 'cork', chaosCork, 'redis RedisSocket.prototype.cork', rules.test));
}
