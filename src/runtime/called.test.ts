import { CalledDependencies, MAX_CALLED, MAX_CALLED_METHODS } from './called';

test('counts calls per dependency: HTTP origins with their port, drivers, seams with their methods, sockets', () => {
  const called = new CalledDependencies();
  called.http(new URL('https://api.example.com/a'));
  called.http(new URL('https://api.example.com:443/b?x=1'));
  called.http(new URL('http://[::1]:8080/'));
  called.add('driver', 'db', 'pg');
  called.add('seam', 'db', 'orders', 'find');
  called.add('seam', 'db', 'orders', 'save');
  called.add('seam', 'db', 'orders', 'find');
  called.socket('127.0.0.1', 6379);
  called.socket('::1', 5432);
  expect(called.list()).toEqual([
    { type: 'host', domain: 'http', name: 'https://api.example.com:443', calls: 2 },
    { type: 'host', domain: 'http', name: 'http://[::1]:8080', calls: 1 },
    { type: 'driver', domain: 'db', name: 'pg', calls: 1 },
    { type: 'seam', domain: 'db', name: 'orders', calls: 3, methods: ['find', 'save'] },
    { type: 'socket', domain: 'tcp', name: '127.0.0.1:6379', calls: 1 },
    { type: 'socket', domain: 'tcp', name: '[::1]:5432', calls: 1 },
  ]);
  expect(called.overflow).toBe(0);
});

test('the socket an HTTP request of the test opens is that request, not a second dependency', () => {
  const called = new CalledDependencies();
  called.http(new URL('http://127.0.0.1:40001/x'));
  called.http(new URL('http://[::1]:40002/x'));
  called.socket('127.0.0.1', 40001);
  called.socket('::1', 40002);
  called.socket('127.0.0.1', 40003);
  expect(called.list().map((entry) => entry.name)).toEqual(['http://127.0.0.1:40001', 'http://[::1]:40002', '127.0.0.1:40003']);
});

test(`keeps at most ${MAX_CALLED} dependencies and ${MAX_CALLED_METHODS} methods per seam; further calls are only counted`, () => {
  const called = new CalledDependencies();
  for (let i = 0; i < MAX_CALLED + 5; i++) called.http(new URL(`https://host-${i}.example.com/`));
  called.http(new URL('https://host-0.example.com/again'));
  called.http(new URL('https://host-40.example.com/again'));
  const list = called.list();
  expect(list).toHaveLength(MAX_CALLED);
  expect(list[0]).toEqual({ type: 'host', domain: 'http', name: 'https://host-0.example.com:443', calls: 2 });
  expect(called.overflow).toBe(6);

  const seam = new CalledDependencies();
  for (let i = 0; i < MAX_CALLED_METHODS + 3; i++) seam.add('seam', 'cache', 'sessions', `m${i}`);
  expect(seam.list()[0]?.methods).toHaveLength(MAX_CALLED_METHODS);
  expect(seam.list()[0]?.calls).toBe(MAX_CALLED_METHODS + 3);
});

test('calls in a row and interleaved count alike: same name in another domain or type is another dependency', () => {
  const called = new CalledDependencies();
  for (const [type, domain, name] of [
    ['driver', 'cache', 'ioredis'],
    ['driver', 'cache', 'ioredis'],
    ['seam', 'cache', 'ioredis'],
    ['driver', 'db', 'ioredis'],
    ['driver', 'cache', 'ioredis'],
    ['driver', 'db', 'pg'],
    ['driver', 'cache', 'ioredis'],
  ] as const) {
    called.add(type, domain, name);
  }
  expect(called.list().map(({ type, domain, name, calls }) => `${type} ${domain} ${name} ${calls}`)).toEqual([
    'driver cache ioredis 4',
    'seam cache ioredis 1',
    'driver db ioredis 1',
    'driver db pg 1',
  ]);
});
