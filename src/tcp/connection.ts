import net from 'node:net';
import type { TcpRule } from '../rules/types';
import type { RuleState } from '../runtime/rule-state';
import type { TestChaos } from '../runtime/test-chaos';
import type { ConnectCall, ConnectOptions } from './connect-args';
import { detached } from './detached';
import { holdConnecting, type RealConnect } from './hold';
import { Link, socketSink, socketSource, type ConnectionControl, type Stage } from './link';
import type { Relay } from './relay';
import { RECORDED_WHEN_ACTING, stageOf, type ToxicContext } from './toxics';

/** One rule that fired on a connection, with the delay drawn for it. */
export interface PlannedFault {
  readonly state: RuleState<TcpRule>;
  readonly delay: number;
}

/** Events of the upstream socket that Node would have emitted on the client's own socket while it connected. */
const CONNECT_EVENTS = ['lookup', 'connectionAttempt', 'connectionAttemptFailed', 'connectionAttemptTimeout'] as const;

/** Options of `connect()` that choose where and how to reach the server: the relay is reached on 127.0.0.1. */
const ROUTE_OPTIONS = ['path', 'host', 'port', 'family', 'hints', 'lookup', 'localAddress', 'localPort', 'autoSelectFamily', 'autoSelectFamilyAttemptTimeout'];

/** Where Node keeps a socket's peer once it has read it (`remoteAddress`, `remotePort`, `remoteFamily`). */
type PeerCache = { _peername?: { address?: string; family?: string; port?: number } };

/**
 * Makes the client's socket name the server it connected to, not the relay: `remoteAddress`, `remotePort`
 * and `remoteFamily` read Node's cache of the peer, filled here from the socket to the real server.
 */
function showServer(client: net.Socket, upstream: net.Socket): void {
  (client as net.Socket & PeerCache)._peername = { address: upstream.remoteAddress, family: upstream.remoteFamily, port: upstream.remotePort };
}

/** Sockets that jest-chaos opens itself: its connect patch lets them through untouched. */
export const ownSockets = new WeakSet<net.Socket>();

/**
 * What every connection that tcp rules fault holds: its rules, the test that opened it (until the test ends),
 * and the events it records. Each direction's stages are made once the bytes can flow.
 */
export abstract class FaultedConnection implements ConnectionControl {
  protected test: TestChaos | undefined;
  private readonly recorded = new Set<RuleState<TcpRule>>();
  closed = false;

  constructor(
    protected readonly faults: readonly PlannedFault[],
    test: TestChaos,
    private readonly name: string,
  ) {
    this.test = test;
  }

  abstract close(): void;
  abstract reset(): void;
  /** The test ended: its toxics go, and the connection forgets the test. */
  abstract endTest(): void;

  /** The stages of the rules acting on one direction (none once the test has ended). */
  protected stages(direction: 'upstream' | 'downstream'): Stage[] {
    const test = this.test;
    if (test === undefined || test.disposed) return [];
    return this.faults.filter(({ state }) => state.rule.options.direction === direction || state.rule.options.direction === 'both').map((fault) => stageOf(fault.state.rule, fault.delay, this.context(fault)));
  }

  private context(fault: PlannedFault): ToxicContext {
    return {
      wait: (ms) => (this.test === undefined ? Promise.resolve(false) : this.test.wait(ms)),
      fired: (delayMs) => this.record(fault.state, delayMs),
      connection: this,
    };
  }

  /** Records a rule's fault on this connection once, while its test runs. */
  record(state: RuleState<TcpRule>, delayMs?: number): void {
    const test = this.test;
    if (test === undefined || test.disposed || this.recorded.has(state)) return;
    this.recorded.add(state);
    test.record(state, this.name, delayMs);
  }

  /** Records the faults that act from the connection's start (latency, bandwidth, slicer, timeout). */
  recordStart(): void {
    for (const { state, delay } of this.faults) {
      if (RECORDED_WHEN_ACTING.has(state.rule.kind)) continue;
      this.record(state, state.rule.kind === 'latency' || (state.rule.kind === 'timeout' && delay > 0) ? delay : undefined);
    }
  }
}

