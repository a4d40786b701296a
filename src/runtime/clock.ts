/**
 * The timers of the test's own realm, looked up on every call so that whatever drives the realm's time
 * applies: real timers, Jest's fake timers (modern or legacy) or jest-chaos's virtual clock.
 */
export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A timer and the `clearTimeout` of the timers that created it (they may be swapped in between). */
interface RealmTimer {
  readonly id: unknown;
  readonly clear: (id: unknown) => void;
}

function isRealmTimer(handle: unknown): handle is RealmTimer {
  return typeof handle === 'object' && handle !== null && 'clear' in handle && 'id' in handle;
}

export function realmClock(realm: typeof globalThis): Clock {
  return {
    setTimeout: (callback, ms): RealmTimer => {
      const clear = realm.clearTimeout as (id: unknown) => void;
      return { id: realm.setTimeout(callback, ms), clear };
    },
    clearTimeout: (handle) => {
      if (isRealmTimer(handle)) handle.clear.call(realm, handle.id);
    },
  };
}
