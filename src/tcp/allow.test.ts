import { compileSocketAllow } from './allow';

describe('compileSocketAllow: allowNetConnect entries read for sockets (no connection is made)', () => {
  test.each([
    ['api.example.com', 'api.example.com', 443, true],
    ['api.example.com', 'API.example.com', 5432, true],
    ['api.example.com', 'other.example.com', 443, false],
    ['*.example.com', 'db.example.com', 5432, true],
    ['db.example.com:5432', 'db.example.com', 5432, true],
    ['db.example.com:5432', 'db.example.com', 5433, false],
    ['https://api.example.com', 'api.example.com', 443, true],
    ['https://api.example.com', 'api.example.com', 80, false],
    ['http://api.example.com', 'api.example.com', 80, true],
    ['https://api.example.com:8443/users/*', 'api.example.com', 8443, true],
    ['api.example.com/users/*', 'api.example.com', 443, true],
    ['[2001:db8::1]:443', '2001:db8::1', 443, true],
    ['10.0.0.*', '10.0.0.7', 6379, true],
  ])('%s allows %s:%s: %s', (entry, host, port, allowed) => {
    expect(compileSocketAllow(entry)(host, port)).toBe(allowed);
  });
});
