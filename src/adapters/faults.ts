import net from 'node:net';
import os from 'node:os';
import { headerOnly } from '../errors/stack';
import type { StoreKind, StoreRule } from '../rules/types';
import type { RuleState } from '../runtime/rule-state';
import type { TestChaos } from '../runtime/test-chaos';

/** A failing kind: every store kind but latency. */
export type FailKind = Exclude<StoreKind, 'latency'>;

/** The decision for a call that no rule acts on (the driver is patched only to count its calls). */
const NO_FAULT: Decision = Object.freeze({ delay: 0, kind: undefined });

/** What the rules decided for one call: an added delay, and the failure to inject, if any. */
export interface Decision {
  readonly delay: number;
  readonly kind: FailKind | undefined;
}

/** The rules active on one driver in one test, and the test they belong to. */
export class DriverRules {
  readonly states: RuleState<StoreRule>[] = [];

  constructor(
    readonly test: TestChaos,
    readonly driver: string,
    readonly domain: 'db' | 'cache',
    /**
     * The test realm's `Error`: errors a driver builds itself are created in the test file's realm (drivers
     * run there), so `instanceof Error` holds for them in a test; Node's own socket errors are not.
     */
    readonly Error: ErrorConstructor,
  ) {}

  /**
   * Draws every rule once for one call (each rule its own stream, so `p` and `times` stay independent):
   * latency rules add up; the first failing rule that fires decides the failure and its delay.
   */
  decide(call: string, kinds?: ReadonlySet<StoreKind>): Decision {
    if (!this.test.disposed) this.test.called.add('driver', this.domain, this.driver);
    if (this.states.length === 0) return NO_FAULT;
    let delay = 0;
    for (const state of this.states) {
      // A rule whose kind cannot happen on this call (a lost connection at connect time) is not drawn.
      if (kinds !== undefined && !kinds.has(state.rule.kind)) continue;
      if (this.test.disposed || !state.fires()) continue;
      const ms = state.delay();
      this.test.record(state, `${this.driver} ${call}`, ms === 0 ? undefined : ms);
      if (state.rule.kind === 'latency') {
        delay += ms;
        continue;
      }
      return { delay: delay + ms, kind: state.rule.kind };
    }
    return { delay, kind: undefined };
  }

  /**
   * Waits on the test's clock; resolves at once when there is nothing to wait for. Resolves false when the
   * test ended first: a fault waiting on it must then never fire (the call stays pending).
   */
  wait(ms: number): Promise<boolean> {
    return ms > 0 ? this.test.wait(ms) : Promise.resolve(true);
  }
}

/** The address Node reports in `connect ECONNREFUSED <address>:<port>`. */
function connectAddress(host: string | undefined): string {
  if (host !== undefined && net.isIP(host) !== 0) return host;
  return '127.0.0.1';
}

/**
 * Node's refused-connection error, field for field (`errno` is the platform's, negative), and like it with
 * no frame: Node builds it in the event loop, where none of the user's code is on the stack.
 */
export function connectionRefused(host: string | undefined, port: number): Error {
  const address = connectAddress(host);
  const error = new Error(`connect ECONNREFUSED ${address}:${port}`) as Error & Record<string, unknown>;
  error.errno = -os.constants.errno.ECONNREFUSED;
  error.code = 'ECONNREFUSED';
  error.syscall = 'connect';
  error.address = address;
  error.port = port;
  return headerOnly(error);
}

/** A loopback port nothing listens on: bound to 0, then closed. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The trailing callback of an argument list, if any. */
export function trailingCallback(args: readonly unknown[]): ((...values: unknown[]) => void) | undefined {
  const last = args[args.length - 1];
  return typeof last === 'function' ? (last as (...values: unknown[]) => void) : undefined;
}
