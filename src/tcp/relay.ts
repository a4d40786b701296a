import net from 'node:net';
import { detached } from './detached';

/**
 * The worker's loopback relay: a faulted connection is connected to it instead of its server, and the relay
 * carries its bytes to and from the real server through the rule's toxics. One listening socket on
 * 127.0.0.1 for the worker, created on the first faulted connection; it keeps nothing alive (unref).
 * A client socket and the relay's side of its connection are paired by the client's local port.
 */
export class Relay {
  private listening: Promise<number> | undefined;
  private readonly waiting = new Map<number, (socket: net.Socket) => void>();
  private readonly arrived = new Map<number, net.Socket>();
  private server: net.Server | undefined;

  /** The relay's port on 127.0.0.1, listening. */
  port(): Promise<number> {
    this.listening ??= detached(
      () =>
        new Promise<number>((resolve, reject) => {
          const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => this.arrive(socket));
          this.server = server;
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => {
            server.unref();
            resolve((server.address() as net.AddressInfo).port);
          });
        }),
    );
    return this.listening;
  }

  private arrive(socket: net.Socket): void {
    socket.unref();
    socket.setNoDelay(true);
    const key = socket.remotePort;
    if (key === undefined) return void socket.destroy();
    const waiter = this.waiting.get(key);
    if (waiter !== undefined) {
      this.waiting.delete(key);
      waiter(socket);
      return;
    }
    // The client's `connect` event has not run yet: keep the socket until it claims it, or goes.
    this.arrived.set(key, socket);
    socket.once('close', () => {
      if (this.arrived.get(key) === socket) this.arrived.delete(key);
    });
    socket.on('error', () => undefined);
  }

  /** The relay's side of the connection whose client socket has the local port `localPort`. */
  claim(localPort: number, onSocket: (socket: net.Socket) => void): () => void {
    const early = this.arrived.get(localPort);
    if (early !== undefined) {
      this.arrived.delete(localPort);
      onSocket(early);
      return () => undefined;
    }
    this.waiting.set(localPort, onSocket);
    return () => {
      if (this.waiting.get(localPort) === onSocket) this.waiting.delete(localPort);
    };
  }

  /** Closes the listening socket (the worker's relayed connections go on). */
  close(): void {
    this.server?.close();
    this.server = undefined;
    this.listening = undefined;
  }
}
