/**
 * What a user reads when a chaos test fails: Jest's printed failure (the error's frames and its code
 * frame) points at the user's code, never at jest-chaos's own files. Injected failures print like the
 * real ones (a real refused port beside an injected refusal, through fetch, axios and http.get), and
 * jest-chaos's own errors (a misused builder, the loopback guard, strict mode) show the user's line, or
 * no code frame where no user code is on the stack. Jest 29 and 30, chaos on, strict mode on, in a
 * loopback-only network namespace.
 *
 * The database and cache clients (stores.config.js: pg, mysql2, ioredis 5 and 6, node-redis 4, 5 and 6),
 * each fault kind produced for real on the live servers of this machine and injected by a rule: the
 * injected failure prints as the real one does, with no frame of jest-chaos, also when a client's own
 * error passes through jest-chaos's patch (the next call on an ioredis client that went down). They need
 * the live servers, so they run outside the loopback-only namespace, under Jest 30 only (their fixture
 * has a project per driver major, which the Jest 29 runner of jest-majors.ts does not rewrite).
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, runJest } from '../support/run-jest';
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
  'misused builder': 'marked line',
  'strict: a rule that matched nothing': 'none',
  'a failed expect before the first await': 'marked line',
  'a throw in a test without await': 'marked line',
};

/** Injected failures and the real ones they stand for: each pair prints alike. */
const PAIRS = ['fetch', 'axios', 'http.get'].map((client) => [`real refused: ${client}`, `injected refused: ${client}`] as const);

const { VERSIONS } = require('./fixtures/drivers/versions') as { VERSIONS: readonly { dir: string; driver: string; package: string }[] };

/**
 * The store cases by client, each kind a pair `real <kind>: <client>` and `injected <kind>: <client>`, and
 * where the real failure's code frame is: pg's promise API and mysql2/promise lead the error back to the
 * awaiting line; their callback APIs and the Redis clients report from the event loop (no code frame), but
 * for a call on an ioredis client that has already ended, which ioredis fails at once.
 */
const STORE_KINDS: Record<string, Record<string, 'marked line' | 'none'>> = {
  pg: { down: 'marked line', lost: 'marked line', timeout: 'marked line', error: 'marked line' },
  'pg pool': { error: 'marked line' },
  'pg callback': { error: 'none' },
  mysql2: { down: 'marked line', lost: 'marked line', timeout: 'marked line', error: 'marked line' },
  'mysql2 callback': { error: 'none' },
  ...Object.fromEntries(
    VERSIONS.map(({ dir, driver }) => [
      dir,
      driver === 'ioredis'
        ? { down: 'none', 'down, next call': 'marked line', 'down, retrying': 'none', lost: 'none', timeout: 'none', error: 'none' }
        : { down: 'none', lost: 'none', timeout: 'none', error: 'none' },
    ]),
  ),
};
const STORE_PAIRS = Object.entries(STORE_KINDS).flatMap(([client, kinds]) => Object.keys(kinds).map((kind) => [`real ${kind}: ${client}`, `injected ${kind}: ${client}`] as const));
const STORE_CASES = Object.entries(STORE_KINDS).flatMap(([client, kinds]) =>
  Object.entries(kinds).flatMap(([kind, where]) => [`real ${kind}: ${client}`, `injected ${kind}: ${client}`].map((name) => [name, where] as const)),
);

/** Each store project's node_modules holds its driver major under the driver's name, as in fixtures/drivers. */
function linkDrivers(): void {
  for (const version of VERSIONS) {
    const modules = path.join(FIXTURE, 'stores', version.dir, 'node_modules');
    const link = path.join(modules, version.driver);
    const target = path.relative(modules, path.join(__dirname, '..', '..', 'node_modules', version.package));
    mkdirSync(modules, { recursive: true });
    if (existsSync(link) || lstatSync(link, { throwIfNoEntry: false }) !== undefined) {
      if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === target) continue;
      unlinkSync(link);
    }
    symlinkSync(target, link, 'dir');
  }
}

/** Everything Jest printed for one test: each of its `● name` sections. */
function failureOf(output: string, name: string): string {
  const sections = output.split(/^ {2}● /m);
  return sections
    .filter((section) => section.startsWith(`chaos: ${name}\n`))
    .join('\n');
}

