import { errorOf } from '../../__tests__/support/thrown';
import { parseMergeArgs } from './merge';

describe('parseMergeArgs', () => {
  test('report files around the options, short and inline forms, files after --', () => {
    expect(parseMergeArgs(['a.json', '-o', 'm.json', 'b.json', '--json', '--allow-mixed-seeds', '--fail-on-failures', '--', '--c.json'])).toEqual({
      files: ['a.json', 'b.json', '--c.json'],
      output: 'm.json',
      html: undefined,
      json: true,
      allowMixedSeeds: true,
      failOnFailures: true,
      help: false,
    });
    expect(parseMergeArgs(['--output=x.json', 'a.json'])).toMatchObject({ files: ['a.json'], output: 'x.json', json: false });
  });

  test('of --html <file> and --no-html, the last one wins', () => {
    expect(parseMergeArgs(['a.json', '--html', 'r.html'])).toMatchObject({ html: 'r.html' });
    expect(parseMergeArgs(['a.json', '--html', 'r.html', '--no-html'])).toMatchObject({ html: false });
    expect(parseMergeArgs(['a.json', '--no-html', '--html=r.html'])).toMatchObject({ html: 'r.html' });
  });

  test('an unknown option is an ERR_CHAOS_MERGE error with the valid options and a did-you-mean', () => {
    const error = errorOf(() => parseMergeArgs(['--outptu', 'x.json']));
    expect([error.code, error.message]).toEqual([
      'ERR_CHAOS_MERGE',
      'jest-chaos: unknown option "--outptu" in the jest-chaos merge command line. Valid options: --output <file> (-o), --html <file>, --no-html, --json, --allow-mixed-seeds, --fail-on-failures, --help (-h). Did you mean "--output"?',
    ]);
  });
});
