import { callTarget, ruleParts, ruleTarget } from './targets';

test.each([
  ['http', 'GET https://api.example.com/charge', { type: 'host', name: 'api.example.com' }],
  ['http', 'POST http://127.0.0.1:4010/orders?x=1', { type: 'host', name: '127.0.0.1:4010' }],
  ['db', 'pg query', { type: 'driver', name: 'pg' }],
  ['cache', 'ioredis SET ping', { type: 'driver', name: 'ioredis' }],
  ['db', 'db orders.findAsync', { type: 'seam', name: 'orders' }],
  ['cache', 'cache sessions.store.get', { type: 'seam', name: 'sessions.store' }],
  ['db', 'PaymentClient.charge', { type: 'seam', name: 'PaymentClient' }],
  ['tcp', 'connect 127.0.0.1:6379', { type: 'socket', name: '127.0.0.1:6379' }],
  ['tcp', 'write', { type: 'socket', name: 'write' }],
])('callTarget(%s, %s)', (domain, call, expected) => {
  expect(callTarget(domain, call)).toMatchObject(expected);
});

test.each([
  ['http.refused api.example.com p=0.5', { domain: 'http', kind: 'refused', type: 'host', name: 'api.example.com' }],
  ['http.status https://api.example.com:8443/v1/* status=503', { type: 'host', name: 'api.example.com:8443' }],
  ['db.down primary', { domain: 'db', kind: 'down', type: 'seam', name: 'primary' }],
  ['cache.error ioredis p=0.3', { type: 'driver', name: 'ioredis' }],
  ['http.refused * p=0.5', undefined],
  ['http.refused', undefined],
  ['db.down p=0.5', undefined],
  ['tcp.reset 127.0.0.1:5672', { domain: 'tcp', kind: 'reset', type: 'socket', name: '127.0.0.1:5672' }],
])('ruleTarget(%s)', (source, expected) => {
  if (expected === undefined) expect(ruleTarget(source)).toBeUndefined();
  else expect(ruleTarget(source)).toMatchObject(expected);
});

test('ruleParts reads domain, kind and target; anything else is undefined', () => {
  expect(ruleParts('http.timeout api.example.com times=1')).toEqual({ domain: 'http', kind: 'timeout', target: 'api.example.com' });
  expect(ruleParts('not a rule')).toBeUndefined();
});
