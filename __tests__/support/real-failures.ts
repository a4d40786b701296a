/**
 * Loopback servers that make clients fail for real. Every server binds 127.0.0.1 on
 * an ephemeral port; URLs use the literal address, so no name is ever resolved.
 * Pass `{ tls: true }` for an https URL served with a self-signed certificate.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { selfSignedCert } from './tls-cert';

export interface LoopbackTarget {
  readonly url: string;
  /** Stops the server and destroys every connection it still holds. */
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Serve https with a self-signed certificate. Default false. */
  readonly tls?: boolean;
}

const HOST = '127.0.0.1';

/** `raw` is the TCP socket under the request (the same as req.socket without TLS). */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, raw: net.Socket) => void;

function createServer(options: ServerOptions, listener: http.RequestListener): http.Server {
  if (options.tls !== true) return http.createServer(listener);
  const { key, cert } = selfSignedCert();
  return https.createServer({ key, cert }, listener);
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('server has no TCP address'));
      else resolve(address.port);
    });
  });
}

function urlFor(options: ServerOptions, port: number): string {
  return `${options.tls === true ? 'https' : 'http'}://${HOST}:${port}/`;
}

async function serve(options: ServerOptions, handler: Handler): Promise<LoopbackTarget> {
  // Raw TCP sockets by client port: close() also ends connections still in a TLS
  // handshake, and a TLS socket (which cannot send RST itself) finds its TCP socket.
  const sockets = new Map<number | undefined, net.Socket>();
  const server = createServer(options, (req, res) => {
    handler(req, res, sockets.get(req.socket.remotePort) ?? req.socket);
  });
  server.on('connection', (socket: net.Socket) => {
    const key = socket.remotePort;
    sockets.set(key, socket);
    socket.once('close', () => {
      if (sockets.get(key) === socket) sockets.delete(key);
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  const port = await listen(server);
  let closing: Promise<void> | undefined;
  return {
    url: urlFor(options, port),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets.values()) socket.destroy();
      });
      return closing;
    },
  };
}

/** A port that was just bound and released: connecting to it is refused (ECONNREFUSED). */
export async function closedPortUrl(options: ServerOptions = {}): Promise<LoopbackTarget> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: urlFor(options, port), close: () => Promise.resolve() };
}

export interface ResetOptions extends ServerOptions {
  /**
   * 'rst' (default) aborts the TCP connection (RST), which clients see as `read ECONNRESET`.
   * 'close' ends it gracefully (FIN) without a response: clients see `socket hang up`.
   */
  readonly mode?: 'rst' | 'close';
}

/** Drops the connection as soon as a request's headers arrive, without answering. */
export function resetServerUrl(options: ResetOptions = {}): Promise<LoopbackTarget> {
  return serve(options, (_req, _res, raw) => {
    if (options.mode === 'close') raw.destroy();
    else raw.resetAndDestroy();
  });
}

/** Reads the request and never answers; the connection stays open until close(). */
export function hangServerUrl(options: ServerOptions = {}): Promise<LoopbackTarget> {
  return serve(options, () => undefined);
}

/** The full JSON document that truncatedJsonServerUrl() announces; only its first half is sent. */
export const TRUNCATED_JSON_FULL = '{"id":1,"name":"truncated","items":[1,2,3]}';
export const TRUNCATED_JSON_SENT = TRUNCATED_JSON_FULL.slice(0, Math.floor(TRUNCATED_JSON_FULL.length / 2));

/**
 * Answers 200 with content-type application/json and a content-length for the full
 * document, sends half of it, then ends the socket.
 */
export function truncatedJsonServerUrl(options: ServerOptions = {}): Promise<LoopbackTarget> {
  return serve(options, (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(TRUNCATED_JSON_FULL)),
    });
    res.write(TRUNCATED_JSON_SENT);
    res.socket?.end();
  });
}

/** Answers every request with `code`, a short text body and, if given, a Retry-After header. */
export function statusServerUrl(
  code: number,
  retryAfter?: number | string,
  options: ServerOptions = {},
): Promise<LoopbackTarget> {
  return serve(options, (_req, res) => {
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'text/plain; charset=utf-8' };
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    res.writeHead(code, headers);
    res.end(http.STATUS_CODES[code] ?? String(code));
  });
}
