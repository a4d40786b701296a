import { isChaosError } from '../errors/chaos-error';
import { builderMsText, checkBuilderTarget } from './builder';
import { errorOf } from '../../__tests__/support/thrown';

describe('checkBuilderTarget', () => {
  test('accepts one host, origin or URL glob', () => {
    for (const target of ['*', 'api.example.com', 'https://api.example.com/users/*', '127.0.0.1:3000', 'https://api.example.com/search?q=*']) {
      expect(() => checkBuilderTarget(target, 'chaos.http()', 'a.test.js:3')).not.toThrow();
    }
  });

  test('an option inside the target is an error naming the builder method for it', () => {
    const error = errorOf(() => checkBuilderTarget('a.example.com p=0', 'chaos.http()', 'a.test.js:3'));
    expect(isChaosError(error) && error.code).toBe('ERR_CHAOS_API');
    expect(error.message).toBe(
      'jest-chaos: invalid target "a.example.com p=0" for chaos.http() at a.test.js:3: "p=0" is an option, not part of a target. Valid: chaos.http(\'a.example.com\') and .probability(p) on the builder for p.',
    );
    expect(errorOf(() => checkBuilderTarget('api.example.com times=2', 'chaos.http()', 'a.test.js:3')).message).toContain('.times(n) on the builder for times');
    expect(errorOf(() => checkBuilderTarget('foo=bar', 'chaos.http()', 'a.test.js:3')).message).toContain("\"foo=bar\" is an option, not part of a target. Valid: one host, origin or URL glob, e.g. chaos.http('api.example.com'), or no argument for * (every upstream); options are set with the builder's methods.");
  });

  test('two targets, an empty one and a non-string are errors', () => {
    expect(errorOf(() => checkBuilderTarget('a.example.com b.example.com', 'chaos.http()', 'a.test.js:3')).message).toBe(
      'jest-chaos: invalid target "a.example.com b.example.com" for chaos.http() at a.test.js:3: a target has no spaces. Valid: one host, origin or URL glob, e.g. chaos.http(\'api.example.com\'), or no argument for * (every upstream); start one chaos.http() per target.',
    );
    expect(errorOf(() => checkBuilderTarget('  ', 'chaos.http()', 'a.test.js:3')).message).toContain('"  " for chaos.http() at a.test.js:3: the target is empty.');
    expect(errorOf(() => checkBuilderTarget(42, 'chaos.http()', 'a.test.js:3')).message).toContain('invalid target number 42 for chaos.http() at a.test.js:3: expected a string, got number 42.');
  });
});

describe('builderMsText', () => {
  test('a number or a [min, max] pair becomes the ms option', () => {
    expect(builderMsText(250, '.latency()', 'a.test.js:3')).toBe('250');
    expect(builderMsText([100, 500], '.latency()', 'a.test.js:3')).toBe('100-500');
  });

  test('anything else is an error that shows what was given', () => {
    expect(errorOf(() => builderMsText('abc', '.latency()', 'a.test.js:3')).message).toBe(
      'jest-chaos: invalid delay the string "abc" for .latency() at a.test.js:3: expected milliseconds. Valid: a whole number of milliseconds, e.g. .latency(250), or a [min, max] pair, e.g. .latency([100, 500]).',
    );
    for (const bad of [NaN, Infinity, [1], [1, 2, 3], ['1', '2'], null, {}]) expect(isChaosError(errorOf(() => builderMsText(bad, '.latency()', 'a.test.js:3')))).toBe(true);
  });
});