/** What Jest printed of the error itself in the first `● name` section: the lines above its frames and code frame, ports as `<port>`. */
function messageOf(output: string, name: string): string {
  const [section = ''] = output.split(/^ {2}● /m).filter((each) => each.startsWith(`chaos: ${name}\n`));
  const lines = section.split('\n').slice(1);
  const end = lines.findIndex((line) => /^\s+at /.test(line) || /^\s+>?\s*\d+ \|/.test(line));
  return (end === -1 ? lines : lines.slice(0, end))
    .map((line) => line.trim().replace(/:\d+\b/g, ':<port>'))
    .filter((line) => line !== '')
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

/** The case's failure as Jest printed it: no jest-chaos frame, and its code frame on the marked line or none. */
function expectWhereTheUserLooks(output: string, name: string, where: 'marked line' | 'none'): void {
  const failure = failureOf(output, name);
  expect(failure).not.toBe('');
  expect(ownLines(failure)).toEqual([]);
  const line = codeFrameLine(failure);
  if (where === 'none') expect(line).toBeUndefined();
  else expect(line).toContain(MARKER);
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
    expectWhereTheUserLooks(output, name, where);
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

/**
 * Jest's output for one file's failures, as compared between two runs: the `●` sections, without timings
 * and without the frames of nock's and the interceptors' own internals (the order in which nock starts
 * its playback of a request no mock matches differs by one step under jest-chaos, whose listener comes
 * first: the events the client sees are the same).
 */
function failureSections(output: string): string {
  const start = output.indexOf('  ● ');
  const end = output.search(/^Test Suites:/m);
  return output
    .slice(start, end === -1 ? undefined : end)
    .split('\n')
    .filter((line) => !(/^\s+at /.test(line) && INTERCEPTION_INTERNALS.test(line)))
    .join('\n')
    .trim();
}

const INTERCEPTION_INTERNALS = /node_modules\/(?:nock|@mswjs\/interceptors|@open-draft\/[\w.-]+)\//;

describe.each(MAJORS)('an ordinary test in a file that loads nock, Jest %i', (major) => {
  const ORDINARY = path.join(FIXTURE, 'ordinary');
  let chaos = '';
  let plain = '';
  beforeAll(async () => {
    const runs = await Promise.all([
      runJestMajor(major, ORDINARY, [], { CHAOS_ENABLED: '1' }, { json: false, loopbackOnly: true }),
      runJestMajor(major, ORDINARY, [], {}, { json: false, loopbackOnly: true, config: 'plain.config.js' }),
    ]);
    [chaos, plain] = runs.map((run) => run.stderr);
    expect(runs.map((run) => run.code)).toEqual([1, 1]);
  });

  test('fails as in plain Jest: the same messages, frames and code frames, no frame of jest-chaos', () => {
    expect(ownLines(chaos)).toEqual([]);
    expect(failureSections(chaos)).toBe(failureSections(plain));
    const marked = readFileSync(path.join(ORDINARY, 'nock-file.test.js'), 'utf8').split('\n').filter((line) => line.includes(MARKER));
    expect(marked).toHaveLength(3);
    for (const line of marked) expect(chaos).toContain(`| ${line}`);
  });
});

describe('database and cache clients, Jest 30', () => {
  let output = '';
  beforeAll(async () => {
    linkDrivers();
    const run = await runJest(FIXTURE, ['--config', 'stores.config.js'], { CHAOS_ENABLED: '1', CHAOS_STRICT: '1' }, { json: false });
    output = run.stderr;
    expect(run.code).toBe(1);
  });

  test.each(STORE_CASES)('%s: no jest-chaos frame, and the code frame where the user looks', (name, where) => {
    expectWhereTheUserLooks(output, name, where);
  });

  test.each(STORE_PAIRS)('%s and %s print the same message and the same kind of code frame', (real, injected) => {
    expect(messageOf(output, injected)).toBe(messageOf(output, real));
    expect(codeFrameLine(failureOf(output, injected)) === undefined).toBe(codeFrameLine(failureOf(output, real)) === undefined);
  });

  test('every marked line of the fixture is where a case points', () => {
    const sources = ['db/pg.test.js', 'db/mysql2.test.js', 'redis-cases.js'].map((file) => readFileSync(path.join(FIXTURE, 'stores', file), 'utf8'));
    const marked = sources.flatMap((source) => source.split('\n').filter((line) => line.includes(MARKER)).map((line) => line.trim()));
    const pointedAt = new Set(STORE_CASES.map(([name]) => codeFrameLine(failureOf(output, name))?.trim()));
    expect(marked.filter((line) => !pointedAt.has(line))).toEqual([]);
  });
});
