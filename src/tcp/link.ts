import type net from 'node:net';

/**
 * One toxic on one direction of a connection, as toxiproxy's toxics act on a stream: chunks come in order,
 * one at a time; the toxic passes on what goes through with `next` (now, later, cut, sliced, or never)
 * and resolves when it is ready for the next chunk.
 */
export interface Stage {
  chunk(data: Buffer, arrivedAt: number, next: (data: Buffer) => Promise<void> | void): Promise<void> | void;
  /** The sending side closed its direction (FIN) at `arrivedAt`; `next()` passes the close on. */
  end(next: () => Promise<void> | void, arrivedAt: number): Promise<void> | void;
  /** The test ended: the toxic goes, the way toxiproxy removes one (its waits have already resolved false). */
  remove?(): void;
}

/** What the stages can do to the whole connection. */
export interface ConnectionControl {
  /** Closes both sides, as a proxy that closes its connections (FIN). */
  close(): void;
  /** Resets both sides (RST): the client reads ECONNRESET. */
  reset(): void;
  readonly closed: boolean;
}

/** A chunk, or the close (no data), with the time it arrived. */
type Item = { readonly data: Buffer | undefined; readonly at: number };

/** Bytes held in the link before the sending side is paused. */
const HIGH_WATER = 256 * 1024;

/** Where a link's bytes come from: it pauses the sender while it holds too much. */
export interface Source {
  pause(): void;
  resume(): void;
}

/** Where a link's bytes go. */
export interface Sink {
  /** Passes a chunk on; resolves when the receiving side can take more. */
  write(data: Buffer): Promise<void> | void;
  /** Passes the close (FIN) on. */
  end(): void;
}

/** A socket as a link's source: its 'data' and 'end' feed the link. */
export function socketSource(socket: net.Socket, link: () => Link): Source {
  socket.on('data', (data: Buffer) => {
    link().accept(data);
  });
  socket.on('end', () => link().acceptEnd());
  return { pause: () => socket.pause(), resume: () => socket.resume() };
}

/** A socket as a link's sink. */
export function socketSink(to: net.Socket): Sink {
  return {
    write(data) {
      if (to.destroyed || to.writableEnded) return;
      if (to.write(data)) return;
      return new Promise((resolve) => {
        const done = (): void => {
          to.off('drain', done);
          to.off('close', done);
          resolve();
        };
        to.on('drain', done);
        to.on('close', done);
      });
    },
    end() {
      if (!to.destroyed) to.end();
    },
  };
}

/**
 * One direction of a faulted connection: takes the chunks of its source, runs each through the stages in
 * order, one chunk at a time, and passes what comes out to its sink, pausing the source while the sink
 * cannot take more.
 */
export class Link {
  private readonly queue: Item[] = [];
  private busy = false;
  private held = 0;
  private paused = false;
  private idle: (() => void) | undefined;
  source: Source | undefined;

  constructor(
    private readonly sink: Sink,
    private stages: Stage[],
    private readonly connection: ConnectionControl,
  ) {}

  /** A chunk arrived; false when the link now holds too much (the source is paused until it drains). */
  accept(data: Buffer): boolean {
    this.queue.push({ data, at: Date.now() });
    this.held += data.length;
    if (this.held > HIGH_WATER && !this.paused) {
      this.paused = true;
      this.source?.pause();
    }
    this.pump();
    return !this.paused;
  }

  /** The sending side closed its direction. */
  acceptEnd(): void {
    this.queue.push({ data: undefined, at: Date.now() });
    this.pump();
  }

  /** The test ended: every stage goes, and what comes next passes straight through. */
  remove(): void {
    const stages = this.stages;
    this.stages = [];
    for (const stage of stages) stage.remove?.();
  }

  /** Calls `done` once the link holds nothing (at once when it holds nothing now). */
  whenIdle(done: () => void): void {
    if (!this.busy && this.queue.length === 0) return done();
    this.idle = done;
  }

  /**
   * Passes the queue on, one item at a time. An item that nothing holds goes through at once, in the call
   * that brought it (as Node delivers a read); the pump waits only for a stage or a sink that waits.
   */
  private pump(): void {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0) {
        const item = this.queue.shift()!;
        const passing = item.data === undefined ? this.runEnd(this.stages, 0, item.at) : this.runChunk(this.stages, 0, item.data, item.at);
        if (passing !== undefined) {
          const next = (): void => {
            try {
              this.passed(item, true);
            } catch (error) {
              // Thrown by the client's own listener: an uncaught exception, as from a real socket's read.
              process.nextTick(() => {
                throw error;
              });
            }
          };
          passing.then(next, next);
          return;
        }
        this.passed(item, false);
      }
    } catch (error) {
      // A listener of the client that throws leaves the link able to go on (and be given back at the test's end).
      this.busy = false;
      throw error;
    }
    this.busy = false;
    const idle = this.idle;
    this.idle = undefined;
    idle?.();
  }

  /** An item went through; after a wait, the pump goes on with the rest. */
  private passed(item: Item, waited: boolean): void {
    if (item.data !== undefined) {
      this.held -= item.data.length;
      if (this.paused && this.held <= HIGH_WATER / 2) {
        this.paused = false;
        this.source?.resume();
      }
    }
    if (!waited) return;
    this.busy = false;
    this.pump();
  }

  private runChunk(stages: readonly Stage[], index: number, data: Buffer, at: number): Promise<void> | void {
    if (this.connection.closed) return;
    // Stages removed meanwhile (the test ended) let the rest through.
    const stage = stages === this.stages ? stages[index] : undefined;
    if (stage === undefined) return this.sink.write(data);
    return stage.chunk(data, at, (passed) => this.runChunk(stages, index + 1, passed, at));
  }

  private runEnd(stages: readonly Stage[], index: number, at: number): Promise<void> | void {
    if (this.connection.closed) return;
    const stage = stages === this.stages ? stages[index] : undefined;
    if (stage === undefined) return this.sink.end();
    return stage.end(() => this.runEnd(stages, index + 1, at), at);
  }
}
