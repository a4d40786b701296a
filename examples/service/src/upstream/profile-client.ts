import { describeError, isConnectionError, UnavailableError } from '../errors';

/** What the identity API knows about a user. */
export interface IdentityDetails {
  readonly displayName: string;
  readonly avatarUrl: string;
}

export interface ProfileClientOptions {
  readonly timeoutMs: number;
  readonly retries: number;
  /** Wait before retry n (1-based) is `backoffMs * n`. */
  readonly backoffMs?: number;
}

export type DetailsSource = 'upstream' | 'cache';

class RetryableStatus extends Error {
  constructor(readonly status: number) {
    super(`identity API answered ${status}`);
  }
}

/**
 * Calls the identity API for a user's details: each call is bounded by a timeout, failed calls are
 * retried, and when every attempt fails the last copy this client saw is served instead.
 */
export class ProfileClient {
  private readonly lastKnown = new Map<string, IdentityDetails>();

  constructor(private readonly baseUrl: string, private readonly options: ProfileClientOptions) {}

  /** `undefined` when the identity API does not know the user. */
  async get(id: string): Promise<{ details: IdentityDetails; source: DetailsSource } | undefined> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      if (attempt > 0) await sleep((this.options.backoffMs ?? 10) * attempt);
      try {
        const details = await this.fetchOnce(id);
        if (details === undefined) return undefined;
        this.lastKnown.set(id, details);
        return { details, source: 'upstream' };
      } catch (error) {
        if (!(error instanceof RetryableStatus) && !isConnectionError(error)) throw error;
        lastError = error;
      }
    }
    const cached = this.lastKnown.get(id);
    if (cached !== undefined) return { details: cached, source: 'cache' };
    throw new UnavailableError('identity API', lastError instanceof RetryableStatus ? String(lastError.status) : describeError(lastError));
  }

  private async fetchOnce(id: string): Promise<IdentityDetails | undefined> {
    const response = await fetch(`${this.baseUrl}/identity/users/${encodeURIComponent(id)}`, { signal: AbortSignal.timeout(this.options.timeoutMs) });
    if (response.status === 404) return undefined;
    if (response.status >= 500 || response.status === 429) throw new RetryableStatus(response.status);
    if (!response.ok) throw new Error(`identity API answered ${response.status}`);
    return (await response.json()) as IdentityDetails;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
