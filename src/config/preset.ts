import { defaultTransform, parts, withSetupFile } from './parts';

/** What `preset: 'jest-chaos'` sets. */
export function presetConfig(): Record<string, unknown> {
  return {
    testEnvironment: parts.environment,
    runner: parts.runner,
    reporters: ['default', parts.reporter],
    filter: parts.filter,
    moduleNameMapper: { '^nock$': parts.nock },
    transform: defaultTransform(),
    // Jest concatenates a preset's setupFiles with the user's, preset first.
    setupFiles: withSetupFile(undefined),
  };
}
