import type { Config } from '@jest/types';
import ChaosReporter from './chaos-reporter';
import { isReportError } from '../report/report-error';

const globalConfig = { rootDir: '/project' } as Config.GlobalConfig;
const VALID = 'Valid: { outputFile: "<path relative to rootDir>" } or { outputFile: false } to write no JSON report.';

function optionsError(options: unknown): unknown {
  try {
    new ChaosReporter(globalConfig, options as never);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('reporter options', () => {
  test.each([undefined, {}, { outputFile: 'reports/chaos.json' }, { outputFile: false }])('accepts %j', (options) => {
    expect(optionsError(options)).toBeUndefined();
  });

  test.each([
    [{ outputFile: '' }, `jest-chaos: invalid outputFile "" for jest-chaos/reporter in the Jest config "reporters". ${VALID}`],
    [{ outputFile: true }, `jest-chaos: invalid outputFile true for jest-chaos/reporter in the Jest config "reporters". ${VALID}`],
    [{ output: 'x.json' }, `jest-chaos: unknown option "output" for jest-chaos/reporter in the Jest config "reporters". ${VALID}`],
    ['x.json', `jest-chaos: invalid options for jest-chaos/reporter in the Jest config "reporters": expected an object, got "x.json". ${VALID}`],
  ])('refuses %j with a message that lists what is valid', (options, message) => {
    const error = optionsError(options);
    expect(isReportError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('ERR_CHAOS_REPORT_OPTIONS');
    expect((error as Error).message).toBe(message);
  });
});
