/**
 * Ordinary tests behave exactly as in plain Jest, chaos on or off (CONTRACT section 5).
 *
 * The fixture `fixtures/ordinary` holds test files without any chaos pragma or chaos call, written the way
 * real suites use nock, fetch, axios and node http: requests started while a describe block is collected,
 * requests fired and never awaited, persisted and handed-over scopes, `nock.cleanAll()` in a test, net
 * connect changed in hooks and tests, `nock.restore()` after each file, nock.back, and tests that fail.
 * It runs three ways on each Jest major: plain Jest (no preset), jest-chaos with chaos off, jest-chaos
 * with chaos on. Every test must end with the same status and the same failure messages in all three.
 *
 * The files run in band, in name order, so that what one file leaves behind meets the next one.
 */
import path from 'node:path';
import { canIsolateNetwork, jest29Home, MAJORS, runJestMajor, type JestMajor } from '../support/jest-majors';
import { FIXTURES, type JestRun } from '../support/run-jest';

jest.setTimeout(120_000);

const FIXTURE = path.join(FIXTURES, 'ordinary');
const REPO = path.resolve(__dirname, '..', '..');
const MODES = ['plain', 'chaos off', 'chaos on'] as const;
type Mode = (typeof MODES)[number];

/** How each mode runs the fixture. */
const HOW: Record<Mode, { readonly config: string; readonly env: Record<string, string> }> = {
  plain: { config: 'jest.plain.config.js', env: {} },
  'chaos off': { config: 'jest.config.js', env: {} },
  'chaos on': { config: 'jest.config.js', env: { CHAOS_ENABLED: '1', CHAOS_SEED: '1' } },
};

interface TestOutcome {
  readonly status: string;
  readonly failures: readonly string[];
}

interface Outcome {
  readonly code: number | null;
  /** `<file> › <full name>` -> status and failure messages. */
  readonly tests: Record<string, TestOutcome>;
  /** Files that could not run, with Jest's message. */
  readonly brokenFiles: Record<string, string>;
}

/**
 * A failure message without what differs between two correct runs: stack frames (jest-chaos's own
 * frames are not the user's concern, and node_modules live elsewhere under Jest 29) and absolute paths.
 */
function normalise(message: string, jest29: string): string {
  return message
    .split(FIXTURE)
    .join('<fixture>')
    .split(jest29)
    .join('<jest29>')
    .split(REPO)
    .join('<repo>')
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function outcomeOf(what: string, run: JestRun, jest29: string): Outcome {
  if (run.json === undefined) throw new Error(`${what}: the child Jest printed no --json result (exit ${String(run.code)}):\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-4000)}`);
  const tests: Record<string, TestOutcome> = {};
  const brokenFiles: Record<string, string> = {};
  for (const file of run.json.testResults) {
    const name = path.relative(FIXTURE, file.name);
    if (file.assertionResults.length === 0) brokenFiles[name] = normalise(file.message, jest29);
    for (const test of file.assertionResults) {
      tests[`${name} › ${test.fullName}`] = { status: test.status, failures: test.failureMessages.map((text) => normalise(text, jest29)) };
    }
  }
  return { code: run.code, tests, brokenFiles };
}

/** The tests whose status or failure messages differ between two outcomes, one line each. */
function differences(expected: Outcome, actual: Outcome): string[] {
  const lines: string[] = [];
  if (expected.code !== actual.code) lines.push(`exit code: ${String(expected.code)} -> ${String(actual.code)}`);
  for (const key of new Set([...Object.keys(expected.tests), ...Object.keys(actual.tests)])) {
    const want = expected.tests[key];
    const got = actual.tests[key];
    if (want === undefined || got === undefined) lines.push(`${key}: ${want === undefined ? 'only in this run' : 'missing from this run'}`);
    else if (want.status !== got.status) lines.push(`${key}: ${want.status} -> ${got.status}: ${(got.failures[0] ?? '').split('\n').slice(0, 3).join(' / ')}`);
    else if (JSON.stringify(want.failures) !== JSON.stringify(got.failures)) lines.push(`${key}: failure message differs: ${JSON.stringify(want.failures).slice(0, 300)} -> ${JSON.stringify(got.failures).slice(0, 300)}`);
  }
  for (const file of new Set([...Object.keys(expected.brokenFiles), ...Object.keys(actual.brokenFiles)])) {
    if (expected.brokenFiles[file] !== actual.brokenFiles[file]) lines.push(`${file}: could not run: ${String(actual.brokenFiles[file] ?? expected.brokenFiles[file]).slice(0, 500)}`);
  }
  return lines;
}

const outcomes = {} as Record<JestMajor, Record<Mode, Outcome>>;

beforeAll(async () => {
  const jest29 = await jest29Home();
  // Requests that interception fails to catch must not leave the machine: where it can, every child runs
  // with loopback as its only network (the fixture's hosts are under .invalid, its setup file disables net
  // connect, and the file after nock.restore() mocks a loopback port nobody listens on).
  if (!(await canIsolateNetwork())) process.stderr.write('ordinary-corpus: no network namespace here (needs root and unshare); the children run with the host network.\n');
  const jobs = MAJORS.flatMap((major) => MODES.map((mode) => ({ major, mode })));
  const runs = await Promise.all(jobs.map(({ major, mode }) => runJestMajor(major, FIXTURE, ['--runInBand'], HOW[mode].env, { config: HOW[mode].config, loopbackOnly: true })));
  jobs.forEach(({ major, mode }, i) => {
    outcomes[major] ??= {} as Record<Mode, Outcome>;
    outcomes[major][mode] = outcomeOf(`Jest ${major}, ${mode}`, runs[i] as JestRun, jest29);
  });
}, 300_000);

describe.each(MAJORS)('Jest %s', (major) => {
  test('plain Jest: the corpus passes, but for the tests that are meant to fail', () => {
    const plain = outcomes[major].plain;
    const statuses = Object.fromEntries(Object.entries(plain.tests).map(([name, test]) => [name, test.status]));
    const expected = Object.fromEntries(Object.keys(plain.tests).map((name) => [name, name.includes('fails in plain Jest') ? 'failed' : 'passed']));
    expect(statuses).toEqual(expected);
    expect(Object.keys(statuses).length).toBeGreaterThanOrEqual(41);
    expect(Object.values(statuses).filter((status) => status === 'failed')).toHaveLength(7);
    expect(plain.brokenFiles).toEqual({});
    expect(plain.code).toBe(1);
  });

  test.each(['chaos off', 'chaos on'] as const)('%s: every test ends as in plain Jest, with the same failure messages', (mode) => {
    const plain = outcomes[major].plain;
    const run = outcomes[major][mode];
    expect(differences(plain, run)).toEqual([]);
    expect(run).toEqual(plain);
  });
});

test('both majors give every test the same status, in every mode', () => {
  const statuses = (major: JestMajor) => Object.fromEntries(MODES.map((mode) => [mode, Object.fromEntries(Object.entries(outcomes[major][mode].tests).map(([name, test]) => [name, test.status]))]));
  expect(statuses(29)).toEqual(statuses(30));
});
