import type { Account, AccountDatabase } from './account';

/** An in-memory stand-in for a database server, used when DATABASE_URL is not set. */
export class MemoryAccountDatabase implements AccountDatabase {
  private readonly accounts: Map<string, Account>;

  constructor(accounts: readonly Account[]) {
    this.accounts = new Map(accounts.map((account) => [account.id, account]));
  }

  async findAccount(id: string): Promise<Account | undefined> {
    return this.accounts.get(id);
  }

  async close(): Promise<void> {}
}
