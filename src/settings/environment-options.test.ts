import { isChaosError } from '../errors/chaos-error';
import { readEnvironmentOptions } from './environment-options';

function errorOf(raw: unknown): string {
  let thrown: unknown;
  try {
    readEnvironmentOptions(raw, 'the Jest config of /p');
  } catch (error) {
    thrown = error;
  }
  if (!isChaosError(thrown)) throw new Error(`expected a ChaosError, got ${String(thrown)}`);
  expect(thrown.code).toBe('ERR_CHAOS_CONFIG');
  return thrown.message;
}

describe('readEnvironmentOptions', () => {
  test('nothing given: no hosts allowed', () => {
    expect(readEnvironmentOptions(undefined)).toEqual({ allowNetConnect: [], time: 'real', strict: false });
    expect(readEnvironmentOptions({})).toEqual({ allowNetConnect: [], time: 'real', strict: false });
  });

  test('allowNetConnect with hosts, origins and URL globs', () => {
    const list = ['api.example.com', 'https://*.internal.example.com', 'files.example.com/public/*'];
    expect(readEnvironmentOptions({ allowNetConnect: list })).toEqual({ allowNetConnect: list, time: 'real', strict: false });
    expect(readEnvironmentOptions({ time: 'virtual', strict: false })).toEqual({ allowNetConnect: [], time: 'virtual', strict: false });
  });

  test.each([
    [
      'api.example.com',
      'jest-chaos: invalid testEnvironmentOptions.chaos in the Jest config of /p: expected an object, got the string "api.example.com". Valid: { allowNetConnect: [\'host.example.com\'] }.',
    ],
    [
      { allowNetConnect: 'api.example.com' },
      "jest-chaos: invalid testEnvironmentOptions.chaos.allowNetConnect in the Jest config of /p: expected an array, got the string \"api.example.com\". Valid: an array of http targets, e.g. allowNetConnect: ['api.example.com', 'https://*.internal.example.com'].",
    ],
    [
      { allowNetConnect: ['ok.example.com', 42] },
      "jest-chaos: invalid testEnvironmentOptions.chaos.allowNetConnect[1] in the Jest config of /p: expected a non-empty string, got number 42. Valid: an array of http targets, e.g. allowNetConnect: ['api.example.com', 'https://*.internal.example.com'].",
    ],
    [{ allowNetConnect: ['ftp://x.example.com'] }, 'jest-chaos: invalid testEnvironmentOptions.chaos.allowNetConnect[0] in the Jest config of /p: target "ftp://x.example.com" has the scheme "ftp"'],
    [{ allowNetconnect: [] }, 'jest-chaos: unknown option "allowNetconnect" in testEnvironmentOptions.chaos (the Jest config of /p). Valid: allowNetConnect, time, strict. Did you mean "allowNetConnect"?'],
    [{ seed: 1 }, 'jest-chaos: unknown option "seed" in testEnvironmentOptions.chaos (the Jest config of /p). Valid: allowNetConnect, time, strict.'],
    [{ tme: 'virtual' }, 'Valid: allowNetConnect, time, strict. Did you mean "time"?'],
    [{ time: 'fast' }, 'jest-chaos: invalid testEnvironmentOptions.chaos.time in the Jest config of /p: "fast" is not a time mode.'],
  ])('rejects %p', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });
});

describe('readEnvironmentOptions: strict', () => {
  test('true or false', () => {
    expect(readEnvironmentOptions({ strict: true }).strict).toBe(true);
    expect(readEnvironmentOptions({ strict: false }).strict).toBe(false);
  });

  test('anything else is an error with the valid values; a typo gets a suggestion', () => {
    expect(errorOf({ strict: 'yes' })).toBe(
      'jest-chaos: invalid testEnvironmentOptions.chaos.strict in the Jest config of /p: expected true or false, got the string "yes". Valid: strict: true (a chaos test whose rule matched no call, or whose request the loopback guard refused, fails) or strict: false.',
    );
    expect(errorOf({ strikt: true })).toContain('Did you mean "strict"?');
  });
});
