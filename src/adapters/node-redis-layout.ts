/** What the node-redis adapters (node-redis-4.ts, node-redis-5.ts) share. */
type ErrorClass = new (message?: string) => Error;
type Proto = Record<string, unknown>;

/** The error classes of `@redis/client` the adapters build their failures from. */
export interface RedisErrors {
  AbortError: ErrorClass;
  SocketClosedUnexpectedlyError: ErrorClass;
  ErrorReply: ErrorClass;
  /** 5 and 6: the class of a server's `-ERR` reply (4 uses ErrorReply itself). */
  SimpleError?: ErrorClass;
  /** 5 and 6: a command's own timeout. */
  TimeoutError?: ErrorClass;
}

/** What one installed `@redis/client` offers: its errors and the prototypes that are patched. */
export interface NodeRedisLayout {
  readonly errors: RedisErrors;
  readonly queueProto: Proto;
  readonly clientProto: Proto;
  readonly socketProto: Proto;
}

/** The part of a node-redis client both adapters read. */
export interface RedisClientLike {
  options?: { socket?: { host?: string; port?: number; reconnectStrategy?: unknown }; url?: string };
  sendCommand(args: string[]): Promise<unknown>;
}

/** Host and port from a `redis://` URL option, where the client was given one. */
export function urlAddress(url: string | undefined): { host?: string; port?: number } {
  if (url === undefined) return {};
  try {
    const parsed = new URL(url);
    return { host: parsed.hostname, ...(parsed.port === '' ? {} : { port: Number(parsed.port) }) };
  } catch {
    return {};
  }
}
