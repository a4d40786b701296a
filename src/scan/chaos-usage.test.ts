import ts from 'typescript';
import { emptyUsage, readChaosUsage, readRule } from './chaos-usage';
import { FileIndex, ProjectIndex } from './resolver';

function usage(source: string, runs = true) {
  const project = new ProjectIndex(ts);
  const index = new FileIndex(ts, '/p/t.test.ts', ts.createSourceFile('/p/t.test.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
  project.add(index);
  const found = emptyUsage();
  readChaosUsage(ts, project, index, 't.test.ts', found, runs);
  return found;
}

test('pragmas, chaos.test rule lists (also through a const), builders and stubs', () => {
  const found = usage(
    [
      '/**',
      ' * @chaos http.timeout api.example.com ms=50',
      ' * @chaos db.down primary',
      ' * @chaos-priority B',
      ' */',
      "const RULES = ['cache.lost redis', 'http.status * status=500'];",
      "chaos.test('a', 'http.refused a.example.com', async () => {});",
      'chaos.describe.only("b", RULES, () => {});',
      "chaos.test('c', [], async () => { chaos.http('b.example.com').hang().times(2); chaos.http().dns(); chaos.stub(db, 'query').fail(new Error('x')); });",
    ].join('\n'),
  );
  expect(found.suites).toEqual([{ file: 't.test.ts', priority: 'B' }]);
  expect(found.faults.map((fault) => `${fault.source} ${fault.file}:${fault.line} ${fault.domain}.${fault.kind} ${fault.target} | ${fault.rule}`)).toEqual([
    'pragma t.test.ts:2 http.timeout api.example.com | http.timeout api.example.com ms=50',
    'pragma t.test.ts:3 db.down primary | db.down primary',
    'chaos.test t.test.ts:7 http.refused a.example.com | http.refused a.example.com',
    'chaos.test t.test.ts:8 cache.lost redis | cache.lost redis',
    'chaos.test t.test.ts:8 http.status * | http.status * status=500',
    'builder t.test.ts:9 http.hang b.example.com | http.hang b.example.com',
    'builder t.test.ts:9 http.dns * | http.dns *',
    "stub t.test.ts:9 stub.error query | chaos.stub(db, 'query').fail()",
  ]);
});

test('chaos.register seams with their methods', () => {
  const found = usage("const db = makeDb();\nchaos.register({ domain: 'db', name: 'primary', object: db, methods: ['findAccount', 'save'] });\nchaos.register({ domain: 'queue', name: 'x', object: db, methods: [] });");
  expect(found.seams).toEqual([{ domain: 'db', name: 'primary', methods: ['findAccount', 'save'], object: 'db', file: 't.test.ts', line: 2 }]);
});

test('an invalid rule is a warning naming file and line; a tcp rule is read by its shape', () => {
  const warnings: string[] = [];
  expect(readRule('http.timeuot x', 't.test.ts:3', warnings)).toBeUndefined();
  expect(warnings).toEqual(['invalid rule "http.timeuot x" in t.test.ts:3: unknown http fault "timeuot". Valid: timeout, hang, refused, reset, dns, status, latency, malformed. Did you mean "timeout"? (left out of the scan)']);
  expect(readRule('tcp.reset *:9092 ms=10', 'x', [])).toEqual({ domain: 'tcp', kind: 'reset', target: '*:9092' });
});

test('a file that Jest does not run declares no faults, only seams', () => {
  const found = usage("/**\n * @chaos http.timeout a.example.com\n */\nchaos.test('a', 'db.down x', () => {});\nchaos.register({ domain: 'cache', name: 'c', object: {}, methods: ['get'] });", false);
  expect(found.faults).toEqual([]);
  expect(found.suites).toEqual([]);
  expect(found.seams.map((seam) => seam.name)).toEqual(['c']);
});