/**
 * A TLS connection that tcp rules fault, relayed so that the toxics act on the encrypted stream. jest-chaos
 * opens the connection to the real server first (with the client's own host, port, lookup and family); once
 * it is up, the client's socket is connected to the worker's loopback relay, which carries its bytes both
 * ways through the rules' toxics. Should the real server refuse, the client's socket connects to it itself
 * and fails exactly as it would have. When the test ends the toxics go, as toxiproxy removes them, and the
 * connection carries on as a plain one for as long as the client keeps it.
 */
export class RelayedConnection extends FaultedConnection {
  private upstream: net.Socket | undefined;
  private accepted: net.Socket | undefined;
  private links: Link[] = [];

  constructor(
    private readonly client: net.Socket,
    private readonly call: ConnectCall,
    faults: readonly PlannedFault[],
    test: TestChaos,
    name: string,
  ) {
    super(faults, test, name);
  }

  /** Starts the connection; `connect` is Node's own `Socket.prototype.connect`. */
  start(connect: RealConnect, relay: Relay): void {
    const { client, call } = this;
    holdConnecting(client, call, connect);
    const upstream = detached(() => new net.Socket({ allowHalfOpen: true }));
    this.upstream = upstream;
    ownSockets.add(upstream);
    upstream.unref();
    // What the server says first (a greeting, NATS's INFO) waits for the client's side to be paired.
    upstream.pause();
    for (const event of CONNECT_EVENTS) upstream.on(event, (...values: unknown[]) => client.emit(event, ...values));
    const abandon = (): void => void upstream.destroy();
    client.once('close', abandon);
    const unreachable = (): void => {
      client.off('close', abandon);
      // The real server cannot be reached: the client reaches for it itself, and fails as it would have.
      if (!client.destroyed) connect.call(client, call.options);
    };
    upstream.once('error', unreachable);
    upstream.once('connect', () => {
      upstream.off('error', unreachable);
      upstream.on('error', () => undefined);
      void relay.port().then((port) => {
        client.off('close', abandon);
        if (client.destroyed) return void upstream.destroy();
        this.connectClient(connect, port, relay);
      }, () => upstream.destroy());
    });
    detached(() => connect.call(upstream, { ...call.options, host: call.host, port: call.port }));
  }

  private connectClient(connect: RealConnect, port: number, relay: Relay): void {
    const { client } = this;
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.call.options as ConnectOptions)) if (!ROUTE_OPTIONS.includes(key)) options[key] = value;
    let unclaim = (): void => undefined;
    client.prependOnceListener('connect', () => {
      showServer(client, this.upstream!);
      unclaim = relay.claim(client.localPort!, (accepted) => this.pair(accepted));
    });
    client.once('close', () => {
      unclaim();
      if (this.accepted === undefined) this.upstream?.destroy();
    });
    connect.call(client, { ...options, host: '127.0.0.1', port });
  }

  private pair(accepted: net.Socket): void {
    const upstream = this.upstream!;
    this.accepted = accepted;
    // A reset on one side resets the other at once; a close (FIN) goes through the links, behind the data
    // that the toxics still hold, or not at all (tcp.timeout).
    accepted.on('error', () => this.upstream?.resetAndDestroy());
    upstream.on('error', () => this.accepted?.resetAndDestroy());
    upstream.setNoDelay(true);
    const up = new Link(socketSink(upstream), this.stages('upstream'), this);
    const down = new Link(socketSink(accepted), this.stages('downstream'), this);
    up.source = socketSource(accepted, () => up);
    down.source = socketSource(upstream, () => down);
    this.links = [up, down];
    accepted.resume();
    upstream.resume();
  }

  endTest(): void {
    for (const link of this.links) link.remove();
    this.test = undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const socket of [this.accepted, this.upstream]) if (socket !== undefined && !socket.destroyed) socket.end(() => socket.destroy());
  }

  reset(): void {
    if (this.closed) return;
    this.closed = true;
    for (const socket of [this.accepted, this.upstream]) if (socket !== undefined && !socket.destroyed) socket.resetAndDestroy();
  }
}
