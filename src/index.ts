import './globals';
import { ChaosError } from './errors/chaos-error';
import type { Chaos } from './api/types';

export type { Chaos, HttpFaultBuilder, StubBuilder, Registration, Rules, FaultEvent, CallStyle, StubOptions } from './api/types';
export { ChaosError, isChaosError, type ChaosErrorCode } from './errors/chaos-error';
export { withChaos } from './config/with-chaos';

const slot = Symbol.for('jest-chaos.api');

function realmApi(): Chaos {
  const api = (globalThis as Record<symbol, Chaos | undefined>)[slot];
  if (api === undefined) {
    throw new ChaosError('ERR_CHAOS_CONFIG', "the chaos API is only available in test files run by the chaos environment. Use preset: 'jest-chaos', withChaos(), or testEnvironment: 'jest-chaos/environment'.");
  }
  return api;
}

/** The in-test API; the same object as the `chaos` global of the chaos environment. */
export const chaos: Chaos = new Proxy({} as Chaos, {
  get: (_target, key) => {
    const api = realmApi();
    const value = Reflect.get(api, key, api) as unknown;
    return typeof value === 'function' ? (value as Function).bind(api) : value;
  },
});
