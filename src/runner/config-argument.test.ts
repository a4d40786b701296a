import { configArgument } from './config-argument';

const JEST_BIN = '/project/node_modules/.bin/jest';

test.each([
  [[JEST_BIN, '--config', 'jest.chaos.config.js'], 'jest.chaos.config.js'],
  [[JEST_BIN, '--config=ci/jest.config.ts', '--ci'], 'ci/jest.config.ts'],
  [[JEST_BIN, '-c', 'other.config.js', 'src/'], 'other.config.js'],
  [['/project/node_modules/jest/bin/jest.js', '-t', 'chaos', '--config', 'x.js'], 'x.js'],
  [['/project/node_modules/jest-cli/bin/jest.js', '--config', '{"rootDir":"."}'], '{"rootDir":"."}'],
  [[JEST_BIN, '--ci', 'src/'], undefined],
  [[JEST_BIN, '--testNamePattern', '--config'], undefined],
])('jest %j: %s', (args, expected) => {
  expect(configArgument(['/usr/bin/node', ...args])).toBe(expected);
});

test('a program that runs Jest through its API is not the jest command: its own --config is not Jest\'s', () => {
  expect(configArgument(['/usr/bin/node', '/project/scripts/run-tests.js', '--config', 'mine.json'])).toBeUndefined();
  expect(configArgument(['/usr/bin/node'])).toBeUndefined();
});
