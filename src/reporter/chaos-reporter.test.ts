import type { Config } from '@jest/types';
import ChaosReporter from './chaos-reporter';
import { isReportError } from '../report/report-error';

const globalConfig = { rootDir: '/project' } as Config.GlobalConfig;
const VALID = 'Valid: { outputFile: "<path relative to rootDir>" or false (no JSON report), html: "<path relative to rootDir>" or false (no HTML report) }; both are optional.';

function optionsError(options: unknown): unknown {
  try {
    new ChaosReporter(globalConfig, options as never);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('reporter options', () => {
  test.each([undefined, {}, { outputFile: 'reports/chaos.json' }, { outputFile: false }, { html: 'reports/chaos.html' }, { outputFile: false, html: false }])('accepts %j', (options) => {
    expect(optionsError(options)).toBeUndefined();
  });

  test.each([
    [{ outputFile: '' }, `jest-chaos: invalid outputFile "" for jest-chaos/reporter in the Jest config "reporters". ${VALID}`],
    [{ outputFile: true }, `jest-chaos: invalid outputFile true for jest-chaos/reporter in the Jest config "reporters". ${VALID}`],
    [{ output: 'x.json' }, `jest-chaos: unknown option "output" for jest-chaos/reporter in the Jest config "reporters". ${VALID}`],
    [{ outputfile: 'x.json' }, `jest-chaos: unknown option "outputfile" (did you mean "outputFile"?) for jest-chaos/reporter in the Jest config "reporters". ${VALID}`],
    [{ htm: 'x.html' }, `jest-chaos: unknown option "htm" (did you mean "html"?) for jest-chaos/reporter in the Jest config "reporters". ${VALID}`],
    [{ html: true }, `jest-chaos: invalid html true for jest-chaos/reporter in the Jest config "reporters". ${VALID}`],
    ['x.json', `jest-chaos: invalid options for jest-chaos/reporter in the Jest config "reporters": expected an object, got "x.json". ${VALID}`],
  ])('refuses %j with a message that lists what is valid', (options, message) => {
    const error = optionsError(options);
    expect(isReportError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('ERR_CHAOS_REPORT_OPTIONS');
    expect((error as Error).message).toBe(message);
  });
});
