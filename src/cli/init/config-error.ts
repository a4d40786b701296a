import { ChaosError } from '../../errors/chaos-error';

/** An error of `jest-chaos init`: nothing was written, and the message says what to do instead. */
export function configError(message: string): ChaosError {
  return new ChaosError('ERR_CHAOS_CONFIG', message);
}
