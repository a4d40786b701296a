import net from 'node:net';
import { ChaosError } from '../errors/chaos-error';
import { isLoopback } from '../http/target';
import type { TcpRule } from '../rules/types';
import { replaceProperty } from '../runtime/patches';
import type { Disposer } from '../runtime/scope';
import type { TestChaos } from '../runtime/test-chaos';
import { activeTest } from '../runtime/test-context';
import { compileSocketAllow, type SocketAllow } from './allow';
import { readConnectArgs, type ConnectCall } from './connect-args';
import { ownSockets, RelayedConnection, type FaultedConnection, type PlannedFault } from './connection';
import { actsDirectly, DirectConnection, isHeld } from './direct';
import { holdConnecting, type RealConnect } from './hold';
import { refuseConnection } from './refusal';
import { Relay } from './relay';
import { compileTcpTarget, type TcpTarget } from './target';
import { keepUpgradesFaulted } from './upgrade';

/** What the test file running now tells the socket layer (see FileChaos). */
export interface SocketGuard {
  /** Whether the loopback guard is on now (a chaos test runs, or the whole file of a chaos suite). */
  readonly active: () => boolean;
  /** testEnvironmentOptions.chaos.allowNetConnect */
  readonly allowNetConnect: readonly string[];
}

/** `host:port` as the client gave it, IPv6 in brackets. */
function endpoint(host: string, port: number): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

function guardError(host: string, port: number): ChaosError {
  const shown = endpoint(host, port);
  return new ChaosError(
    'ERR_CHAOS_NET_CONNECT',
    `a connection to ${shown} would leave this machine: while chaos is active, only loopback hosts are reached for real, whatever opens the connection (http, fetch, undici, http2, net, tls, a database or broker client). ` +
      `Point the client at a local service, fault it with a tcp rule, or allow the host with testEnvironmentOptions: { chaos: { allowNetConnect: ['${host}'] } }.`,
  );
}

/**
 * The socket layer of the worker: wraps `net.Socket.prototype.connect`, where every TCP client of Node
 * ends up (`net.connect`, `tls.connect`, http's agents, undici, http2, pg, ioredis, amqplib, mqtt, nats),
 * TLS sockets included (the toxics then act on the encrypted stream, as a network would). For each
 * connection opened while chaos is active it
 * 1. applies the tcp rules of the test that opens it (attributed as every call is, see test-context.ts):
 *    `tcp.down` refuses it as a closed port does; the other kinds put their toxics on the client's own socket
 *    when it is plain TCP (direct.ts), and relay a TLS socket through them, below TLS (connection.ts);
 * 2. refuses a connection to a host other than loopback (the loopback guard), unless allowed.
 * Everything else goes to Node's own connect, untouched.
 */
export class SocketLayer {
  private readonly relay = new Relay();
  private readonly targets = new WeakMap<TcpRule, TcpTarget>();
  private readonly connections = new WeakMap<TestChaos, Set<FaultedConnection>>();
  private guard: { readonly active: () => boolean; readonly allow: readonly SocketAllow[] } | undefined;
  private uninstall: Disposer | undefined;

  /**
   * Wraps `net.Socket.prototype.connect`, and TLS's upgrade of a socket faulted on its own (see upgrade.ts);
   * once; the disposer puts Node's own back.
   */
  install(): void {
    if (this.uninstall !== undefined) return;
    const proto = net.Socket.prototype as unknown as { connect: RealConnect };
    const original = proto.connect;
    const layer = this;
    const unwrapConnect = replaceProperty(proto, 'connect', function connect(this: net.Socket, ...args: unknown[]): net.Socket {
      return layer.connect(this, original, args);
    });
    let unwrapUpgrade: Disposer;
    try {
      unwrapUpgrade = keepUpgradesFaulted(isHeld);
    } catch (error) {
      // A failed install leaves Node's own connect in place.
      unwrapConnect();
      throw error;
    }
    this.uninstall = () => {
      unwrapUpgrade();
      unwrapConnect();
    };
  }

  /** Puts Node's own methods back and stops listening (connections already faulted carry on). */
  dispose(): void {
    this.uninstall?.();
    this.uninstall = undefined;
    this.relay.close();
  }

  /** The loopback guard of the file that runs now, until the returned function is called. */
  attachGuard(guard: SocketGuard): Disposer {
    this.install();
    const attached = { active: guard.active, allow: guard.allowNetConnect.map(compileSocketAllow) };
    this.guard = attached;
    return () => {
      if (this.guard === attached) this.guard = undefined;
    };
  }

  private connect(socket: net.Socket, original: RealConnect, args: unknown[]): net.Socket {
    if (ownSockets.has(socket)) return original.apply(socket, args);
    const call = readConnectArgs(args);
    if (call.port === undefined) return original.apply(socket, args);
    const test = activeTest();
    test?.called.socket(call.host, call.port);
    const faults = test === undefined || test.tcpRules.length === 0 ? undefined : this.plan(test, call);
    if (faults === 'down') {
      refuseConnection(socket, call, original);
      return socket;
    }
    if (this.refuses(call)) {
      this.refuse(socket, call, original, test);
      return socket;
    }
    if (faults === undefined || faults.length === 0 || test === undefined) return original.apply(socket, args);
    const name = endpoint(call.host, call.port!);
    if (actsDirectly(socket)) {
      const connection = new DirectConnection(socket, faults, test, name);
      this.track(test, connection);
      connection.recordStart();
      connection.start(original, args);
      return socket;
    }
    const connection = new RelayedConnection(socket, call, faults, test, name);
    this.track(test, connection);
    connection.recordStart();
    connection.start(original, this.relay);
    return socket;
  }

  /** The rules of `test` that fire on this connection, in order; `down` when one refuses it. */
  private plan(test: TestChaos, call: ConnectCall): PlannedFault[] | 'down' {
    const faults: PlannedFault[] = [];
    for (const state of test.tcpRules) {
      const { rule } = state;
      let target = this.targets.get(rule);
      if (target === undefined) {
        target = compileTcpTarget(rule.target);
        this.targets.set(rule, target);
      }
      if (target.port !== call.port || !target.matchesHost(call.host)) continue;
      if (!state.fires()) continue;
      if (rule.kind === 'down') {
        test.record(state, endpoint(call.host, call.port));
        return 'down';
      }
      faults.push({ state, delay: state.delay() });
    }
    return faults;
  }

  private refuses(call: ConnectCall): boolean {
    const guard = this.guard;
    const on = guard === undefined ? activeTest() !== undefined : guard.active();
    if (!on || isLoopback(call.host)) return false;
    return !(guard?.allow ?? []).some((allowed) => allowed(call.host, call.port!));
  }

  private refuse(socket: net.Socket, call: ConnectCall, original: RealConnect, test: TestChaos | undefined): void {
    test?.refused.push(`CONNECT tcp://${endpoint(call.host, call.port!)}`);
    holdConnecting(socket, call, original);
    const error = guardError(call.host, call.port!);
    process.nextTick(() => {
      if (!socket.destroyed) socket.destroy(error);
    });
  }

  private track(test: TestChaos, connection: FaultedConnection): void {
    let open = this.connections.get(test);
    if (open === undefined) {
      const set = new Set<FaultedConnection>();
      open = set;
      this.connections.set(test, set);
      test.disposers.add(() => {
        for (const each of set) each.endTest();
        set.clear();
      });
    }
    open.add(connection);
  }
}

let layer: SocketLayer | undefined;

/** The worker's socket layer, created on first use. */
export function socketLayer(): SocketLayer {
  layer ??= new SocketLayer();
  return layer;
}
