import { readConfig, type ServiceConfig } from '../../src/config';
import { startService, type RunningService } from '../../src/app';
import type { Profile } from '../../src/profile-service';

/**
 * Starts the service as the tests use it, and registers its seams so that `db.* primary`,
 * `db.* replica` and `cache.* redis` rules reach them (in memory or real PostgreSQL/Redis alike).
 */
export async function startTestService(overrides: Partial<ServiceConfig> = {}): Promise<RunningService> {
  const service = await startService({ ...readConfig(), ...overrides });
  chaos.register({ domain: 'db', name: 'primary', object: service.primary, methods: ['findAccount'] });
  chaos.register({ domain: 'db', name: 'replica', object: service.replica, methods: ['findAccount'] });
  chaos.register({ domain: 'cache', name: 'redis', object: service.cache, methods: ['get', 'set'] });
  // The first fetch of a process loads Node's HTTP client: do it here, so no test's timeout pays for it.
  await fetch(`${service.url}/health`);
  await fetch(`${service.identity.url}/identity/users/warm-up`);
  return service;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: Partial<Profile> & { error?: string; dependency?: string };
  readonly retryAfter: string | null;
}

/** GET /users/:id/profile on the running service. */
export async function getProfile(service: RunningService, id: string): Promise<ApiAnswer> {
  const response = await fetch(`${service.url}/users/${id}/profile`, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as ApiAnswer['body'], retryAfter: response.headers.get('retry-after') };
}

