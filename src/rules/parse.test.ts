import { isChaosError } from '../errors/chaos-error';
import { parseRule, parseRules } from './parse';

const ORIGIN = 'a.test.ts:3';

/** The message of the ChaosError that parsing `text` throws; fails the test when none or another error is thrown. */
function errorOf(text: string): string {
  let thrown: unknown;
  try {
    parseRule(text, ORIGIN);
  } catch (error) {
    thrown = error;
  }
  if (!isChaosError(thrown)) throw new Error(`expected a ChaosError for ${JSON.stringify(text)}, got ${String(thrown)}`);
  expect(thrown.code).toBe('ERR_CHAOS_RULE');
  return thrown.message;
}

describe('parseRule: accepted rules', () => {
  test('defaults: target *, p 1, no times, no method, ms 0-0, no status', () => {
    expect(parseRule('http.timeout', ORIGIN)).toEqual({
      source: 'http.timeout',
      origin: ORIGIN,
      domain: 'http',
      kind: 'timeout',
      target: '*',
      options: { p: 1, times: undefined, method: undefined, ms: { min: 0, max: 0 }, status: undefined, retryAfter: undefined },
    });
  });

  test('http.status defaults to 503', () => {
    expect(parseRule('http.status', ORIGIN).options.status).toBe(503);
  });

  test('every option form, with the source normalised to single spaces', () => {
    const rule = parseRule('  http.status   https://api.example.com/users/*\tp=0.25 times=2  method=post ms=10-20 status=429 retry-after=30 ', ORIGIN);
    expect(rule).toEqual({
      source: 'http.status https://api.example.com/users/* p=0.25 times=2 method=post ms=10-20 status=429 retry-after=30',
      origin: ORIGIN,
      domain: 'http',
      kind: 'status',
      target: 'https://api.example.com/users/*',
      options: { p: 0.25, times: 2, method: 'POST', ms: { min: 10, max: 20 }, status: 429, retryAfter: 30 },
    });
  });

  test('a fixed ms gives min === max', () => {
    expect(parseRule('http.latency * ms=1000', ORIGIN).options.ms).toEqual({ min: 1000, max: 1000 });
    expect(parseRule('http.latency * ms=5-5', ORIGIN).options.ms).toEqual({ min: 5, max: 5 });
  });

  test.each([
    ['p=0', 0],
    ['p=1', 1],
    ['p=.5', 0.5],
    ['p=1.0', 1],
    ['p=-0', 0],
  ])('%s', (option, p) => {
    expect(Object.is(parseRule(`http.refused * ${option}`, ORIGIN).options.p, p)).toBe(true);
  });

  test('status and retry-after bounds', () => {
    expect(parseRule('http.status status=100', ORIGIN).options.status).toBe(100);
    expect(parseRule('http.status status=599 retry-after=0', ORIGIN).options).toMatchObject({ status: 599, retryAfter: 0 });
  });

  test('every method, case-insensitive in, upper-case out', () => {
    for (const method of ['get', 'Post', 'PUT', 'patch', 'delete', 'head', 'options']) {
      expect(parseRule(`http.reset method=${method}`, ORIGIN).options.method).toBe(method.toUpperCase());
    }
  });

  test('db and cache rules with a target and the options that apply to them', () => {
    expect(parseRule('db.down primary times=1', ORIGIN)).toMatchObject({ domain: 'db', kind: 'down', target: 'primary', options: { times: 1 } });
    expect(parseRule('cache.latency ioredis ms=5-50 p=0.5', ORIGIN)).toMatchObject({
      domain: 'cache',
      kind: 'latency',
      target: 'ioredis',
      options: { p: 0.5, ms: { min: 5, max: 50 }, status: undefined },
    });
    for (const kind of ['down', 'lost', 'timeout', 'latency', 'error']) {
      expect(parseRule(`db.${kind}`, ORIGIN)).toMatchObject({ domain: 'db', kind, target: '*' });
    }
  });

  test('every http kind', () => {
    for (const kind of ['timeout', 'hang', 'refused', 'reset', 'dns', 'status', 'latency', 'malformed']) {
      expect(parseRule(`http.${kind} api.example.com`, ORIGIN)).toMatchObject({ domain: 'http', kind, target: 'api.example.com' });
    }
  });

  test('the target may come after the options', () => {
    expect(parseRule('http.timeout p=0.5 api.example.com', ORIGIN)).toMatchObject({ target: 'api.example.com', options: { p: 0.5 } });
  });

  test('a scheme-less URL glob is a target', () => {
    expect(parseRule('http.refused api.example.com/users/* times=1', ORIGIN).target).toBe('api.example.com/users/*');
    expect(parseRule('db.down primary', ORIGIN).target).toBe('primary');
  });

  test('a URL target with a query string is a target, not an option', () => {
    expect(parseRule('http.timeout https://api.example.com/search?q=* p=0.5', ORIGIN)).toMatchObject({
      target: 'https://api.example.com/search?q=*',
      options: { p: 0.5 },
    });
  });
});

