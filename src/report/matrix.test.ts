import { buildReport } from './build';
import { applies, dependencyMatrix, splitPort } from './matrix';
import type { TestRecord } from '../runtime/file-chaos';
import type { ReportRun } from './schema';

const RUN: Omit<ReportRun, 'source'> = { baseSeed: 1, seedSource: 'CHAOS_SEED', enabled: true, tags: null, shard: null, startedAt: 's', endedAt: 'e', durationMs: 1, strict: false, chaosRuns: 1, commit: null, branch: null, versions: null };

function test_(fullName: string, status: 'passed' | 'failed', events: [string, string, string][], extra: Partial<TestRecord> = {}): TestRecord {
  return { fullName, chaos: true, status, seed: 1, rules: [], events: events.map(([domain, kind, call], i) => ({ seq: i + 1, rule: `${domain}.${kind}`, domain, kind, call })), replay: 'R', ...extra };
}

test('splitPort', () => {
  expect(splitPort('localhost:34513')).toEqual({ name: 'localhost', port: '34513' });
  expect(splitPort('[::1]:80')).toEqual({ name: '[::1]', port: '80' });
  expect(splitPort('api.example.com')).toEqual({ name: 'api.example.com', port: undefined });
});

test('rows per host (any port), driver and seam; a cell counts test runs by outcome; armed rules; refused hosts', () => {
  const report = buildReport({
    version: '1',
    run: RUN,
    records: [
      {
        testPath: '/p/a.test.js',
        relativePath: 'a.test.js',
        baseSeed: 1,
        seedPinned: false,
        chaosSuite: true,
        priority: undefined,
        tags: ['chaos'],
        tests: [
          test_('one', 'passed', [['http', 'timeout', 'GET http://localhost:40001/a'], ['http', 'timeout', 'GET http://localhost:40001/b'], ['db', 'down', 'pg query']]),
          test_('two', 'failed', [['http', 'timeout', 'GET http://localhost:40002/a'], ['cache', 'error', 'cache sessions.get']], { rules: ['http.dns api.example.com'], refused: ['GET http://other.example.com/x'] }),
        ],
      },
    ],
    skippedSuites: [],
    failedSuites: [],
    generatedAt: 'now',
  });
  const matrix = dependencyMatrix(report);
  expect(matrix.rows.map((row) => [row.type, row.name, row.ports, row.refused])).toEqual([
    ['host', 'api.example.com', [], 0],
    ['host', 'localhost', ['40001', '40002'], 0],
    ['host', 'other.example.com', [], 1],
    ['driver', 'pg', [], 0],
    ['seam', 'sessions', [], 0],
  ]);
  const localhost = matrix.rows[1]!;
  expect(localhost.cells.timeout).toEqual({ passed: 1, failed: 1, armed: 0, tests: ['a.test.js › one', 'a.test.js › two'] });
  expect(matrix.rows[0]?.cells.dns).toMatchObject({ passed: 0, failed: 0, armed: 1 });
  expect(matrix.rows[3]?.cells.down).toMatchObject({ passed: 1, failed: 0 });
  expect(matrix.rows[4]?.cells.error).toMatchObject({ passed: 0, failed: 1 });
  expect([applies('host', 'down'), applies('seam', 'status'), applies('seam', 'timeout'), applies('host', 'latency')]).toEqual([false, false, true, true]);
});
