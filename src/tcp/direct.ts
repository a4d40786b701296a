import net from 'node:net';
import { connectionReset } from '../http/errors';
import type { TestChaos } from '../runtime/test-chaos';
import { FaultedConnection, type PlannedFault } from './connection';
import type { RealConnect } from './hold';
import { Link, type Stage } from './link';

type Callback = (error?: Error | null) => void;

/** A chunk as Writable hands it to `_writev`. */
interface WriteEntry {
  readonly chunk: Buffer | string;
  readonly encoding: BufferEncoding;
}

/** The parts of Node's `net.Socket` that a direct connection takes over while its toxics act. */
interface SocketInternals {
  _writeGeneric(writev: boolean, data: Buffer | string | WriteEntry[], encoding: BufferEncoding | 'buffer', cb: Callback): void;
  _final(cb: Callback): void;
  _read(size: number): void;
  _unrefTimer(): void;
  push(chunk: Buffer | null): boolean;
  _pendingData: unknown;
  _pendingEncoding: string;
  resetAndClosing: boolean;
  _handle: object | null;
}

type Internal = net.Socket & SocketInternals;

const proto = net.Socket.prototype as unknown as SocketInternals;
const { _writeGeneric: writeGeneric, _final: final, _read: read, _unrefTimer: unrefTimer, push } = proto;

/** Node's key for refreshing a socket's idle timer when the kernel reads (the prototype's `_unrefTimer` itself). */
const updateTimer = Object.getOwnPropertySymbols(net.Socket.prototype).find((symbol) => symbol.description === 'kUpdateTimer');

function bytesOf(data: Buffer | string | WriteEntry[], encoding: BufferEncoding | 'buffer'): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data.map((entry) => bytesOf(entry.chunk, entry.encoding)));
  return typeof data === 'string' ? Buffer.from(data, encoding === 'buffer' ? 'utf8' : encoding) : data;
}

/** A method set on the client's socket while the toxics hold it. */
function method(value: (...args: never[]) => unknown): PropertyDescriptor {
  return { configurable: true, writable: true, value };
}

/** Whether the socket reads into a buffer of its own (`onread`), which bypasses `push`. */
function readsIntoOwnBuffer(socket: net.Socket): boolean {
  const record = socket as unknown as Record<symbol, unknown>;
  return Object.getOwnPropertySymbols(socket).some((symbol) => symbol.description === 'kBuffer' && record[symbol] != null);
}

/** The sockets that a direct connection's toxics hold now (from its connect until it gives the socket back). */
const held = new WeakSet<object>();

/** Whether a direct connection's toxics hold this socket now. */
export function isHeld(socket: unknown): boolean {
  return typeof socket === 'object' && socket !== null && held.has(socket);
}

/** Whether the toxics can act on the client's own socket: a plain TCP socket that reads through `push`. */
export function actsDirectly(socket: net.Socket): boolean {
  return !('encrypted' in socket) && !readsIntoOwnBuffer(socket);
}

/**
 * A plain (not TLS) connection that tcp rules fault, on the client's own socket: the client connects to the
 * server itself, and once it is connected the toxics take over the socket's two ends inside Node's stream:
 * what the client writes goes through the upstream toxics before it reaches the kernel (`_writeGeneric`,
 * `_final`), and what the kernel reads goes through the downstream toxics before the client sees it (`push`).
 * Nothing else changes: the socket keeps its handle, its address, its events. The client's writes complete
 * when the toxics take them, as they would when a proxy's kernel takes them; `bytesWritten` and `bytesRead`
 * count what the client wrote and what it was given. When the test ends the toxics go, held bytes flow
 * at once, and the socket gets Node's own methods back.
 */
export class DirectConnection extends FaultedConnection {
  private up: Link | undefined;
  private down: Link | undefined;
  private saved: Map<string | symbol, PropertyDescriptor | undefined> | undefined;
  private handle: object | undefined;
  /** Bytes the client wrote that the upstream toxics hold or dropped; bytes read that the client was not given. */
  private heldUp = 0;
  private heldDown = 0;
  private finalCallback: Callback | undefined;
  private heldWrite: Callback | undefined;
  private wantRead: (() => void) | undefined;
  private ended = false;
  private endSent = false;

  constructor(
    private readonly client: net.Socket,
    faults: readonly PlannedFault[],
    test: TestChaos,
    name: string,
  ) {
    super(faults, test, name);
  }

