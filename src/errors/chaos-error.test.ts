import { ChaosError, isChaosError, withoutOwnFrames } from './chaos-error';

describe('ChaosError', () => {
  test('prefixes the message once and carries its code and marker', () => {
    const error = new ChaosError('ERR_CHAOS_RULE', 'bad rule');
    expect(error.message).toBe('jest-chaos: bad rule');
    expect(new ChaosError('ERR_CHAOS_RULE', 'jest-chaos: bad rule').message).toBe('jest-chaos: bad rule');
    expect(error.code).toBe('ERR_CHAOS_RULE');
    expect(isChaosError(error)).toBe(true);
    expect(isChaosError(new Error('jest-chaos: x'))).toBe(false);
  });

  test('keeps only the user frames of its stack', () => {
    const stack = [
      'ChaosError: jest-chaos: bad rule',
      '    at fail (/pkg/dist/src/rules/parse.js:79:52)',
      '    at new FileChaos (/pkg/dist/src/runtime/file-chaos.js:48:41)',
      '    at Object.test (/project/orders.test.js:3:7)',
      '    at runTestInternal (/project/node_modules/jest-runner/build/index.js:167:23)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at async Promise.all (index 0)',
    ].join('\n');
    expect(withoutOwnFrames(stack, '/pkg/')).toBe(['ChaosError: jest-chaos: bad rule', '    at Object.test (/project/orders.test.js:3:7)', '    at async Promise.all (index 0)'].join('\n'));
  });

  test('its own stack has no frame of the package (here every frame is the package or node_modules)', () => {
    const error = new ChaosError('ERR_CHAOS_RULE', 'bad rule');
    expect(error.stack).toBe('ChaosError: jest-chaos: bad rule');
  });
});
