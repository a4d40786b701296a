/**
 * A loopback TCP proxy in front of a real server, for network failures a server cannot be asked for: the
 * connection dropped after a command reached the server but before its reply reached the client, replies
 * that stop coming, replies that come late. What the client sees is a real socket's behaviour.
 */
import * as net from 'node:net';

export interface LoopbackProxy {
  /** The port clients connect to (127.0.0.1). */
  readonly port: number;
  /**
   * The next time a client sends `marker` (case-insensitive, e.g. `EXEC`), its connection is cut as soon as
   * the server answers: the server ran the command, the client never gets the reply.
   */
  dropAfter(marker: string): void;
  /** From now on, the server's replies are held back and never delivered (the server seems to hang). */
  stall(): void;
  /** From now on, each chunk of the server's replies is delivered `ms` late. */
  delayReplies(ms: number): void;
  /** Cuts every connection and refuses new ones from now on (the server went away). */
  cut(): void;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port) in front of `host:port`. */
export function loopbackProxy(host: string, port: number): Promise<LoopbackProxy> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let dropMarker: string | undefined;
  let stalled = false;
  let replyDelay = 0;

  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    let dropping = false;
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      if (dropMarker !== undefined && chunk.toString('latin1').toUpperCase().includes(`\r\n${dropMarker}\r\n`)) {
        // Once: a client that reconnects and sends it again gets its reply.
        dropping = true;
        dropMarker = undefined;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (dropping) {
        client.destroy();
        return;
      }
      if (stalled) return;
      if (replyDelay === 0) {
        client.write(chunk);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!client.destroyed) client.write(chunk);
      }, replyDelay);
      timers.add(timer);
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        dropAfter: (marker) => {
          dropMarker = marker.toUpperCase();
        },
        stall: () => {
          stalled = true;
        },
        delayReplies: (ms) => {
          replyDelay = ms;
        },
        cut: () => {
          server.close();
          for (const socket of sockets) socket.destroy();
        },
        close: () => {
          for (const timer of timers) clearTimeout(timer);
          for (const socket of sockets) socket.destroy();
          return new Promise((done) => (server.listening ? server.close(() => done()) : done()));
        },
      });
    });
  });
}

/**
 * Sends one command over a raw RESP connection (no driver, so no adapter ever faults it) and returns its
 * reply: a simple string, an integer as a string, a bulk string, or null.
 */
export function rawCommand(host: string, port: number, args: readonly string[]): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    let reply = '';
    const done = (value: string | null): void => {
      socket.end();
      resolve(value);
    };
    socket.setTimeout(2000, () => socket.destroy(new Error(`${args.join(' ')}: no reply`)));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      const line = /^([-+:$_])([^\r]*)\r\n/.exec(reply);
      if (line === null) return;
      const [head, type, text] = line as unknown as [string, string, string];
      if (type === '-') {
        socket.end();
        reject(new Error(text));
      } else if (type === '+' || type === ':') done(text);
      else if (type === '_' || text === '-1') done(null);
      else if (reply.length >= head.length + Number(text) + 2) done(reply.slice(head.length, head.length + Number(text)));
    });
  });
}
