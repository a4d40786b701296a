/**
 * What a user reads when a chaos test fails: Jest's printed failure (the error's frames and its code
 * frame) points at the user's code, never at jest-chaos's own files. Injected failures print like the
 * real ones (a real refused port beside an injected refusal, through fetch, axios and http.get), and
 * jest-chaos's own errors (a misused builder, the loopback guard, strict mode) show the user's line, or
 * no code frame where no user code is on the stack. Jest 29 and 30, chaos on, strict mode on, in a
 * loopback-only network namespace.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../support/run-jest';
import { MAJORS, runJestMajor } from '../support/jest-majors';

jest.setTimeout(240_000);

const FIXTURE = path.join(FIXTURES, 'user-stacks');
const MARKER = '// fails here';

/** Where each case's code frame must point: the marked line of its test, or nowhere (the real failure has none). */
const CASES: Record<string, 'marked line' | 'none'> = {
  'real refused: fetch': 'marked line',
  'injected refused: fetch': 'marked line',
  'real refused: axios': 'marked line',
  'injected refused: axios': 'marked line',
  'real refused: http.get': 'none',
  'injected refused: http.get': 'none',
  'injected timeout: fetch': 'marked line',
  'injected status: axios': 'marked line',
  'guard: fetch': 'marked line',
  'guard: axios': 'marked line',
  'guard: http.get': 'none',
  'stub that throws': 'marked line',
  'stub that rejects': 'marked line',
  'pg down': 'marked line',
  'misused builder': 'marked line',
  'strict: a rule that matched nothing': 'none',
};

/** Injected failures and the real ones they stand for: each pair prints alike. */
const PAIRS = ['fetch', 'axios', 'http.get'].map((client) => [`real refused: ${client}`, `injected refused: ${client}`] as const);

/** Everything Jest printed for one test: each of its `● name` sections. */
function failureOf(output: string, name: string): string {
  const sections = output.split(/^ {2}● /m);
  return sections
    .filter((section) => section.startsWith(`chaos: ${name}\n`))
    .join('\n');
}

/** A path of jest-chaos's own: the built package in this repository, or the installed copy. */
const OWN_PATH = /(?:^|[\s(])(?:\.\.\/)*dist\/(?:src|environments)\/|node_modules\/jest-chaos\//;

/** The stack frames and code-frame source lines that name a jest-chaos file. */
function ownLines(failure: string): string[] {
  return failure.split('\n').filter((line) => (/^\s+at /.test(line) || /^\s+>?\s*\d+ \|/.test(line)) && OWN_PATH.test(line));
}

/** The source line that Jest's (first) code frame points at, or undefined when it prints none. */
function codeFrameLine(failure: string): string | undefined {
  return /^\s+> +\d+ \| (.*)$/m.exec(failure)?.[1];
}

const SOURCES = ['clients.test.js', 'seams.test.js'].map((file) => readFileSync(path.join(FIXTURE, file), 'utf8')).join('\n');

test('the fixture marks the line of every case that points at one', () => {
  const marked = SOURCES.split('\n').filter((line) => line.includes(MARKER)).length;
  expect(marked).toBe(Object.values(CASES).filter((where) => where === 'marked line').length);
});

describe.each(MAJORS)('Jest %i', (major) => {
  let output = '';
  beforeAll(async () => {
    const run = await runJestMajor(major, FIXTURE, [], { CHAOS_ENABLED: '1', CHAOS_STRICT: '1' }, { json: false, loopbackOnly: true });
    output = run.stderr;
    expect(run.code).toBe(1);
  });

  test.each(Object.entries(CASES))('%s: no jest-chaos frame, and the code frame where the user looks', (name, where) => {
    const failure = failureOf(output, name);
    expect(failure).not.toBe('');
    expect(ownLines(failure)).toEqual([]);
    const line = codeFrameLine(failure);
    if (where === 'none') expect(line).toBeUndefined();
    else expect(line).toContain(MARKER);
  });

  test.each(PAIRS)('%s and %s print the same message and the same kind of code frame', (real, injected) => {
    const [realFailure, injectedFailure] = [failureOf(output, real), failureOf(output, injected)];
    const firstLine = (failure: string) => failure.split('\n').find((line, index) => index > 0 && line.trim() !== '');
    expect(firstLine(injectedFailure)).toBe(firstLine(realFailure));
    expect(codeFrameLine(injectedFailure) === undefined).toBe(codeFrameLine(realFailure) === undefined);
  });

  test("jest-chaos's own errors keep what the user needs in their message", () => {
    expect(failureOf(output, 'misused builder')).toContain('jest-chaos: invalid delay the string "abc" for .latency() at seams.test.js:');
    expect(failureOf(output, 'guard: http.get')).toContain('ERR_CHAOS_NET_CONNECT');
    expect(failureOf(output, 'guard: http.get')).toContain('GET http://unmocked.example.com/profile was answered by no chaos rule');
    expect(failureOf(output, 'strict: a rule that matched nothing')).toMatch(/rule "http.timeout other.example.com" \(seams.test.js:\d+/);
  });
});