  /** Connects the client's socket itself (`connect` is Node's own) and takes it over once it is connected. */
  start(connect: RealConnect, args: unknown[]): void {
    const socket = this.client as Internal;
    socket.prependOnceListener('connect', () => this.takeOver());
    connect.apply(socket, args);
    // Node code that would read and write the kernel handle below the socket's own methods (an http2 session,
    // TLS) asks whether it is a native stream; told no, it wraps the socket as a JavaScript stream instead.
    // It asks as soon as it gets the socket, which may be before the socket is connected.
    this.handle = socket._handle ?? undefined;
    if (this.handle === undefined) return;
    Object.defineProperty(this.handle, 'isStreamBase', { configurable: true, value: false });
    held.add(socket);
    socket.once('close', () => {
      if (this.saved === undefined) this.giveBack();
    });
  }

  private takeOver(): void {
    if (this.test === undefined) return this.giveBack();
    const socket = this.client as Internal;
    const upStages = this.stages('upstream');
    const downStages = this.stages('downstream');
    // A direction no toxic acts on keeps Node's own path (only a close by a toxic of the other direction shows).
    const properties: PropertyDescriptorMap = {
      ...(upStages.length > 0 ? this.heldWrites(upStages) : this.openWrites()),
      ...(downStages.length > 0 ? this.heldReads(downStages) : this.openReads()),
    };
    const saved = new Map<string | symbol, PropertyDescriptor | undefined>();
    for (const key of Reflect.ownKeys(properties)) saved.set(key, Object.getOwnPropertyDescriptor(socket, key));
    this.saved = saved;
    Object.defineProperties(socket, properties);
    socket.once('close', () => {
      const want = this.wantRead;
      this.wantRead = undefined;
      want?.();
    });
  }

  /** What the client writes goes through the upstream toxics before it reaches the kernel. */
  private heldWrites(stages: Stage[]): PropertyDescriptorMap {
    const socket = this.client as Internal;
    const up = new Link({ write: (data) => this.send(data), end: () => this.sendEnd() }, stages, this);
    up.source = { pause: () => undefined, resume: () => this.releaseWrite() };
    this.up = up;
    const connection = this;
    return {
      _writeGeneric: method(function (this: Internal, writev: boolean, data: Buffer | string | WriteEntry[], encoding: BufferEncoding | 'buffer', cb: Callback): void {
        // Still connecting (a write queued before `connect`): Node holds it and calls back here once connected.
        if (this.connecting) return writeGeneric.call(this, writev, data, encoding, cb);
        connection.take(bytesOf(data, encoding), cb);
      }),
      _final: method(function (this: Internal, cb: Callback): void {
        if (this.pending) return final.call(this, cb);
        // Closed by a toxic, which has sent the close already.
        if (connection.closed) return cb();
        connection.finalCallback = cb;
        up.acceptEnd();
      }),
      // Node refreshes the socket's idle timer when it writes to the kernel; the toxics refresh it when the
      // client writes, as with a proxy between them.
      _unrefTimer: method(() => undefined),
      bytesWritten: {
        configurable: true,
        get: () => {
          const written = Reflect.get(net.Socket.prototype, 'bytesWritten', socket) as number | undefined;
          return written === undefined ? undefined : written + this.heldUp;
        },
      },
    };
  }

  /** No upstream toxic: writes go to the kernel as Node writes them, until a toxic closes the connection. */
  private openWrites(): PropertyDescriptorMap {
    const connection = this;
    return {
      _writeGeneric: method(function (this: Internal, writev: boolean, data: Buffer | string | WriteEntry[], encoding: BufferEncoding | 'buffer', cb: Callback): void {
        if (connection.closed && !this.connecting) return cb();
        writeGeneric.call(this, writev, data, encoding, cb);
      }),
      _final: method(function (this: Internal, cb: Callback): void {
        if (this.pending) return final.call(this, cb);
        if (connection.closed || connection.endSent) return cb();
        connection.endSent = true;
        final.call(this, cb);
      }),
    };
  }

  /** What the kernel reads goes through the downstream toxics before the client is given it. */
  private heldReads(stages: Stage[]): PropertyDescriptorMap {
    const socket = this.client as Internal;
    const down = new Link({ write: (data) => this.deliver(data), end: () => this.deliverEnd() }, stages, this);
    down.source = {
      pause: () => undefined,
      resume: () => {
        if (!socket.destroyed) read.call(socket, 0);
      },
    };
    this.down = down;
    const connection = this;
    const properties: PropertyDescriptorMap = {
      push: method(function (chunk: Buffer | null): boolean {
        if (chunk === null) {
          down.acceptEnd();
          return false;
        }
        if (connection.closed) return true;
        connection.heldDown += chunk.length;
        return down.accept(chunk);
      }),
      _read: method(function (this: Internal, size: number): void {
        const want = connection.wantRead;
        connection.wantRead = undefined;
        want?.();
        read.call(this, size);
      }),
      bytesRead: { configurable: true, get: () => (Reflect.get(net.Socket.prototype, 'bytesRead', socket) as number) - this.heldDown },
    };
    // Node refreshes the socket's idle timer when the kernel reads; the toxics refresh it when the client is
    // given the data.
    if (updateTimer !== undefined) properties[updateTimer] = method(() => undefined);
    return properties;
  }

