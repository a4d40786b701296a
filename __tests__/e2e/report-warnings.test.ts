/**
 * A chaos test that tested nothing is visible (issue 9, points 2 and 3): rules that matched no call and
 * requests refused by the loopback guard are listed per test in the summary and in the JSON report; with
 * CHAOS_STRICT=1 or testEnvironmentOptions.chaos.strict they fail the test.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { docBlock } from '../support/doc-blocks';
import { FIXTURES, runJest, statuses } from '../support/run-jest';
import { reportSchema, type ChaosReport } from '../../src/report/schema';
import { validateAgainst } from '../../src/report/validate';

jest.setTimeout(60_000);

const FIXTURE = path.join(FIXTURES, 'report-warnings');
const REPORT = path.join(FIXTURE, 'chaos-report.json');
const ENABLED = { CHAOS_ENABLED: '1', CHAOS_SEED: '3', FORCE_COLOR: '0' };
const FALLS_BACK = 'chaos: falls back while testing nothing';
const DREW_NO = 'chaos: a rule that matched but whose p draw said no is not a warning';

afterAll(() => rmSync(REPORT, { force: true }));

function summaryOf(stderr: string): string {
  const start = stderr.lastIndexOf('\njest-chaos: ');
  return start === -1 ? '' : stderr.slice(start + 1).trimEnd();
}

test('the summary lists, per chaos test, the rules that matched no call and the requests the guard refused', async () => {
  const run = await runJest(FIXTURE, [], ENABLED);
  expect(run.code).toBe(0);
  expect(statuses(run)).toEqual({ [FALLS_BACK]: 'passed', [DREW_NO]: 'passed', 'ordinary tests never carry warnings': 'passed' });
  const summary = summaryOf(run.stderr);
  expect(summary.split('\n')[0]).toBe('jest-chaos: base seed 3; 2 chaos tests ran, 0 failed, 1 with warnings');
  expect(summary).toContain(
    [
      `  warnings  ${FALLS_BACK}  quotes.test.js`,
      '              rule matched no call: http.timeout other.example.com',
      '              refused by the loopback guard: GET http://api.example.com/quote',
      '            CHAOS_STRICT=1 fails chaos tests with warnings.',
    ].join('\n'),
  );
  expect(summary).not.toContain(`${DREW_NO}  live.test.js`);
  // docs/troubleshooting.md shows the head line and the warnings of this summary.
  const warnings = summary.slice(summary.indexOf('\n  warnings  ') + 1, summary.indexOf('\n', summary.indexOf('CHAOS_STRICT=1 fails chaos tests with warnings.')));
  expect(docBlock(__filename, 'docs/troubleshooting.md', 'warnings')).toBe(`${summary.split('\n')[0]}\n  ...\n${warnings}\n`);

  const report = JSON.parse(readFileSync(REPORT, 'utf8')) as ChaosReport;
  expect(validateAgainst(reportSchema, report)).toEqual([]);
  const byName = Object.fromEntries(report.tests.map((test) => [test.fullName, test]));
  expect(byName[FALLS_BACK]).toMatchObject({ unmatched: ['http.timeout other.example.com'], refused: ['GET http://api.example.com/quote'] });
  expect(byName[DREW_NO]).toMatchObject({ unmatched: [], refused: [] });
  expect(byName['ordinary tests never carry warnings']).toMatchObject({ unmatched: [], refused: [] });
  expect(report.runs[0]?.strict).toBe(false);
});

test('CHAOS_STRICT=1 fails the test that tested nothing, naming the rule and the request', async () => {
  const run = await runJest(FIXTURE, [], { ...ENABLED, CHAOS_STRICT: '1' });
  expect(run.code).toBe(1);
  expect(statuses(run)[FALLS_BACK]).toBe('failed');
  expect(statuses(run)[DREW_NO]).toBe('passed');
  const failure = run.json?.testResults.flatMap((file) => file.assertionResults).find((test) => test.fullName === FALLS_BACK)?.failureMessages.join('\n') ?? '';
  expect(failure).toContain('http.timeout other.example.com');
  expect(failure).toContain('GET http://api.example.com/quote');
  const summary = summaryOf(run.stderr);
  expect(summary).not.toContain('CHAOS_STRICT=1 fails chaos tests with warnings.');
  expect((JSON.parse(readFileSync(REPORT, 'utf8')) as ChaosReport).runs[0]?.strict).toBe(true);
});

test('testEnvironmentOptions.chaos.strict does the same', async () => {
  const run = await runJest(FIXTURE, ['--config', path.join(FIXTURE, 'jest.strict.config.js')], ENABLED);
  expect(run.code).toBe(1);
  expect(statuses(run)[FALLS_BACK]).toBe('failed');
  expect(statuses(run)[DREW_NO]).toBe('passed');
});
