/** A string cache with expiry: Redis when REDIS_URL is set, in memory otherwise. */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}
