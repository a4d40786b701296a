import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Cache } from './cache';

/** A real Redis (REDIS_URL); keys carry a prefix of their own per instance, so runs never see each other's entries. */
export class RedisCache implements Cache {
  private constructor(private readonly client: Redis, private readonly prefix: string) {}

  static async connect(url: string, prefix = `demo-service:${randomUUID()}:`): Promise<RedisCache> {
    const { Redis } = await import('ioredis');
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    await client.connect();
    return new RedisCache(client, prefix);
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.client.set(this.prefix + key, value, 'EX', ttlSeconds);
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
