import { Link, type Sink } from './link';

const open = { close: () => undefined, reset: () => undefined, closed: false };

/** A sink that throws on its first chunk, as a client's 'data' listener that throws, then takes the rest. */
function throwingOnce(): { sink: Sink; got: string[] } {
  const got: string[] = [];
  let thrown = false;
  const sink: Sink = {
    write(data) {
      if (!thrown) {
        thrown = true;
        throw new Error('listener failed');
      }
      got.push(data.toString());
    },
    end: () => undefined,
  };
  return { sink, got };
}

describe('Link', () => {
  test('a sink that throws as a chunk passes leaves the link delivering the next chunks and idle after them', () => {
    const { sink, got } = throwingOnce();
    const link = new Link(sink, [], open);
    expect(() => link.accept(Buffer.from('a'))).toThrow('listener failed');
    link.accept(Buffer.from('b'));
    expect(got).toEqual(['b']);
    const idle = jest.fn();
    link.whenIdle(idle);
    expect(idle).toHaveBeenCalledTimes(1);
  });

  test('a sink that throws after a stage waited is thrown as an uncaught exception, and the link goes on', async () => {
    const got: string[] = [];
    const sink: Sink = {
      write(data) {
        if (data.toString() === 'b') throw new Error('listener failed');
        got.push(data.toString());
      },
      end: () => undefined,
    };
    // The first chunk waits a turn in the stage; the others pass at once.
    const waitingOnce = {
      chunk: (data: Buffer, _at: number, next: (data: Buffer) => Promise<void> | void) => (data.toString() === 'a' ? Promise.resolve().then(() => next(data)) : next(data)),
      end: (next: () => Promise<void> | void) => next(),
    };
    const link = new Link(sink, [waitingOnce], open);
    const ticks: (() => void)[] = [];
    const nextTick = jest.spyOn(process, 'nextTick').mockImplementation(((fn: () => void) => void ticks.push(fn)) as typeof process.nextTick);
    try {
      link.accept(Buffer.from('a'));
      link.accept(Buffer.from('b'));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      nextTick.mockRestore();
    }
    expect(ticks).toHaveLength(1);
    expect(() => ticks[0]?.()).toThrow('listener failed');
    link.accept(Buffer.from('c'));
    expect(got).toEqual(['a', 'c']);
  });

});
