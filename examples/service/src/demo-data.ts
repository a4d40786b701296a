import type { Account } from './data/account';
import type { IdentityDetails } from './upstream/profile-client';

/** The users the embedded database and identity API know. */
export const ACCOUNTS: readonly Account[] = [
  { id: '1', email: 'ada@example.test', plan: 'pro' },
  { id: '2', email: 'grace@example.test', plan: 'free' },
  { id: '3', email: 'edsger@example.test', plan: 'free' },
  { id: '4', email: 'barbara@example.test', plan: 'pro' },
  { id: '5', email: 'alan@example.test', plan: 'free' },
  { id: '6', email: 'margaret@example.test', plan: 'pro' },
];

export const IDENTITIES: Readonly<Record<string, IdentityDetails>> = {
  '1': { displayName: 'Ada Lovelace', avatarUrl: 'https://avatars.example.test/1.png' },
  '2': { displayName: 'Grace Hopper', avatarUrl: 'https://avatars.example.test/2.png' },
  '3': { displayName: 'Edsger Dijkstra', avatarUrl: 'https://avatars.example.test/3.png' },
  '4': { displayName: 'Barbara Liskov', avatarUrl: 'https://avatars.example.test/4.png' },
  '5': { displayName: 'Alan Turing', avatarUrl: 'https://avatars.example.test/5.png' },
  '6': { displayName: 'Margaret Hamilton', avatarUrl: 'https://avatars.example.test/6.png' },
};
