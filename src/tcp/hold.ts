import type net from 'node:net';
import type { ConnectCall } from './connect-args';

/** `net.Socket.prototype.connect` as Node defines it (the one jest-chaos wraps). */
export type RealConnect = (this: net.Socket, ...args: unknown[]) => net.Socket;

/** The name a held socket looks up: `.invalid` never resolves, and the lookup is never made anyway. */
const HELD_HOST = 'jest-chaos-held.invalid';

/** A lookup that never answers: the socket stays connecting until jest-chaos decides. */
function neverAnswer(): void {}

/**
 * Starts a socket's connect the way Node does (its handle is created, `connecting` is true, writes are
 * queued, `connect` listeners and the callback are in place) but sends nothing: the name handed to Node
 * is looked up by a lookup that never answers. jest-chaos then refuses the socket (it closes as a
 * refused one does, with `close(true)`), or connects it for real with a second `connect()`.
 */
export function holdConnecting(socket: net.Socket, call: ConnectCall, connect: RealConnect): void {
  const { path: _path, localAddress: _address, localPort: _port, ...rest } = call.options;
  connect.call(socket, { ...rest, host: HELD_HOST, port: call.port, family: 0, hints: 0, autoSelectFamily: false, lookup: neverAnswer }, call.callback ?? null);
  // Node keeps the host it was given; the client's code may read it.
  (socket as net.Socket & { _host: string | null })._host = call.host;
}
