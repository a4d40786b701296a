import { isChaosError } from '../errors/chaos-error';
import { TEST_NAME_PATTERN_VARIABLE } from '../selection/chaos-request';
import { enabledByLine, readSettings } from './env';
import { errorOf } from '../../__tests__/support/thrown';

describe('readSettings: a run that asks for chaos tests', () => {
  test('turns chaos on when CHAOS_ENABLED is unset or blank, and says what asked', () => {
    for (const CHAOS_ENABLED of [undefined, '', '  ']) {
      const settings = readSettings({ CHAOS_ENABLED, [TEST_NAME_PATTERN_VARIABLE]: 'chaos' });
      expect(settings.enabled).toBe(true);
      expect(settings.enabledBy).toEqual({ by: '--testNamePattern', text: 'chaos' });
    }
    const byTags = readSettings({ CHAOS_TAGS: 'chaos and not slow' });
    expect([byTags.enabled, byTags.enabledBy]).toEqual([true, { by: 'CHAOS_TAGS', text: 'chaos and not slow' }]);
    expect(enabledByLine(byTags.enabledBy!)).toBe('jest-chaos: chaos enabled for this run because CHAOS_TAGS="chaos and not slow" asks for chaos tests and CHAOS_ENABLED is unset.');
  });

  test('leaves CHAOS_ENABLED=1 in charge, with no reason to print', () => {
    const settings = readSettings({ CHAOS_ENABLED: '1', [TEST_NAME_PATTERN_VARIABLE]: 'chaos' });
    expect([settings.enabled, settings.enabledBy]).toEqual([true, undefined]);
  });

  test('a pattern that does not ask leaves chaos off', () => {
    const settings = readSettings({ [TEST_NAME_PATTERN_VARIABLE]: 'checkout' });
    expect([settings.enabled, settings.enabledBy]).toEqual([false, undefined]);
  });

  test('with CHAOS_ENABLED set to off, it is an error naming the conflict', () => {
    const error = errorOf(() => readSettings({ CHAOS_ENABLED: 'no', [TEST_NAME_PATTERN_VARIABLE]: '^chaos' }));
    expect(isChaosError(error) && error.code).toBe('ERR_CHAOS_ENV');
    expect(error.message).toBe(
      'jest-chaos: conflicting settings in the environment: CHAOS_ENABLED=no turns chaos off, but --testNamePattern "^chaos" asks for chaos tests (it matches the "chaos: " prefix of their names), which would all be skipped. Unset CHAOS_ENABLED or set it to 1 to run them, or change the pattern.',
    );
  });
});

describe('readSettings: CHAOS_STRICT', () => {
  test('takes the same switch values as CHAOS_ENABLED', () => {
    expect(readSettings({}).strict).toBe(false);
    expect(readSettings({ CHAOS_STRICT: '1' }).strict).toBe(true);
    expect(readSettings({ CHAOS_STRICT: 'Yes' }).strict).toBe(true);
    expect(readSettings({ CHAOS_STRICT: 'off' }).strict).toBe(false);
  });

  test('any other value is an error listing the valid ones', () => {
    expect(errorOf(() => readSettings({ CHAOS_STRICT: 'strict' })).message).toBe(
      'jest-chaos: invalid CHAOS_STRICT="strict" in the environment: not a switch value. Valid: 1, true, yes, on to enable strict mode; 0, false, no, off or unset to disable it.',
    );
  });
});
