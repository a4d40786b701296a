import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runJest, statuses, type JestRun } from '../support/run-jest';

const SEED = '4242';
const CHAOS = { CHAOS_ENABLED: '1', CHAOS_SEED: SEED };

interface RecordedEvent {
  readonly seq: number;
  readonly rule: string;
  readonly kind: string;
  readonly call: string;
  readonly delayMs?: number;
}

const tempDirs: string[] = [];

function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `jest-chaos-${label}-`));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Every recorded test's events, by file name (one file per test). */
function readEvents(dir: string): Record<string, RecordedEvent[]> {
  const result: Record<string, RecordedEvent[]> = {};
  for (const file of readdirSync(dir).sort()) result[file] = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as RecordedEvent[];
  return result;
}

function describeRun(run: JestRun): string {
  const failures = (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).filter((text) => text !== '');
  return `exit ${String(run.code)}\n${failures.join('\n').slice(0, 6000)}\n${run.stderr.slice(-3000)}`;
}

/** Splits a POSIX shell command line into words (single and double quotes, backslash escapes). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const ch = line.charAt(i);
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw new Error(`unterminated quote in ${line}`);
      current += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i++;
      while (i < line.length && line.charAt(i) !== '"') {
        if (line.charAt(i) === '\\' && i + 1 < line.length) i++;
        current += line.charAt(i);
        i++;
      }
      inWord = true;
      i++;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line.charAt(i + 1);
      inWord = true;
      i += 2;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      i++;
    } else {
      current += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(current);
  return words;
}

interface ReplayCommand {
  readonly env: Record<string, string>;
  readonly args: string[];
}

/** Parses `VAR=value ... npx jest <args>` into its environment and jest's arguments. */
function parseReplay(line: string): ReplayCommand {
  const words = shellWords(line);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? '')) {
    const word = words.shift() ?? '';
    const eq = word.indexOf('=');
    env[word.slice(0, eq)] = word.slice(eq + 1);
  }
  expect(words.slice(0, 2)).toEqual(['npx', 'jest']);
  return { env, args: words.slice(2) };
}

