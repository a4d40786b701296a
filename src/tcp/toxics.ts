import type { TcpRule } from '../rules/types';
import type { ConnectionControl, Stage } from './link';

/** What a toxic needs from its test: its clock, and a way to say that it acted. */
export interface ToxicContext {
  /** Waits on the test's clock; false when the test ended first (the toxic then goes, see Stage.remove). */
  wait(ms: number): Promise<boolean>;
  /** Records the fault in the test's events, once per connection and rule. */
  fired(delayMs?: number): void;
  readonly connection: ConnectionControl;
}

/** The slice size of tcp.slicer without `bytes=`. */
export const DEFAULT_SLICE_BYTES = 8;

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * `tcp.latency` (toxiproxy `latency`): every chunk goes on `delay` ms after it arrived, in order. Chunks
 * that arrive together are not delayed one after the other: the delay is counted from each one's arrival.
 * The close is delayed too, as a slow link delays its FIN (toxiproxy passes it on at once).
 */
function latency(delay: number, context: ToxicContext): Stage {
  /** Runs `pass` once the delay since `arrivedAt` is over: at once (no promise) when it already is. */
  const late = (arrivedAt: number, pass: () => Promise<void> | void): Promise<void> | void => {
    if (delay <= 0) return pass();
    const sleep = delay - (Date.now() - arrivedAt);
    if (sleep <= 0) return pass();
    return context.wait(sleep).then(pass);
  };
  return {
    chunk: (data, arrivedAt, next) => late(arrivedAt, () => next(data)),
    end: (next, arrivedAt) => late(arrivedAt, next),
  };
}

/**
 * `tcp.bandwidth` (toxiproxy `bandwidth`): at most `rate` KB (1000 bytes) per second. A chunk waits
 * its size divided by the rate; a chunk bigger than 100 ms worth goes in pieces of 100 ms.
 */
function bandwidth(rate: number, context: ToxicContext): Stage {
  let debt = 0;
  const piece = rate * 100;
  return {
    async chunk(data, _arrivedAt, next) {
      let rest = data;
      while (rest.length > piece) {
        await context.wait(100);
        await next(rest.subarray(0, piece));
        rest = rest.subarray(piece);
      }
      debt += rest.length / rate;
      const started = Date.now();
      if (debt >= 1 && (await context.wait(Math.floor(debt)))) debt -= Date.now() - started;
      else if (debt >= 1) debt = 0;
      await next(rest);
    },
    end: (next) => next(),
  };
}

/** `tcp.slicer` (toxiproxy `slicer`): every chunk goes on in slices of `size` bytes, `delay` ms apart. */
function slicer(size: number, delay: number, context: ToxicContext): Stage {
  return {
    async chunk(data, _arrivedAt, next) {
      for (let offset = 0; offset < data.length; offset += size) {
        if (offset > 0) {
          if (delay > 0) await context.wait(delay);
          else await immediate();
        }
        await next(data.subarray(offset, offset + size));
      }
    },
    end: (next) => next(),
  };
}

/** `tcp.limit-data` (toxiproxy `limit_data`): `bytes` bytes go through, then the connection closes. */
function limitData(bytes: number, context: ToxicContext): Stage {
  let passed = 0;
  return {
    async chunk(data, _arrivedAt, next) {
      const room = bytes - passed;
      if (room <= 0) return;
      const part = data.length > room ? data.subarray(0, room) : data;
      passed += part.length;
      await next(part);
      if (passed >= bytes) {
        context.fired();
        context.connection.close();
      }
    },
    end: (next) => next(),
  };
}

/** `tcp.slow-close` (toxiproxy `slow_close`): data flows; the close goes on `delay` ms late. */
function slowClose(delay: number, context: ToxicContext): Stage {
  return {
    chunk: (data, _arrivedAt, next) => next(data),
    async end(next) {
      context.fired(delay);
      await context.wait(delay);
      await next();
    },
  };
}

/**
 * `tcp.timeout` (toxiproxy `timeout`): nothing gets through in its direction, data or close, as with a
 * peer that hangs: the connection closes `delay` ms after it opened, or never when `delay` is 0. Unlike
 * toxiproxy, which closes the connection when the sending side closes, a close is swallowed too: a hung
 * server does not answer the client's close either (clients then take their own time to give up on it).
 * When the toxic goes (the test ended), the connection closes: bytes were lost, it cannot carry on.
 */
function timeout(delay: number, context: ToxicContext): Stage {
  if (delay > 0) {
    void context.wait(delay).then((inTime) => {
      if (inTime) context.connection.close();
    });
  }
  return {
    chunk: () => undefined,
    end: () => undefined,
    remove: () => context.connection.close(),
  };
}

/**
 * `tcp.reset` (toxiproxy `reset_peer`): the first chunk in its direction is held, and `delay` ms later
 * both sides are reset (RST): the client reads ECONNRESET. When the test ends first, the chunk goes on.
 */
function reset(delay: number, context: ToxicContext): Stage {
  return {
    async chunk(data, _arrivedAt, next) {
      if (await context.wait(delay)) {
        context.fired(delay);
        context.connection.reset();
        return;
      }
      await next(data);
    },
    end: (next) => next(),
  };
}

/** The stage of one tcp rule (every kind but `down`, which refuses the connection instead). */
export function stageOf(rule: TcpRule, delay: number, context: ToxicContext): Stage {
  const { options } = rule;
  switch (rule.kind) {
    case 'latency':
      return latency(delay, context);
    case 'bandwidth':
      return bandwidth(options.rate ?? 1, context);
    case 'slicer':
      return slicer(options.bytes ?? DEFAULT_SLICE_BYTES, delay, context);
    case 'limit-data':
      return limitData(options.bytes ?? 0, context);
    case 'slow-close':
      return slowClose(delay, context);
    case 'timeout':
      return timeout(delay, context);
    case 'reset':
      return reset(delay, context);
    case 'down':
      throw new Error('tcp.down refuses the connection: it has no stage');
  }
}

/** Kinds whose event is recorded when they act, later than the connection: the others act from the start. */
export const RECORDED_WHEN_ACTING: ReadonlySet<TcpRule['kind']> = new Set(['reset', 'limit-data', 'slow-close']);
