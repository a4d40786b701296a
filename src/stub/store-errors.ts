import type { StoreKind } from '../rules/types';
import { captureDeep, withoutInjectionFrames } from '../errors/stack';

type SystemError = Error & { code: string; errno?: number; syscall?: string };

function failure(kind: Exclude<StoreKind, 'latency'>, label: string): SystemError {
  switch (kind) {
    case 'down':
      return Object.assign(new Error(`connect ECONNREFUSED (${label})`), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
    case 'lost':
      return Object.assign(new Error(`read ECONNRESET (${label})`), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
    case 'timeout':
      return Object.assign(new Error(`${label} timed out`), { code: 'ETIMEDOUT', errno: -110 });
    case 'error':
      return Object.assign(new Error(`${label} failed with a server error`), { code: 'ERR_SERVER' });
  }
}

/**
 * Generic failures for a stubbed or registered method that belongs to no known driver. Made when the
 * faulted method is called, their stacks lead to that call, as the method's own failure would, without
 * the frames of jest-chaos that stand in for the method.
 */
export function genericStoreError(kind: Exclude<StoreKind, 'latency'>, label: string): SystemError {
  const error = failure(kind, label);
  captureDeep(error, genericStoreError);
  error.stack = withoutInjectionFrames(error.stack ?? '');
  return error;
}
