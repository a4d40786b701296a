import type { Chaos } from './api/types';

export {};

declare global {
  /** jest-chaos's in-test API (chaos environment only). */
  // eslint-disable-next-line no-var
  var chaos: Chaos;
}
