import { errorOf } from '../../__tests__/support/thrown';
import { parseCommandLine, type CommandLine } from './args';

class UsageError extends Error {}

const line: CommandLine<{ cwd: { type: 'string' }; json: { type: 'boolean' }; output: { type: 'string'; short: 'o' }; help: { type: 'boolean'; short: 'h' } }> = {
  command: 'jest-chaos demo',
  options: { cwd: { type: 'string' }, json: { type: 'boolean' }, output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
  placeholders: { cwd: '<dir>', output: '<file>' },
  positionals: false,
  error: (message) => new UsageError(message),
};
const VALID = 'Valid options: --cwd <dir>, --json, --output <file> (-o), --help (-h).';

const mistake = (argv: string[], positionals = false): Error => errorOf(() => parseCommandLine(argv, { ...line, positionals }));

describe('parseCommandLine', () => {
  test('returns what parseArgs returns: values, positionals, tokens', () => {
    const parsed = parseCommandLine(['--cwd', 'a', '--json', '-ox.json', 'r.json', '--', '--b'], { ...line, positionals: true });
    expect(parsed.values).toEqual({ cwd: 'a', json: true, output: 'x.json' });
    expect(parsed.positionals).toEqual(['r.json', '--b']);
    expect(parsed.tokens.filter((token) => token.kind === 'option').map((token) => token.name)).toEqual(['cwd', 'json', 'output']);
  });

  test("an unknown option: the command's error, naming it, listing the valid ones, with a did-you-mean when near", () => {
    const typo = mistake(['--jsn']);
    expect(typo).toBeInstanceOf(UsageError);
    expect(typo.message).toBe(`jest-chaos: unknown option "--jsn" in the jest-chaos demo command line. ${VALID} Did you mean "--json"?`);
    expect(mistake(['--yes']).message).toBe(`jest-chaos: unknown option "--yes" in the jest-chaos demo command line. ${VALID}`);
    expect(mistake(['-x']).message).toBe(`jest-chaos: unknown option "-x" in the jest-chaos demo command line. ${VALID}`);
  });

  test('a string option without a value, an empty one, or one followed by another option', () => {
    for (const argv of [['--cwd'], ['--cwd='], ['--cwd', '--json'], ['-o', '-h']]) {
      expect(mistake(argv).message).toMatch(/^jest-chaos: option --(cwd|output) in the jest-chaos demo command line needs a value: --(cwd <dir>|output <file>)\.$/);
    }
    expect(parseCommandLine(['--cwd=-dir', '--output', '-'], line).values).toEqual({ cwd: '-dir', output: '-' });
  });

  test('a boolean option with a value, and an argument where the command takes options only', () => {
    expect(mistake(['--json=yes']).message).toBe(`jest-chaos: option --json in the jest-chaos demo command line takes no value, but got "yes". ${VALID}`);
    expect(mistake(['report.json']).message).toBe(`jest-chaos: unexpected argument "report.json" in the jest-chaos demo command line: it takes options only. ${VALID}`);
  });
});
