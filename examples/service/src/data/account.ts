/** A user's account as the database holds it. */
export interface Account {
  readonly id: string;
  readonly email: string;
  readonly plan: 'free' | 'pro';
}

/** One database connection (pool) that can read accounts: the primary or the read replica. */
export interface AccountDatabase {
  findAccount(id: string): Promise<Account | undefined>;
  close(): Promise<void>;
}