describe('HTTP faults end to end (child jest on fixtures/http)', () => {
  test('fidelity per client, every rule kind, pragma rules, p/times/method and composition with nock and local servers', async () => {
    const run = await runJest('http', ['fidelity.test.js', 'rules.test.js', 'frequency.test.js', 'composition.test.js', 'pragma.test.js'], CHAOS);
    const status = statuses(run);
    expect([run.code, describeRun(run)]).toEqual([0, expect.any(String)]);
    expect(run.json?.numFailedTests).toBe(0);

    const fidelity = ['http', 'https', 'fetch', 'axios', 'got'].flatMap((client) => ['refused', 'reset'].map((condition) => `chaos: ${client} ${condition} is shaped like the real failure`));
    for (const name of fidelity) expect([name, status[name]]).toEqual([name, 'passed']);

    const expected: string[] = [
      ...['http', 'axios', 'got'].map((client) => `timeout chaos: ${client} fails with ETIMEDOUT after ms`),
      'timeout chaos: fetch fails with fetch failed caused by UND_ERR_CONNECT_TIMEOUT',
      ...['http', 'axios', 'got'].map((client) => `dns chaos: ${client} fails with ENOTFOUND`),
      'dns chaos: fetch fails with fetch failed caused by ENOTFOUND getaddrinfo',
      ...['http', 'fetch', 'axios', 'got'].map((client) => `status chaos: ${client} gets the status with retry-after`),
      'status chaos: rule string with retry-after',
      ...['http', 'fetch', 'axios', 'got'].map((client) => `latency chaos: ${client} still reaches the server after the delay`),
      'latency chaos: a range delays within it',
      ...['http', 'fetch', 'axios', 'got'].map((client) => `malformed chaos: ${client} gets 200 with an unparsable body`),
      'hang chaos: axios ends only by its own timeout (ECONNABORTED)',
      'hang chaos: fetch ends only by its AbortSignal.timeout (TimeoutError)',
      'hang chaos: http ends only by its own timeout (socket hang up)',
      'hang chaos: got ends only by its own timeout (ETIMEDOUT), and the cut-off at test end hurts nobody',
      'hang chaos: the next test after a got hang runs normally',
      'chaos: p=0.3 faults about 30% of 200 requests',
      'chaos: times=3 faults exactly the first 3 calls',
      'chaos: times=3 as a rule string',
      'chaos: method=POST faults POST only',
      ...['fetch', 'axios', 'http', 'got'].map((client) => `chaos: ${client}: faults compose with nock scopes and local servers`),
      'chaos: patterns created in the test file work in nock: base path, path, query, headers, body, net connect',
      'chaos: the pragma rule faults every test of the file',
      'chaos: faulted requests never reach the server; unfaulted ones do',
      'chaos: an unmocked request to another host fails with an error naming it',
    ];
    for (const name of expected) expect([name, status[name]]).toEqual([name, 'passed']);
    expect(Object.keys(status)).toHaveLength(fidelity.length + expected.length);
  }, 60_000);

  test('no leaks: the test after one that passed, threw or timed out sees no fault and no nock scope', async () => {
    const run = await runJest('http', ['leaks.test.js'], CHAOS);
    expect(statuses(run)).toEqual({
      'chaos: A passes with faults and an unused nock scope': 'passed',
      'chaos: B after A passing sees no fault': 'passed',
      'chaos: A throws with faults and an unused nock scope': 'failed',
      'chaos: B after A throwing sees no fault': 'passed',
      'chaos: A times out on a hang fault': 'failed',
      'chaos: B after A timing out sees no fault': 'passed',
    });
    expect(run.code).toBe(1);
    const messages = (run.json?.testResults ?? []).flatMap((file) => file.assertionResults).filter((test) => test.status === 'failed').map((test) => test.failureMessages.join('\n'));
    expect(messages[0]).toContain('deliberate failure');
    expect(messages[1]).toContain('Exceeded timeout of 200 ms');
  }, 60_000);

  test('same seed gives the same fault sequences, another seed gives others', async () => {
    const dirs = [tempDir('same-a'), tempDir('same-b'), tempDir('other')] as const;
    const seeds = [SEED, SEED, '777'] as const;
    const runs = await Promise.all(dirs.map((dir, i) => runJest('http', ['determinism.test.js'], { CHAOS_ENABLED: '1', CHAOS_SEED: seeds[i], CHAOS_EVENTS_DIR: dir })));
    for (const run of runs) {
      expect([run.code, describeRun(run)]).toEqual([0, expect.any(String)]);
      expect(statuses(run)).toEqual({
        'chaos: first stream': 'passed',
        'chaos: second stream': 'passed',
        'chaos: third stream from a rule string': 'passed',
      });
    }
    const [a, b, other] = dirs.map(readEvents);
    expect(Object.keys(a ?? {})).toEqual(['first.json', 'second.json', 'third.json']);
    for (const events of Object.values(a ?? {})) {
      expect(events.length).toBeGreaterThan(0);
      expect(events.length).toBeLessThan(20);
    }
    expect(b).toEqual(a);
    for (const name of Object.keys(a ?? {})) expect(other?.[name]).not.toEqual(a?.[name]);
    // Two tests in one file draw from different streams.
    expect(a?.['first.json']?.map((e) => e.call)).not.toEqual(a?.['second.json']?.map((e) => e.call));
  }, 60_000);

  test('a failing chaos test prints a replay command that reruns it alone with the same faults', async () => {
    const firstDir = tempDir('replay-first');
    const first = await runJest('http', ['replay.test.js'], { ...CHAOS, CHAOS_EVENTS_DIR: firstDir });
    const failingName = "chaos: deliberately failing (it's [replayed]) here";
    expect(statuses(first)).toEqual({
      'chaos: passing neighbour': 'passed',
      [failingName]: 'failed',
      'chaos: another neighbour': 'passed',
    });
    expect(first.code).toBe(1);

    const lines = first.stderr.split('\n').map((line) => line.trim()).filter((line) => line.startsWith(`CHAOS_ENABLED=1 CHAOS_SEED=${SEED} npx jest `));
    expect(lines.length).toBeGreaterThan(0);
    const line = lines[0] ?? '';
    expect(line).toMatch(/^CHAOS_ENABLED=1 CHAOS_SEED=\d+ npx jest \S+ -t /);
    const replay = parseReplay(line);
    expect(replay.env).toEqual({ CHAOS_ENABLED: '1', CHAOS_SEED: SEED });
    expect(replay.args[0]).toBe('replay.test.js');
    expect(replay.args[1]).toBe('-t');
    expect(new RegExp(replay.args[2] ?? '').test(failingName)).toBe(true);

    const secondDir = tempDir('replay-second');
    const second = await runJest('http', replay.args, { ...replay.env, CHAOS_EVENTS_DIR: secondDir });
    const secondStatuses = statuses(second);
    expect(secondStatuses[failingName]).toBe('failed');
    expect(Object.entries(secondStatuses).filter(([, s]) => s === 'passed' || s === 'failed').map(([name]) => name)).toEqual([failingName]);
    expect(second.json?.numPassedTests).toBe(0);
    expect(second.json?.numFailedTests).toBe(1);
    expect(second.code).toBe(1);

    const before = readEvents(firstDir);
    const after = readEvents(secondDir);
    const failingKey = 'failing.json';
    expect(Object.keys(before)).toEqual(['another.json', failingKey, 'neighbour.json']);
    expect(Object.keys(after)).toEqual([failingKey]);
    expect(before[failingKey]?.length ?? 0).toBeGreaterThan(0);
    expect(after[failingKey]).toEqual(before[failingKey]);
  }, 60_000);
});

test('a test file that loads its own copy of nock (no nock mapping) is told so, once, on its first chaos test', async () => {
  const run = await runJest('nock-copy', [], CHAOS);
  expect(statuses(run)).toEqual({
    'a chaos test that uses the copy of nock the test file loaded itself': 'failed',
    'the next chaos test is not told again': 'passed',
  });
  const messages = (run.json?.testResults ?? []).flatMap((file) => file.assertionResults).flatMap((test) => test.failureMessages);
  expect(messages.join('\n')).toContain("jest-chaos: own-nock.test.js loaded a second copy of nock");
  expect(messages.join('\n')).toContain("moduleNameMapper: { '^nock$': 'jest-chaos/nock' }");
  expect(run.code).toBe(1);
}, 60_000);
