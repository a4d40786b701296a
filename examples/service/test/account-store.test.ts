import { AccountStore } from '../src/data/account-store';
import { MemoryAccountDatabase } from '../src/data/memory-database';
import type { Account, AccountDatabase } from '../src/data/account';

const ada: Account = { id: '1', email: 'ada@example.test', plan: 'pro' };

function failing(code: string): AccountDatabase {
  return {
    findAccount: () => Promise.reject(Object.assign(new Error(`read ${code}`), { code })),
    close: async () => {},
  };
}

test('reads from the primary while it answers', async () => {
  const store = new AccountStore(new MemoryAccountDatabase([ada]), failing('ECONNREFUSED'), { replicaFallback: true });
  await expect(store.find('1')).resolves.toEqual({ account: ada, source: 'primary' });
});

test('falls back to the replica when the primary connection drops', async () => {
  const store = new AccountStore(failing('ECONNRESET'), new MemoryAccountDatabase([ada]), { replicaFallback: true });
  await expect(store.find('1')).resolves.toEqual({ account: ada, source: 'replica' });
});

test('does not hide errors that are not connection failures', async () => {
  const broken: AccountDatabase = { findAccount: () => Promise.reject(new SyntaxError('bad query')), close: async () => {} };
  const store = new AccountStore(broken, new MemoryAccountDatabase([ada]), { replicaFallback: true });
  await expect(store.find('1')).rejects.toThrow('bad query');
});

test('without replica fallback a lost primary makes the store unavailable', async () => {
  const store = new AccountStore(failing('ECONNRESET'), new MemoryAccountDatabase([ada]), { replicaFallback: false });
  await expect(store.find('1')).rejects.toMatchObject({ dependency: 'account database', reason: 'primary: ECONNRESET' });
});
