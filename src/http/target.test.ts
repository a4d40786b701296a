import { compileTarget, isLoopback } from './target';

const matches = (target: string, url: string): boolean => compileTarget(target)(new URL(url));

describe('compileTarget', () => {
  test('a scheme-less target with a path is a URL glob over http and https', () => {
    expect(matches('api.example.com/users/*', 'https://api.example.com/users/7')).toBe(true);
    expect(matches('api.example.com/users/*', 'http://api.example.com/users/7?x=1')).toBe(true);
    expect(matches('api.example.com/users/*', 'https://api.example.com/orders/7')).toBe(false);
    expect(matches('api.example.com/users/*', 'https://other.example.com/users/7')).toBe(false);
    expect(matches('*.example.com/v1/*', 'https://eu.example.com/v1/rates')).toBe(true);
  });

  test('a scheme-less URL glob with a port or a query string', () => {
    expect(matches('api.example.com:8443/users/*', 'https://api.example.com:8443/users/7')).toBe(true);
    expect(matches('api.example.com:8443/users/*', 'https://api.example.com/users/7')).toBe(false);
    expect(matches('api.example.com/search?q=*', 'https://api.example.com/search?q=chaos')).toBe(true);
    expect(matches('api.example.com/search?q=*', 'https://api.example.com/search?page=2')).toBe(false);
    expect(matches('[::1]:8080/x', 'http://[::1]:8080/x')).toBe(true);
  });

  test('a host with a trailing "/" is the whole host, as an origin with "/" is', () => {
    expect(matches('api.example.com/', 'https://api.example.com/deep/path')).toBe(true);
  });

  test('host, host:port, origin and URL glob targets as before', () => {
    expect(matches('api.example.com', 'http://API.example.com/x')).toBe(true);
    expect(matches('api.example.com:8443', 'https://api.example.com/x')).toBe(false);
    expect(matches('https://api.example.com', 'http://api.example.com/x')).toBe(false);
    expect(matches('https://api.example.com/users/*', 'https://api.example.com/users/1')).toBe(true);
  });
});

describe('loopback and *', () => {
  const LOOPBACK_URLS = ['http://127.0.0.1:3000/', 'http://localhost/', 'http://LOCALHOST./x', 'http://127.5.6.7/', 'http://[::1]:8080/', 'http://0.0.0.0:3000/', 'http://[::]/', 'http://[::ffff:127.0.0.1]/', 'http://app.localhost/'];

  test('isLoopback: localhost, 127.0.0.0/8, ::1, their mapped forms and the unspecified addresses', () => {
    for (const url of LOOPBACK_URLS) expect([url, isLoopback(new URL(url).hostname)]).toEqual([url, true]);
    for (const host of ['api.example.com', '128.0.0.1', '10.0.0.1', '[::2]', 'localhost.example.com', '[::ffff:10.0.0.1]', '1.0.0.0']) expect([host, isLoopback(host)]).toEqual([host, false]);
  });

  test('a target whose host is * and that names no port never matches loopback', () => {
    for (const target of ['*', '*/health', '*.*', 'http://*', 'https://*/x/*', '*/*']) {
      for (const url of LOOPBACK_URLS) expect([target, url, matches(target, url.replace(/\/x$|\/$/, '/x/health'))]).toEqual([target, url, false]);
    }
    expect(matches('*', 'https://api.example.com/')).toBe(true);
    expect(matches('*/health', 'http://api.example.com/health')).toBe(true);
    expect(matches('http://*', 'http://10.1.2.3/')).toBe(true);
  });

  test('a target naming a loopback host or a port matches loopback', () => {
    expect(matches('127.0.0.1', 'http://127.0.0.1:3000/')).toBe(true);
    expect(matches('localhost', 'http://localhost:3000/')).toBe(true);
    expect(matches('*.localhost', 'http://app.localhost/')).toBe(true);
    expect(matches('*:3000', 'http://127.0.0.1:3000/')).toBe(true);
    expect(matches('*:3000', 'http://127.0.0.1:3001/')).toBe(false);
    expect(matches('http://*:3000', 'http://localhost:3000/')).toBe(true);
    expect(matches('http://localhost:3000/api/*', 'http://localhost:3000/api/x')).toBe(true);
    expect(matches('0.0.0.0', 'http://0.0.0.0:80/')).toBe(true);
  });
});
