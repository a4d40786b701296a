import type { AddressInfo } from 'node:net';
import { readConfig, type ServiceConfig } from './config';
import { ACCOUNTS, IDENTITIES } from './demo-data';
import type { AccountDatabase } from './data/account';
import { AccountStore } from './data/account-store';
import { MemoryAccountDatabase } from './data/memory-database';
import { PostgresAccountDatabase } from './data/postgres-database';
import type { Cache } from './cache/cache';
import { MemoryCache } from './cache/memory-cache';
import { RedisCache } from './cache/redis-cache';
import { createApi } from './http-api';
import { ProfileService } from './profile-service';
import { ProfileClient } from './upstream/profile-client';
import { startIdentityServer, type IdentityServer } from './upstream/identity-server';

/** A running service and everything it talks to. */
export interface RunningService {
  /** The API's base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly identity: IdentityServer;
  readonly primary: AccountDatabase;
  readonly replica: AccountDatabase;
  readonly cache: Cache;
  readonly config: ServiceConfig;
  close(): Promise<void>;
}

/** Everything started so far, closed last-in first-out; used when start-up fails half way and on close. */
class Closers {
  private readonly closers: (() => Promise<void>)[] = [];

  add<T extends { close(): Promise<void> }>(resource: T): T {
    this.closers.push(() => resource.close());
    return resource;
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close().catch(() => undefined);
  }
}

async function databases(config: ServiceConfig, closers: Closers): Promise<{ primary: AccountDatabase; replica: AccountDatabase }> {
  if (config.databaseUrl === undefined) return { primary: new MemoryAccountDatabase(ACCOUNTS), replica: new MemoryAccountDatabase(ACCOUNTS) };
  const primary = closers.add(await PostgresAccountDatabase.connect(config.databaseUrl));
  await primary.seed(ACCOUNTS);
  return { primary, replica: closers.add(await PostgresAccountDatabase.connect(config.replicaUrl ?? config.databaseUrl)) };
}

/**
 * Starts the identity API, the stores and the service's HTTP API on loopback (port 0: a free port).
 * In memory unless DATABASE_URL / REDIS_URL say otherwise.
 */
export async function startService(config: ServiceConfig = readConfig()): Promise<RunningService> {
  const closers = new Closers();
  try {
    const identity = closers.add(await startIdentityServer(IDENTITIES));
    const { primary, replica } = await databases(config, closers);
    const cache = config.redisUrl === undefined ? new MemoryCache() : closers.add(await RedisCache.connect(config.redisUrl));
    const store = new AccountStore(primary, replica, { replicaFallback: !config.fragile });
    const client = new ProfileClient(identity.url, { timeoutMs: config.upstreamTimeoutMs, retries: config.upstreamRetries });
    const server = createApi(new ProfileService(store, cache, client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.add({
      close: () => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    });
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, identity, primary, replica, cache, config, close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
