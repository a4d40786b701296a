import type net from 'node:net';

/**
 * One toxic on one direction of a connection, as toxiproxy's toxics act on a stream: chunks come in order,
 * one at a time; the toxic passes on what goes through with `next` (now, later, cut, sliced, or never)
 * and resolves when it is ready for the next chunk.
 */
export interface Stage {
  chunk(data: Buffer, arrivedAt: number, next: (data: Buffer) => Promise<void>): Promise<void> | void;
  /** The sending side closed its direction (FIN) at `arrivedAt`; `next()` passes the close on. */
  end(next: () => Promise<void>, arrivedAt: number): Promise<void> | void;
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

/** Bytes held in the link before the sending socket is paused. */
const HIGH_WATER = 256 * 1024;

/**
 * One direction of a relayed connection: reads `from`, runs each chunk through the stages in order, one chunk
 * at a time, and writes what comes out to `to`, pausing `from` while `to` cannot take more.
 */
export class Link {
  private readonly queue: Item[] = [];
  private busy = false;
  private held = 0;
  private paused = false;

  constructor(
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private stages: Stage[],
    private readonly connection: ConnectionControl,
  ) {}

  start(): void {
    this.from.on('data', (data: Buffer) => {
      this.queue.push({ data, at: Date.now() });
      this.held += data.length;
      if (this.held > HIGH_WATER && !this.paused) {
        this.paused = true;
        this.from.pause();
      }
      void this.pump();
    });
    this.from.on('end', () => {
      this.queue.push({ data: undefined, at: Date.now() });
      void this.pump();
    });
    this.from.resume();
  }

  /** The test ended: every stage goes, and what comes next passes straight through. */
  remove(): void {
    const stages = this.stages;
    this.stages = [];
    for (const stage of stages) stage.remove?.();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0) {
        const item = this.queue.shift()!;
        if (item.data === undefined) {
          await this.runEnd(this.stages, 0, item.at);
          continue;
        }
        await this.runChunk(this.stages, 0, item.data, item.at);
        this.held -= item.data.length;
        if (this.paused && this.held <= HIGH_WATER / 2) {
          this.paused = false;
          this.from.resume();
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private async runChunk(stages: readonly Stage[], index: number, data: Buffer, at: number): Promise<void> {
    if (this.connection.closed) return;
    // Stages removed meanwhile (the test ended) let the rest through.
    const stage = stages === this.stages ? stages[index] : undefined;
    if (stage === undefined) return this.write(data);
    await stage.chunk(data, at, (passed) => this.runChunk(stages, index + 1, passed, at));
  }

  private async runEnd(stages: readonly Stage[], index: number, at: number): Promise<void> {
    if (this.connection.closed) return;
    const stage = stages === this.stages ? stages[index] : undefined;
    if (stage === undefined) {
      if (!this.to.destroyed) this.to.end();
      return;
    }
    await stage.end(() => this.runEnd(stages, index + 1, at), at);
  }

  private write(data: Buffer): Promise<void> | void {
    if (this.to.destroyed || this.to.writableEnded) return;
    if (this.to.write(data)) return;
    return new Promise((resolve) => {
      const done = (): void => {
        this.to.off('drain', done);
        this.to.off('close', done);
        resolve();
      };
      this.to.on('drain', done);
      this.to.on('close', done);
    });
  }
}
