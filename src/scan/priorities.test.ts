import type { Handling } from './handling';
import { better, DEFAULT_PRIORITY_CONFIG, gap, rankSubject, readPriorityConfig, type Subject } from './priorities';

const subject = (overrides: Partial<Subject> = {}): Subject => ({
  file: 'src/a.ts',
  line: 3,
  enclosing: [],
  handling: [],
  write: false,
  transaction: false,
  idempotencyKey: false,
  texts: [{ where: 'file', text: 'src/a.ts' }],
  ...overrides,
});
const retry: Handling = { kind: 'retry', line: 7, detail: 'retry loop', via: 'Client.get' };

describe('rankSubject', () => {
  const rank = (overrides: Partial<Subject>, domain = 'http', kind = 'timeout') => rankSubject(subject(overrides), domain, kind, DEFAULT_PRIORITY_CONFIG);

  test('A: money words in the function, URL, SQL or path', () => {
    expect(rank({ enclosing: ['Billing', 'chargeCard'], texts: [{ where: 'function', text: 'Billing.chargeCard' }] })).toEqual({
      priority: 'A',
      signal: 'financial-words',
      because: 'src/a.ts:3 in Billing.chargeCard(): Billing.chargeCard() names "charge"',
    });
    expect(rank({ texts: [{ where: 'sql', text: 'UPDATE accounts SET balance = 1' }] }, 'db', 'lost').because).toBe('src/a.ts:3: its SQL names "balance"');
  });

  test('B: a write in a transaction for the kinds that break it half way; an idempotency key', () => {
    expect(rank({ write: true, transaction: true }, 'db', 'lost')).toMatchObject({ priority: 'B', signal: 'transaction-write' });
    expect(rank({ write: true, transaction: true }, 'db', 'down')).toMatchObject({ priority: 'C', signal: 'default' });
    expect(rank({ idempotencyKey: true }, 'http', 'reset')).toMatchObject({ priority: 'B', signal: 'idempotency-key' });
    expect(rank({ idempotencyKey: true }, 'http', 'dns')).toMatchObject({ priority: 'C', signal: 'default' });
  });

  test('C: retry or fallback code for the kinds that take that path; self-repair words', () => {
    expect(rank({ handling: [retry] }, 'http', 'refused')).toEqual({ priority: 'C', signal: 'self-repair-code', because: 'src/a.ts:3: retries (retry loop in Client.get() at line 7)' });
    expect(rank({ handling: [retry] }, 'http', 'latency')).toMatchObject({ signal: 'default' });
    expect(rank({ texts: [{ where: 'function', text: 'reconnectLoop' }] })).toMatchObject({ priority: 'C', signal: 'self-repair-words' });
  });

  test('paths override every signal; the default priority is configurable', () => {
    const config = readPriorityConfig({ paths: { 'src/legacy/**': 'C' }, default: 'B' }, 'x');
    expect(rankSubject(subject({ file: 'src/legacy/pay.ts', texts: [{ where: 'function', text: 'pay' }] }), 'http', 'timeout', config)).toMatchObject({ priority: 'C', signal: 'path' });
    expect(rankSubject(subject(), 'http', 'timeout', config)).toMatchObject({ priority: 'B', signal: 'default' });
  });

  test('within a priority, what the code does beats what it is named', () => {
    expect(better({ priority: 'B', signal: 'transaction-write', because: '' }, { priority: 'B', signal: 'consistency-words', because: '' })).toBe(true);
    expect(better({ priority: 'C', signal: 'self-repair-code', because: '' }, { priority: 'B', signal: 'consistency-words', because: '' })).toBe(false);
  });
});

test('gap names what the kind meets: no timeout, no error handling', () => {
  expect(gap('timeout', [])).toBe('with no timeout');
  expect(gap('timeout', [{ kind: 'abort-signal', line: 1, detail: '' }])).toBe('');
  expect(gap('refused', [{ kind: 'catch', line: 1, detail: '' }])).toBe('');
  expect(gap('lost', [retry])).toBe('with no error handling');
});

describe('readPriorityConfig', () => {
  test('a list adds words, { words, replace } replaces them', () => {
    expect(readPriorityConfig({ A: ['ledger-entry'] }, 'x').words.A).toContain('charge');
    expect(readPriorityConfig({ A: ['ledger-entry'] }, 'x').words.A).toContain('ledger-entry');
    expect(readPriorityConfig({ A: { words: ['carrier'], replace: true } }, 'x').words.A).toEqual(['carrier']);
  });

  test('mistakes name the source, what is valid and the near miss', () => {
    expect(() => readPriorityConfig({ path: {} }, 'package.json')).toThrow(
      'jest-chaos: invalid scan priorities in package.json: unknown key "path". Valid: { "A": [words], "B": [words], "C": [words], "paths": { "<glob>": "A" | "B" | "C" }, "default": "A" | "B" | "C" }. Did you mean "paths"?',
    );
    expect(() => readPriorityConfig({ paths: { 'src/**': 'D' } }, 'p.json')).toThrow('jest-chaos: invalid scan priorities in p.json: "paths" gives "D" for "src/**". Valid priorities: A, B, C');
    expect(() => readPriorityConfig({ A: 'money' }, 'p.json')).toThrow(/"A" must be a list of words/);
    expect(() => readPriorityConfig([], 'p.json')).toThrow(/expected an object, got an array/);
    expect(() => readPriorityConfig({ default: 'a' }, 'p.json')).toThrow(/"default" is "a"/);
  });
});
