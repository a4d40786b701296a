/**
 * The loopback guard on every socket: while chaos is active, a connection to a host other than loopback is
 * refused whatever opens it (net, tls, http2, the undici package), in hooks too, with ERR_CHAOS_NET_CONNECT
 * naming host:port and the option that allows it. Every child runs in a network namespace with only
 * loopback up (`unshare -n`): no packet could leave even if the guard failed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, runJest, statuses, type JestRun } from '../support/run-jest';

jest.setTimeout(60_000);

const FIXTURE = path.join(FIXTURES, 'tcp', 'guard');

function failures(run: JestRun): string {
  return (run.json?.testResults ?? [])
    .flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)])
    .filter((text) => text !== '')
    .join('\n')
    .slice(0, 6000);
}

test('net, tls, http2 and undici connections outside loopback are refused, in hooks too; loopback and ordinary tests are left alone', async () => {
  const run = await runJest(FIXTURE, ['guard.test.js', 'guard-ordinary.test.js'], { CHAOS_ENABLED: '1', CHAOS_SEED: '3' }, { loopbackOnly: true });
  expect(failures(run)).toBe('');
  expect(statuses(run)).toEqual({
    'net.connect in beforeAll of a chaos suite is refused': 'passed',
    'chaos: net.connect, new net.Socket().connect(), an IPv6 address, a name (not looked up)': 'passed',
    'chaos: tls.connect': 'passed',
    'chaos: http2.connect': 'passed',
    'chaos: the undici package: request() and fetch()': 'passed',
    'chaos: loopback is reached: 127.0.0.1, localhost, 0.0.0.0 (refused by the closed port, not the guard)': 'passed',
    'a connection outside goes out as in plain Jest (in this namespace: no route)': 'passed',
  });
  // The refused connections of each test are in the report, as the guard's refused HTTP requests are.
  const report = JSON.parse(readFileSync(path.join(FIXTURE, 'chaos-report.json'), 'utf8')) as { tests: { name?: string; fullName?: string; refused?: string[] }[] };
  const refused = report.tests.flatMap((test) => test.refused ?? []);
  expect(refused).toEqual(
    expect.arrayContaining(['CONNECT tcp://192.0.2.1:5432', 'CONNECT tcp://192.0.2.1:6379', 'CONNECT tcp://[2001:db8::1]:443', 'CONNECT tcp://db.example.com:5432', 'CONNECT tcp://192.0.2.1:80', 'CONNECT tcp://192.0.2.1:443']),
  );
});

test('allowNetConnect lets an allowed host:port out, and only that port', async () => {
  const run = await runJest(FIXTURE, ['--config', 'jest.allow.config.js', 'guard-allowed.test.js'], { CHAOS_ENABLED: '1', CHAOS_SEED: '3' }, { loopbackOnly: true });
  expect(failures(run)).toBe('');
  expect(statuses(run)).toEqual({ 'chaos: an allowed host:port goes out (in this namespace: no route); another port is refused': 'passed' });
});

test('CHAOS_STRICT=1 fails a chaos test whose connection the guard refused', async () => {
  const run = await runJest(FIXTURE, ['guard-allowed.test.js', '--config', 'jest.allow.config.js'], { CHAOS_ENABLED: '1', CHAOS_SEED: '3', CHAOS_STRICT: '1' }, { loopbackOnly: true });
  expect(run.code).toBe(1);
  expect(failures(run)).toContain('strict mode: the loopback guard refused CONNECT tcp://192.0.2.1:80 in this test (ERR_CHAOS_NET_CONNECT)');
});