  /** No downstream toxic: reads reach the client as Node gives them, until a toxic closes the connection. */
  private openReads(): PropertyDescriptorMap {
    const connection = this;
    return {
      push: method(function (this: Internal, chunk: Buffer | null): boolean {
        if (connection.ended) return chunk !== null;
        if (chunk === null) connection.ended = true;
        return push.call(this, chunk);
      }),
    };
  }

  /** The client wrote `data`: the toxics take it, and the write completes unless they hold too much. */
  private take(data: Buffer, cb: Callback): void {
    const socket = this.client as Internal;
    socket._pendingData = null;
    socket._pendingEncoding = '';
    unrefTimer.call(socket);
    if (this.closed) return cb();
    this.heldUp += data.length;
    if (this.up!.accept(data)) cb();
    else this.heldWrite = cb;
  }

  private releaseWrite(): void {
    const cb = this.heldWrite;
    this.heldWrite = undefined;
    cb?.();
  }

  /** What the upstream toxics pass on goes to the kernel. */
  private send(data: Buffer): Promise<void> | void {
    const socket = this.client as Internal;
    if (socket.destroyed) return;
    this.heldUp -= data.length;
    let written = false;
    let resolve: (() => void) | undefined;
    writeGeneric.call(socket, false, data, 'buffer', (error) => {
      if (error && !socket.destroyed) socket.destroy(error);
      written = true;
      resolve?.();
    });
    if (written) return;
    return new Promise((done) => {
      resolve = done;
    });
  }

  private sendEnd(): void {
    if (this.endSent) return;
    this.endSent = true;
    const cb = this.finalCallback ?? ((): void => undefined);
    this.finalCallback = undefined;
    if (!this.client.destroyed) final.call(this.client as Internal, cb);
  }

  /** What the downstream toxics pass on is given to the client. */
  private deliver(data: Buffer): Promise<void> | void {
    const socket = this.client as Internal;
    if (socket.destroyed || this.ended) return;
    this.heldDown -= data.length;
    unrefTimer.call(socket);
    if (push.call(socket, data)) return;
    return new Promise((resolve) => {
      this.wantRead = resolve;
    });
  }

  private deliverEnd(): void {
    const socket = this.client as Internal;
    if (socket.destroyed || this.ended) return;
    this.ended = true;
    push.call(socket, null);
    socket.read(0);
  }

  endTest(): void {
    this.test = undefined;
    if (this.saved === undefined) return;
    const links = [this.up, this.down].filter((link) => link !== undefined);
    for (const link of links) link.remove();
    let busy = links.length;
    const idle = (): void => {
      if (--busy > 0) return;
      // Closed by a toxic: the server's own close may still come, for a stream the client saw end.
      if (this.closed && !this.client.destroyed) this.client.once('close', () => this.giveBack());
      else this.giveBack();
    };
    if (busy === 0) return idle();
    for (const link of links) link.whenIdle(idle);
  }

  /** The socket gets Node's own methods back. */
  private giveBack(): void {
    held.delete(this.client);
    if (this.handle !== undefined) Reflect.deleteProperty(this.handle, 'isStreamBase');
    this.handle = undefined;
    const saved = this.saved;
    if (saved === undefined) return;
    this.saved = undefined;
    for (const [key, descriptor] of saved) {
      if (descriptor === undefined) Reflect.deleteProperty(this.client, key);
      else Object.defineProperty(this.client, key, descriptor);
    }
  }

  /** Closes the connection both ways (FIN): the client reads the end, the server gets the close. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.deliverEnd();
    this.releaseWrite();
    if (!this.client.destroyed && !this.client.writableFinished) this.sendEnd();
  }

  /** Resets the connection (RST): the client reads ECONNRESET, the server a reset. */
  reset(): void {
    if (this.closed) return;
    this.closed = true;
    const socket = this.client as Internal;
    if (socket.destroyed) return;
    socket.resetAndClosing = true;
    socket.destroy(connectionReset());
  }
}
