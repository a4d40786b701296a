import { createHook, executionAsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { setImmediate as realImmediate, setTimeout as realTimeout } from 'node:timers';
import { types } from 'node:util';
import { withGlobal, type Clock as FakeClock } from '@sinonjs/fake-timers';

/**
 * What the virtual clock replaces on the test's realm. Left real on purpose: `setImmediate` (it is how
 * code yields to I/O, and how nock and the interceptors schedule their own work), `process.nextTick`
 * and `queueMicrotask` (promise plumbing everywhere depends on them).
 */
export const VIRTUAL_TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance', 'hrtime'] as const;

/** Real milliseconds that must pass without any I/O callback before virtual time may jump. */
export const DEFAULT_QUIET_MS = 20;

/** Real timers of at most this many ms, started while a virtual test runs, hold virtual time until they end. */
export const HELD_REAL_TIMER_MS = 1000;

export interface VirtualTimeOptions {
  /** See DEFAULT_QUIET_MS. */
  readonly quietMs?: number;
}

/**
 * What the process did lately, outside the virtual clock: `turns` counts callbacks of foreign real
 * timers, immediates and I/O; `lastIoAt` is the real time of the last I/O callback.
 */
const activity = { turns: 0, lastIoAt: Number.NEGATIVE_INFINITY };
/** The driver's own immediates and timeouts: they are not activity. */
const own = new WeakSet<object>();
let running = 0;
/** Foreign real timers that hold virtual time (see HELD_REAL_TIMER_MS); collected only once armed. */
const held = new Set<RealTimer>();
let armed = false;
/** True while the driver creates one of its own timers (init runs before `own` can know it). */
let creatingOwn = false;

interface RealTimer {
  readonly _idleTimeout?: number;
  readonly _destroyed?: boolean;
  hasRef?(): boolean;
}

function holdsTime(timer: RealTimer): boolean {
  return timer._destroyed !== true && (timer.hasRef?.() ?? true);
}

/** Whether some short real timer that a test started is still pending. */
function realTimersPending(): boolean {
  for (const timer of held) if (!holdsTime(timer)) held.delete(timer);
  return held.size > 0;
}

function classify(resource: unknown): 'none' | 'turn' | 'io' {
  if (resource === null || typeof resource !== 'object') return 'none';
  if (own.has(resource) || types.isPromise(resource)) return 'none';
  const proto: unknown = Object.getPrototypeOf(resource);
  // process.nextTick runs its callbacks with a plain object as the resource.
  if (proto === Object.prototype || proto === null) return 'none';
  const name = (proto as { constructor?: { name?: string } }).constructor?.name;
  if (name === 'Timeout' || name === 'Immediate') return 'turn';
  return 'io';
}

const hook = createHook({
  init(_id, type, _trigger, resource) {
    if (!armed || creatingOwn || type !== 'Timeout') return;
    const timer = resource as RealTimer;
    const ms = timer._idleTimeout ?? Number.POSITIVE_INFINITY;
    if (ms >= 0 && ms <= HELD_REAL_TIMER_MS) held.add(timer);
  },
  before() {
    const kind = classify(executionAsyncResource());
    if (kind === 'none') return;
    activity.turns++;
    if (kind === 'io') activity.lastIoAt = performance.now();
  },
});

function nextTurn(): Promise<void> {
  return new Promise((resolve) => own.add(realImmediate(resolve)));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    creatingOwn = true;
    try {
      own.add(realTimeout(resolve, ms));
    } finally {
      creatingOwn = false;
    }
  });
}

/**
 * A virtual clock on one realm, installed for the body of one test. Time stands still while the test
 * runs code or waits on real work, and jumps to the next timer as soon as the process is idle: one full
 * event-loop turn in which nothing outside the virtual clock ran, and no I/O callback for `quietMs`.
 */
export class VirtualTime {
  private readonly clock: FakeClock;
  private stopped = false;

  private constructor(
    private readonly realm: typeof globalThis,
    private readonly quietMs: number,
  ) {
    this.clock = withGlobal(realm).install({ toFake: [...VIRTUAL_TIMERS], now: Date.now(), ignoreMissingTimers: true });
    running++;
    if (running === 1) {
      armed = false;
      held.clear();
      hook.enable();
    }
    void this.drive();
  }

  /** Fakes the realm's timers and starts driving them. Throws when the realm's timers are already fake. */
  static install(realm: typeof globalThis, options: VirtualTimeOptions = {}): VirtualTime {
    return new VirtualTime(realm, options.quietMs ?? DEFAULT_QUIET_MS);
  }

  /** Whether the realm's timers are still this clock's (Jest's fake timers may have replaced them). */
  private owns(): boolean {
    return (this.realm.setTimeout as unknown as { clock?: unknown }).clock === this.clock;
  }

  /**
   * Each round waits one real event-loop turn (an immediate, or 1 ms when nothing is pending) and
   * counts what ran in between. The clock jumps after two rounds in a row in which nothing outside it
   * ran: foreign work queued in the same turn as the driver's own immediate runs within the second one.
   */
  private async drive(): Promise<void> {
    let idle = 0;
    let quietRounds = 0;
    while (!this.stopped) {
      const before = activity.turns;
      if (idle > 8) await sleep(1);
      else await nextTurn();
      if (this.stopped) return;
      // Real timers started before the first turn (Jest's own test timeout among them) never hold time.
      armed = true;
      if (!this.owns() || this.clock.countTimers() === 0) {
        idle++;
        quietRounds = 0;
        continue;
      }
      idle = 0;
      if (activity.turns !== before) {
        quietRounds = 0;
        continue;
      }
      if (realTimersPending()) {
        quietRounds = 0;
        await sleep(1);
        continue;
      }
      if (++quietRounds < 2) continue;
      quietRounds = 0;
      const quiet = performance.now() - activity.lastIoAt;
      if (quiet < this.quietMs) {
        await sleep(Math.ceil(this.quietMs - quiet));
        continue;
      }
      try {
        this.clock.next();
      } catch (error) {
        // A timer callback threw: surface it the way a real timer would, as an uncaught exception.
        realImmediate(() => {
          throw error;
        });
      }
    }
  }

  /** Stops driving and restores the realm's real timers. Safe to call more than once. */
  uninstall(): void {
    if (this.stopped) return;
    this.stopped = true;
    running--;
    if (running === 0) {
      hook.disable();
      held.clear();
      armed = false;
    }
    this.clock.uninstall();
  }
}
