/** How the service is wired, read from the environment. */
export interface ServiceConfig {
  /** DEMO_FRAGILE=1: a build whose account reads do not fall back to the read replica. */
  readonly fragile: boolean;
  /** DATABASE_URL: a PostgreSQL primary; without it the stores are in memory. */
  readonly databaseUrl: string | undefined;
  /** REPLICA_DATABASE_URL: the read replica; defaults to DATABASE_URL. */
  readonly replicaUrl: string | undefined;
  /** REDIS_URL: a Redis cache; without it the cache is in memory. */
  readonly redisUrl: string | undefined;
  /** How long one call to the identity API may take. */
  readonly upstreamTimeoutMs: number;
  /** How many times a failed identity API call is retried. */
  readonly upstreamRetries: number;
}

function flag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  return {
    fragile: flag(env.DEMO_FRAGILE),
    databaseUrl,
    replicaUrl: nonEmpty(env.REPLICA_DATABASE_URL) ?? databaseUrl,
    redisUrl: nonEmpty(env.REDIS_URL),
    upstreamTimeoutMs: 300,
    upstreamRetries: 2,
  };
}
