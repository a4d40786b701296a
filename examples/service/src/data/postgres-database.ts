import type { Pool } from 'pg';
import type { Account, AccountDatabase } from './account';

/** Accounts in a real PostgreSQL database (DATABASE_URL), table `demo_accounts`. */
export class PostgresAccountDatabase implements AccountDatabase {
  private constructor(private readonly pool: Pool) {}

  static async connect(url: string): Promise<PostgresAccountDatabase> {
    const { Pool } = await import('pg');
    return new PostgresAccountDatabase(new Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2000 }));
  }

  /** Creates the table and writes the demo accounts (run on the primary). */
  async seed(accounts: readonly Account[]): Promise<void> {
    await this.pool.query('CREATE TABLE IF NOT EXISTS demo_accounts (id text PRIMARY KEY, email text NOT NULL, plan text NOT NULL)');
    for (const account of accounts) {
      await this.pool.query('INSERT INTO demo_accounts (id, email, plan) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, plan = EXCLUDED.plan', [account.id, account.email, account.plan]);
    }
  }

  async findAccount(id: string): Promise<Account | undefined> {
    const result = await this.pool.query<Account>('SELECT id, email, plan FROM demo_accounts WHERE id = $1', [id]);
    return result.rows[0];
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
