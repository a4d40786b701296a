import type { Account } from './data/account';
import type { AccountSource, AccountStore } from './data/account-store';
import type { Cache } from './cache/cache';
import type { DetailsSource, ProfileClient } from './upstream/profile-client';

/** What GET /users/:id/profile answers. */
export interface Profile {
  readonly id: string;
  readonly email: string;
  readonly plan: Account['plan'];
  readonly displayName: string;
  readonly avatarUrl: string;
  /** Where each half of the profile came from on this request. */
  readonly sources: { readonly account: AccountSource | 'cache'; readonly details: DetailsSource };
  /** Dependencies that failed on this request without failing it. */
  readonly degraded: readonly string[];
}

const ACCOUNT_TTL_SECONDS = 60;

/** Builds a profile from the account (cache in front of the database) and the identity API's details. */
export class ProfileService {
  constructor(private readonly store: AccountStore, private readonly cache: Cache, private readonly identity: ProfileClient) {}

  async getProfile(id: string): Promise<Profile | undefined> {
    const degraded: string[] = [];
    const found = await this.account(id, degraded);
    if (found === undefined) return undefined;
    const details = await this.identity.get(id);
    if (details === undefined) return undefined;
    if (details.source === 'cache') degraded.push('identity API');
    const { account, source } = found;
    return { id: account.id, email: account.email, plan: account.plan, ...details.details, sources: { account: source, details: details.source }, degraded };
  }

  /** Cache-aside: a cache that is down is a miss, never an error. */
  private async account(id: string, degraded: string[]): Promise<{ account: Account; source: AccountSource | 'cache' } | undefined> {
    const key = `account:${id}`;
    try {
      const cached = await this.cache.get(key);
      if (cached !== undefined) return { account: JSON.parse(cached) as Account, source: 'cache' };
    } catch {
      degraded.push('cache');
    }
    const found = await this.store.find(id);
    if (found === undefined) return undefined;
    if (!degraded.includes('cache')) {
      try {
        await this.cache.set(key, JSON.stringify(found.account), ACCOUNT_TTL_SECONDS);
      } catch {
        degraded.push('cache');
      }
    }
    return found;
  }
}
