import { describeError, isConnectionError, UnavailableError } from '../errors';
import type { Account, AccountDatabase } from './account';

export type AccountSource = 'primary' | 'replica';

/**
 * Reads accounts from the primary; when the primary cannot be reached (refused, dropped, timed out)
 * the read goes to the read replica instead, if `replicaFallback` is on.
 */
export class AccountStore {
  constructor(
    private readonly primary: AccountDatabase,
    private readonly replica: AccountDatabase,
    private readonly options: { readonly replicaFallback: boolean },
  ) {}

  async find(id: string): Promise<{ account: Account; source: AccountSource } | undefined> {
    let account: Account | undefined;
    try {
      account = await this.primary.findAccount(id);
      return account === undefined ? undefined : { account, source: 'primary' };
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      if (!this.options.replicaFallback) throw new UnavailableError('account database', `primary: ${describeError(error)}`);
      try {
        account = await this.replica.findAccount(id);
      } catch (replicaError) {
        if (!isConnectionError(replicaError)) throw replicaError;
        throw new UnavailableError('account database', `primary: ${describeError(error)}, replica: ${describeError(replicaError)}`);
      }
      return account === undefined ? undefined : { account, source: 'replica' };
    }
  }
}
