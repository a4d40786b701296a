import { compileTarget } from './target';

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