describe('parseRule: exact error messages', () => {
  test.each([
    [
      'http.timout api.example.com',
      'jest-chaos: invalid rule "http.timout api.example.com" in a.test.ts:3: unknown http fault "timout". Valid: timeout, hang, refused, reset, dns, status, latency, malformed. Did you mean "timeout"?',
    ],
    [
      'db.dwn primary',
      'jest-chaos: invalid rule "db.dwn primary" in a.test.ts:3: unknown db fault "dwn". Valid: down, lost, timeout, latency, error. Did you mean "down"?',
    ],
    ['cache.explode', 'jest-chaos: invalid rule "cache.explode" in a.test.ts:3: unknown cache fault "explode". Valid: down, lost, timeout, latency, error.'],
    ['htp.timeout', 'jest-chaos: invalid rule "htp.timeout" in a.test.ts:3: unknown domain "htp". Valid: http, db, cache, tcp. Did you mean "http"?'],
    ['queue.down', 'jest-chaos: invalid rule "queue.down" in a.test.ts:3: unknown domain "queue". Valid: http, db, cache, tcp.'],
    ['.timeout', 'jest-chaos: invalid rule ".timeout" in a.test.ts:3: ".timeout" has no domain before ".". Valid domains: http, db, cache, tcp. Did you mean "http.timeout"?'],
    [
      'http.timeout.ms',
      'jest-chaos: invalid rule "http.timeout.ms" in a.test.ts:3: unknown http fault "timeout.ms". Valid: timeout, hang, refused, reset, dns, status, latency, malformed. Did you mean "http.timeout"?',
    ],
    ['cache.refused', 'jest-chaos: invalid rule "cache.refused" in a.test.ts:3: unknown cache fault "refused". Valid: down, lost, timeout, latency, error. Did you mean "cache.down"?'],
    ['db.reset', 'jest-chaos: invalid rule "db.reset" in a.test.ts:3: unknown db fault "reset". Valid: down, lost, timeout, latency, error. Did you mean "db.lost"?'],
    [
      'http.down',
      'jest-chaos: invalid rule "http.down" in a.test.ts:3: unknown http fault "down". Valid: timeout, hang, refused, reset, dns, status, latency, malformed. Did you mean "http.refused"?',
    ],
    [
      'http.refused ftp://files.example.com',
      'jest-chaos: invalid rule "http.refused ftp://files.example.com" in a.test.ts:3: target "ftp://files.example.com" has the scheme "ftp"; http rules see only http and https requests. Valid http targets: * (any), a host glob (api.example.com, *.example.com, api.example.com:8443), an origin (https://api.example.com) or a URL glob (https://api.example.com/users/*, api.example.com/users/*).',
    ],
    [
      'http-timeout',
      'jest-chaos: invalid rule "http-timeout" in a.test.ts:3: "http-timeout" is not <domain>.<kind>. Valid domains: http, db, cache, tcp, e.g. "http.timeout" or "db.down". Did you mean "http.timeout"?',
    ],
    [
      'http. api',
      'jest-chaos: invalid rule "http. api" in a.test.ts:3: "http." has no fault kind. Valid http faults: timeout, hang, refused, reset, dns, status, latency, malformed.',
    ],
    [
      '   ',
      'jest-chaos: invalid rule "" in a.test.ts:3: the rule is empty. Valid: <domain>.<kind> [target] [key=value ...], e.g. "http.timeout api.example.com".',
    ],
    [
      'http.timeout a.example.com b.example.com',
      'jest-chaos: invalid rule "http.timeout a.example.com b.example.com" in a.test.ts:3: more than one target ("a.example.com", "b.example.com"). Valid: one target per rule (write one rule per target, or a glob such as "*.example.com"), then key=value options.',
    ],
    [
      'http.timeout * prob=0.5',
      'jest-chaos: invalid rule "http.timeout * prob=0.5" in a.test.ts:3: unknown option "prob". Valid options for http.timeout: p, times, method, ms. Did you mean "p"?',
    ],
    [
      'db.down delay=100',
      'jest-chaos: invalid rule "db.down delay=100" in a.test.ts:3: unknown option "delay". Valid options for db.down: p, times, ms. Did you mean "ms"?',
    ],
    [
      'http.timeout constructor=1',
      'jest-chaos: invalid rule "http.timeout constructor=1" in a.test.ts:3: unknown option "constructor". Valid options for http.timeout: p, times, method, ms.',
    ],
    [
      'http.status retry_after=5',
      'jest-chaos: invalid rule "http.status retry_after=5" in a.test.ts:3: unknown option "retry_after". Valid options for http.status: p, times, method, ms, status, retry-after. Did you mean "retry-after"?',
    ],
    [
      'db.down =5',
      'jest-chaos: invalid rule "db.down =5" in a.test.ts:3: option "=5" has no key. Valid options for db.down: p, times, ms.',
    ],
    [
      'http.timeout status=500',
      'jest-chaos: invalid rule "http.timeout status=500" in a.test.ts:3: status does not apply to http.timeout (only to http.status). Valid options for http.timeout: p, times, method, ms.',
    ],
    [
      'http.refused retry-after=5',
      'jest-chaos: invalid rule "http.refused retry-after=5" in a.test.ts:3: retry-after does not apply to http.refused (only to http.status). Valid options for http.refused: p, times, method, ms.',
    ],
    [
      'db.down primary method=GET',
      'jest-chaos: invalid rule "db.down primary method=GET" in a.test.ts:3: method does not apply to db.down (only to http rules). Valid options for db.down: p, times, ms.',
    ],
    [
      'cache.error status=500',
      'jest-chaos: invalid rule "cache.error status=500" in a.test.ts:3: status does not apply to cache.error (only to http.status). Valid options for cache.error: p, times, ms.',
    ],
    [
      'http.hang ms=100',
      'jest-chaos: invalid rule "http.hang ms=100" in a.test.ts:3: ms does not apply to http.hang (it never answers). Valid options for http.hang: p, times, method.',
    ],
    ['http.timeout p=0.1 p=0.2', 'jest-chaos: invalid rule "http.timeout p=0.1 p=0.2" in a.test.ts:3: option "p" is given twice. Valid: each option at most once.'],
    ['http.timeout p=', 'jest-chaos: invalid rule "http.timeout p=" in a.test.ts:3: option "p" has no value. Valid: p=<number from 0 to 1>, e.g. p=0.3.'],
    ['http.timeout p=1.5', 'jest-chaos: invalid rule "http.timeout p=1.5" in a.test.ts:3: "p=1.5" is out of range. Valid: p=<number from 0 to 1>, e.g. p=0.3.'],
    ['http.timeout p=-0.1', 'jest-chaos: invalid rule "http.timeout p=-0.1" in a.test.ts:3: "p=-0.1" is out of range. Valid: p=<number from 0 to 1>, e.g. p=0.3.'],
    ['http.timeout p=30%', 'jest-chaos: invalid rule "http.timeout p=30%" in a.test.ts:3: "p=30%" is not a number (for 30% write p=0.3). Valid: p=<number from 0 to 1>, e.g. p=0.3.'],
    ['http.timeout times=0', 'jest-chaos: invalid rule "http.timeout times=0" in a.test.ts:3: "times=0" is out of range. Valid: times=<positive integer>, e.g. times=2.'],
    ['http.timeout times=1.5', 'jest-chaos: invalid rule "http.timeout times=1.5" in a.test.ts:3: "times=1.5" is not an integer. Valid: times=<positive integer>, e.g. times=2.'],
    [
      'http.timeout times=99999999999999999999',
      'jest-chaos: invalid rule "http.timeout times=99999999999999999999" in a.test.ts:3: "times=99999999999999999999" is out of range. Valid: times=<positive integer>, e.g. times=2.',
    ],
    [
      'http.timeout method=GTE',
      'jest-chaos: invalid rule "http.timeout method=GTE" in a.test.ts:3: unknown method "GTE". Valid: method=GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS. Did you mean "GET"?',
    ],
    [
      'http.latency ms=5000-1000',
      'jest-chaos: invalid rule "http.latency ms=5000-1000" in a.test.ts:3: "ms=5000-1000" has its minimum above its maximum. Valid: ms=<milliseconds> or ms=<min>-<max> with min <= max, e.g. ms=1000 or ms=1000-5000.',
    ],
    [
      'http.latency ms=-5',
      'jest-chaos: invalid rule "http.latency ms=-5" in a.test.ts:3: "ms=-5" is not a delay in whole milliseconds. Valid: ms=<milliseconds> or ms=<min>-<max> with min <= max, e.g. ms=1000 or ms=1000-5000.',
    ],
    [
      'http.latency ms=1.5',
      'jest-chaos: invalid rule "http.latency ms=1.5" in a.test.ts:3: "ms=1.5" is not a delay in whole milliseconds. Valid: ms=<milliseconds> or ms=<min>-<max> with min <= max, e.g. ms=1000 or ms=1000-5000.',
    ],
    [
      'http.latency ms=1s',
      'jest-chaos: invalid rule "http.latency ms=1s" in a.test.ts:3: "ms=1s" is not a delay in whole milliseconds. Valid: ms=<milliseconds> or ms=<min>-<max> with min <= max, e.g. ms=1000 or ms=1000-5000.',
    ],
    ['http.status status=99', 'jest-chaos: invalid rule "http.status status=99" in a.test.ts:3: "status=99" is out of range. Valid: status=<integer from 100 to 599>, e.g. status=503.'],
    ['http.status status=600', 'jest-chaos: invalid rule "http.status status=600" in a.test.ts:3: "status=600" is out of range. Valid: status=<integer from 100 to 599>, e.g. status=503.'],
    ['http.status status=abc', 'jest-chaos: invalid rule "http.status status=abc" in a.test.ts:3: "status=abc" is not an integer. Valid: status=<integer from 100 to 599>, e.g. status=503.'],
    [
      'http.status retry-after=-1',
      'jest-chaos: invalid rule "http.status retry-after=-1" in a.test.ts:3: "retry-after=-1" is out of range. Valid: retry-after=<whole seconds, 0 or more>, e.g. retry-after=30.',
    ],
    [
      'http.status retry-after=',
      'jest-chaos: invalid rule "http.status retry-after=" in a.test.ts:3: option "retry-after" has no value. Valid: retry-after=<whole seconds, 0 or more>, e.g. retry-after=30.',
    ],
    ['http.status 500', 'jest-chaos: invalid rule "http.status 500" in a.test.ts:3: target "500" looks like a status code. Valid: http.status [target] status=500.'],
    ['http.latency 1000', 'jest-chaos: invalid rule "http.latency 1000" in a.test.ts:3: target "1000" looks like a delay. Valid: http.latency [target] ms=1000.'],
    ['HTTP.timeout', 'jest-chaos: invalid rule "HTTP.timeout" in a.test.ts:3: unknown domain "HTTP". Valid: http, db, cache, tcp. Did you mean "http"?'],
  ])('%s', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  test('the origin given by the caller appears in the message', () => {
    expect(() => parseRule('http.nope', 'chaos retries > gives up')).toThrow(
      'jest-chaos: invalid rule "http.nope" in chaos retries > gives up: unknown http fault "nope".',
    );
  });
});

describe('parseRules', () => {
  test('one string gives one rule', () => {
    expect(parseRules('db.down primary', ORIGIN).map((rule) => rule.source)).toEqual(['db.down primary']);
  });

  test('an array gives one rule per item, in order', () => {
    const rules = parseRules(['http.timeout api.example.com', 'cache.lost  redis'], ORIGIN);
    expect(rules.map((rule) => [rule.domain, rule.kind, rule.target, rule.source, rule.origin])).toEqual([
      ['http', 'timeout', 'api.example.com', 'http.timeout api.example.com', ORIGIN],
      ['cache', 'lost', 'redis', 'cache.lost redis', ORIGIN],
    ]);
  });

  test('an empty array gives no rules', () => {
    expect(parseRules([], ORIGIN)).toEqual([]);
  });

  test('the first bad item throws', () => {
    expect(() => parseRules(['http.timeout', 'db.dwn'], ORIGIN)).toThrow('unknown db fault "dwn"');
  });

  test('values that are not strings, as plain JavaScript callers may pass', () => {
    expect(() => parseRule(42 as unknown as string, ORIGIN)).toThrow(
      'jest-chaos: invalid rule 42 in a.test.ts:3: a rule must be a string, got number. Valid: "<domain>.<kind> [target] [key=value ...]", e.g. "http.timeout api.example.com"',
    );
    expect(() => parseRules({} as unknown as string[], ORIGIN)).toThrow(
      'jest-chaos: invalid rule [object Object] in a.test.ts:3: rules must be a string or an array of strings, got object. Valid: "http.timeout" or ["http.timeout", "db.down primary"]',
    );
    expect(() => parseRules([null] as unknown as string[], ORIGIN)).toThrow('a rule must be a string, got null');
  });
});

describe('parseRule: numbers users write', () => {
  test('p accepts an exponent', () => {
    expect(parseRule('http.refused p=1e-1', 'a.test.ts:3').options.p).toBe(0.1);
    expect(parseRule('http.refused p=5E-1', 'a.test.ts:3').options.p).toBe(0.5);
  });

  test('ms above 2^31-1 is out of range, with the limit', () => {
    expect(parseRule(`http.latency ms=${2 ** 31 - 1}`, 'a.test.ts:3').options.ms).toEqual({ min: 2 ** 31 - 1, max: 2 ** 31 - 1 });
    expect(() => parseRule('http.latency ms=100-3000000000', 'a.test.ts:3')).toThrow(
      'jest-chaos: invalid rule "http.latency ms=100-3000000000" in a.test.ts:3: "ms=100-3000000000" is out of range: at most 2147483647 ms (24.8 days), the longest delay Node\'s timers keep. Valid: ms=<milliseconds> or ms=<min>-<max> with min <= max, e.g. ms=1000 or ms=1000-5000.',
    );
  });
});

describe('parseRule: tcp rules', () => {
  test('defaults: direction downstream, no rate, no bytes, ms 0-0', () => {
    expect(parseRule('tcp.reset 127.0.0.1:6379', ORIGIN)).toEqual({
      source: 'tcp.reset 127.0.0.1:6379',
      origin: ORIGIN,
      domain: 'tcp',
      kind: 'reset',
      target: '127.0.0.1:6379',
      options: { p: 1, times: undefined, method: undefined, ms: { min: 0, max: 0 }, status: undefined, retryAfter: undefined, rate: undefined, bytes: undefined, direction: 'downstream' },
    });
  });

  test('every kind with the options that apply to it', () => {
    expect(parseRule('tcp.down *:5432 p=0.5 times=2', ORIGIN)).toMatchObject({ kind: 'down', target: '*:5432', options: { p: 0.5, times: 2 } });
    expect(parseRule('tcp.timeout localhost:5672 ms=500 direction=upstream', ORIGIN)).toMatchObject({ kind: 'timeout', options: { ms: { min: 500, max: 500 }, direction: 'upstream' } });
    expect(parseRule('tcp.latency [::1]:4222 ms=10-50 direction=BOTH', ORIGIN)).toMatchObject({ kind: 'latency', target: '[::1]:4222', options: { ms: { min: 10, max: 50 }, direction: 'both' } });
    expect(parseRule('tcp.bandwidth *.internal:1883 rate=64', ORIGIN)).toMatchObject({ kind: 'bandwidth', options: { rate: 64 } });
    expect(parseRule('tcp.slicer *:6379 bytes=3 ms=1', ORIGIN)).toMatchObject({ kind: 'slicer', options: { bytes: 3, ms: { min: 1, max: 1 } } });
    expect(parseRule('tcp.limit-data *:6379 bytes=100', ORIGIN)).toMatchObject({ kind: 'limit-data', options: { bytes: 100 } });
    expect(parseRule('tcp.slow-close *:6379 ms=200', ORIGIN)).toMatchObject({ kind: 'slow-close', options: { ms: { min: 200, max: 200 } } });
  });

  test.each([
    [
      'tcp.down',
      'jest-chaos: invalid rule "tcp.down" in a.test.ts:3: tcp.down names no target. Valid tcp targets: host:port or *:port, e.g. 127.0.0.1:6379, localhost:5432, db.internal:5432, *.internal:5432, [::1]:4222 or *:5672 (any host, loopback included). A tcp rule faults the connections to one port, e.g. "tcp.down *:5432".',
    ],
    [
      'tcp.reset * ms=5',
      'jest-chaos: invalid rule "tcp.reset * ms=5" in a.test.ts:3: target "*" names no port; a tcp rule faults the connections to one port (*:5432 is every host on port 5432). Valid tcp targets: host:port or *:port, e.g. 127.0.0.1:6379, localhost:5432, db.internal:5432, *.internal:5432, [::1]:4222 or *:5672 (any host, loopback included).',
    ],
    ['tcp.down db.internal', 'names no port (db.internal:<port>)'],
    ['tcp.down redis://127.0.0.1:6379', 'target "redis://127.0.0.1:6379" is a URL; tcp rules name host:port without a scheme (127.0.0.1:6379)'],
    ['tcp.down ::1:6379', 'looks like an IPv6 address without brackets ([::1]:6379)'],
    ['tcp.down [::1:6379', 'opens "[" for an IPv6 address and never closes it'],
    ['tcp.down :6379', 'target ":6379" names no host (*:6379 is every host)'],
    ['tcp.down host:port', 'the port of target "host:port" is not a number'],
    ['tcp.down host:0', 'the port of target "host:0" is out of range (1 to 65535)'],
    ['tcp.down host:65536', 'is out of range (1 to 65535)'],
    ['tcp.down a/b:1', 'has the host "a/b", which is not a host name, an address or a * glob'],
    ['tcp.down [zz]:1', 'has "zz" in brackets, which is not an IPv6 address'],
    ['tcp.down *:1 *:2', 'more than one target ("*:1", "*:2")'],
    ['tcp.bandwidth *:6379', 'tcp.bandwidth needs rate=. Valid: rate=<KB per second, a positive integer>, e.g. rate=64.'],
    ['tcp.limit-data *:6379', 'tcp.limit-data needs bytes=. Valid: bytes=<positive integer>, e.g. bytes=1024.'],
    ['tcp.bandwidth *:6379 rate=0', '"rate=0" is out of range. Valid: rate=<KB per second'],
    ['tcp.limit-data *:6379 bytes=1.5', '"bytes=1.5" is not an integer'],
    ['tcp.latency *:6379 direction=up', 'unknown direction "up". Valid: direction=upstream, downstream, both.'],
    ['tcp.latency *:6379 direction=upstraem', 'unknown direction "upstraem". Valid: direction=upstream, downstream, both. Did you mean "upstream"?'],
    ['tcp.down *:6379 ms=5', 'ms does not apply to tcp.down (a refusal is immediate). Valid options for tcp.down: p, times.'],
    ['tcp.down *:6379 direction=both', 'direction does not apply to tcp.down (it refuses the connection before any data flows)'],
    ['tcp.bandwidth *:6379 rate=1 ms=5', 'ms does not apply to tcp.bandwidth (it takes rate, not a delay). Valid options for tcp.bandwidth: p, times, rate, direction.'],
    ['tcp.limit-data *:6379 ms=5', 'ms does not apply to tcp.limit-data (it takes bytes, not a delay). Valid options for tcp.limit-data: p, times, bytes, direction.'],
    ['tcp.latency *:6379 method=GET', 'method does not apply to tcp.latency (only to http rules). Valid options for tcp.latency: p, times, ms, direction.'],
    ['tcp.latency *:6379 rate=5', 'rate does not apply to tcp.latency (only to tcp.bandwidth)'],
    ['tcp.reset *:6379 bytes=5', 'bytes does not apply to tcp.reset (only to tcp.limit-data and tcp.slicer)'],
    ['http.latency direction=both', 'direction does not apply to http.latency (only to tcp rules)'],
    ['db.down rate=5', 'rate does not apply to db.down (only to tcp.bandwidth)'],
    ['tcp.latency *:6379 stream=upstream', 'unknown option "stream". Valid options for tcp.latency: p, times, ms, direction. Did you mean "direction"?'],
    ['tcp.reset_peer *:6379', 'unknown tcp fault "reset_peer". Valid: down, reset, timeout, latency, bandwidth, slicer, limit-data, slow-close. Did you mean "tcp.reset"?'],
    ['tcp.limit_data *:6379', 'Did you mean "limit-data"?'],
    ['tcp.refused *:6379', 'Did you mean "tcp.down"?'],
    ['tcp.hang *:6379', 'Did you mean "tcp.timeout"?'],
    ['tcp.latencyy *:6379', 'Did you mean "latency"?'],
    ['tpc.down *:6379', 'unknown domain "tpc". Valid: http, db, cache, tcp. Did you mean "tcp"?'],
  ])('%s', (text, message) => {
    expect(errorOf(text)).toContain(message);
  });

  test('other domains are unchanged: no tcp options on their rules', () => {
    expect(Object.keys(parseRule('http.latency ms=5', ORIGIN).options)).toEqual(['p', 'times', 'method', 'ms', 'status', 'retryAfter']);
    expect(Object.keys(parseRule('db.down primary', ORIGIN).options)).toEqual(['p', 'times', 'method', 'ms', 'status', 'retryAfter']);
  });
});
