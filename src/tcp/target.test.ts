import { compileTcpTarget, tcpTargetProblem } from './target';

describe('compileTcpTarget', () => {
  test('*:port matches every host on that port, loopback included', () => {
    const target = compileTcpTarget('*:5432');
    expect(target.port).toBe(5432);
    for (const host of ['127.0.0.1', 'localhost', '::1', 'db.example.com', '10.0.0.5']) expect(target.matchesHost(host)).toBe(true);
  });

  test('a loopback host matches every spelling of loopback, and nothing else', () => {
    for (const text of ['127.0.0.1:6379', 'localhost:6379', '[::1]:6379']) {
      const target = compileTcpTarget(text);
      for (const host of ['127.0.0.1', 'localhost', 'LOCALHOST.', '::1', '[::1]', '127.0.0.2', '0.0.0.0']) expect([text, host, target.matchesHost(host)]).toEqual([text, host, true]);
      expect(target.matchesHost('10.0.0.1')).toBe(false);
      expect(target.matchesHost('db.example.com')).toBe(false);
    }
  });

  test('a named host matches that name, case-insensitively; a glob matches its names', () => {
    const exact = compileTcpTarget('db.internal:5432');
    expect(exact.matchesHost('DB.internal')).toBe(true);
    expect(exact.matchesHost('db.internal.')).toBe(true);
    expect(exact.matchesHost('cache.internal')).toBe(false);
    expect(exact.matchesHost('127.0.0.1')).toBe(false);
    const glob = compileTcpTarget('*.internal:5432');
    expect(glob.matchesHost('db.internal')).toBe(true);
    expect(glob.matchesHost('internal')).toBe(false);
  });

  test('an address matches that address', () => {
    const target = compileTcpTarget('10.1.2.3:5672');
    expect(target.matchesHost('10.1.2.3')).toBe(true);
    expect(target.matchesHost('10.1.2.30')).toBe(false);
    expect(compileTcpTarget('[fe80::1]:5672').matchesHost('FE80::1')).toBe(true);
  });
});

describe('tcpTargetProblem', () => {
  test.each(['*:1', 'a:65535', '127.0.0.1:6379', '[::1]:4222', '[::ffff:127.0.0.1]:80', 'db_1.internal:5432', '*.x:1'])('%s is valid', (text) => {
    expect(tcpTargetProblem(text)).toBeUndefined();
  });
});
