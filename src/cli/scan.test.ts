import { errorOf } from '../../__tests__/support/thrown';
import { parseScanArgs } from './scan';

describe('parseScanArgs', () => {
  test('every option, --cwd resolved from the current directory, --fail-under in either case', () => {
    expect(parseScanArgs(['--json', '--report', 'r.json', '--write=test/chaos', '--fail-under', 'b', '--priorities', 'p.json', '--cwd', 'app'], '/work')).toEqual({
      json: true,
      report: 'r.json',
      write: 'test/chaos',
      failUnder: 'B',
      priorities: 'p.json',
      cwd: '/work/app',
      help: false,
    });
    expect(parseScanArgs(['-h'], '/work')).toMatchObject({ help: true, json: false, cwd: '/work', failUnder: undefined });
  });

  test('mistakes are ERR_CHAOS_SCAN errors that say what is valid', () => {
    expect(errorOf(() => parseScanArgs(['--fail-under', 'D'])).message).toBe('jest-chaos: option --fail-under is "D"; valid: A, B or C. Run `jest-chaos scan --help` for the options.');
    const error = errorOf(() => parseScanArgs(['src']));
    expect([error.code, error.message]).toEqual([
      'ERR_CHAOS_SCAN',
      'jest-chaos: unexpected argument "src" in the jest-chaos scan command line: it takes options only. Valid options: --json, --report <file>, --write <dir>, --fail-under <A|B|C>, --priorities <file>, --cwd <dir>, --help (-h).',
    ]);
  });
});
