import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { parseRule } from '../rules/parse';
import type { TcpRule } from '../rules/types';
import { DEFAULT_LISTEN_BASE, DEFAULT_LISTEN_HOST, parseExportArgs, readFileRules } from './export';
import { toToxiproxy, toxicsOf, ToxiproxyExportError, type ToxiproxyOptions } from './toxiproxy';

const tcp = (text: string, origin = 'cache.test.ts:3'): TcpRule => parseRule(text, origin) as TcpRule;
const OPTIONS: ToxiproxyOptions = { listenHost: '127.0.0.1', listenBase: 26000, upstreamHost: 'redis.staging', upstreams: new Map() };

describe('toxicsOf: each kind and option as toxiproxy takes it', () => {
  test.each([
    ['tcp.latency *:6379 ms=200', 'latency', { latency: 200, jitter: 0 }],
    ['tcp.latency *:6379', 'latency', { latency: 0, jitter: 0 }],
    ['tcp.bandwidth *:6379 rate=16', 'bandwidth', { rate: 16 }],
    ['tcp.slow-close *:6379 ms=1500', 'slow_close', { delay: 1500 }],
    ['tcp.timeout *:6379 ms=3000', 'timeout', { timeout: 3000 }],
    ['tcp.timeout *:6379', 'timeout', { timeout: 0 }],
    ['tcp.reset *:6379 ms=250', 'reset_peer', { timeout: 250 }],
    ['tcp.reset *:6379', 'reset_peer', { timeout: 0 }],
    // The slicer's delay is in microseconds; without bytes= a slice is 8 bytes, as in the test process.
    ['tcp.slicer *:6379 bytes=64 ms=2', 'slicer', { average_size: 64, size_variation: 0, delay: 2000 }],
    ['tcp.slicer *:6379', 'slicer', { average_size: 8, size_variation: 0, delay: 0 }],
    ['tcp.limit-data *:6379 bytes=2048', 'limit_data', { bytes: 2048 }],
  ])('%s → %s %j, downstream, toxicity 1, nothing lost', (text, type, attributes) => {
    expect(toxicsOf(tcp(text))).toEqual({ toxics: [{ type, stream: 'downstream', toxicity: 1, attributes }], lost: [] });
  });

  test('direction picks the stream; both gives one toxic per stream', () => {
    expect(toxicsOf(tcp('tcp.latency *:6379 ms=5 direction=upstream')).toxics.map((toxic) => toxic.stream)).toEqual(['upstream']);
    expect(toxicsOf(tcp('tcp.latency *:6379 ms=5 direction=downstream')).toxics.map((toxic) => toxic.stream)).toEqual(['downstream']);
    expect(toxicsOf(tcp('tcp.limit-data *:6379 bytes=1 direction=both')).toxics).toEqual([
      { type: 'limit_data', stream: 'upstream', toxicity: 1, attributes: { bytes: 1 } },
      { type: 'limit_data', stream: 'downstream', toxicity: 1, attributes: { bytes: 1 } },
    ]);
  });

  test('p becomes toxicity, and the lost seed is named', () => {
    expect(toxicsOf(tcp('tcp.timeout *:6379 p=0.25'))).toEqual({
      toxics: [{ type: 'timeout', stream: 'downstream', toxicity: 0.25, attributes: { timeout: 0 } }],
      lost: ['p=0.25 becomes toxicity 0.25, drawn per connection without a seed (@chaos-seed and replay do not carry over)'],
    });
  });

  test('times is kept out of the toxic and named', () => {
    expect(toxicsOf(tcp('tcp.reset *:6379 times=2'))).toEqual({
      toxics: [{ type: 'reset_peer', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } }],
      lost: ['times=2 (toxiproxy has no count: the toxic acts on every connection until it is removed)'],
    });
  });

  test('a latency range becomes latency ± jitter around its middle, drawn per chunk', () => {
    expect(toxicsOf(tcp('tcp.latency *:6379 ms=50-200'))).toEqual({
      toxics: [{ type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 125, jitter: 75 } }],
      lost: ['ms=50-200 becomes latency 125 ± jitter 75, drawn per chunk without a seed (jest-chaos draws once per connection)'],
    });
    // toxiproxy's attributes are integers: an odd sum rounds the middle down and widens the jitter.
    expect(toxicsOf(tcp('tcp.latency *:6379 ms=50-201')).toxics[0]?.attributes).toEqual({ latency: 125, jitter: 76 });
  });

  test('a range for a fixed attribute is exported as its middle, and named', () => {
    expect(toxicsOf(tcp('tcp.slicer *:6379 ms=1-4'))).toEqual({
      toxics: [{ type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 8, size_variation: 0, delay: 2000 } }],
      lost: ["ms=1-4 (toxiproxy's delay is fixed: exported as 2 ms, the middle of the range)"],
    });
    expect(toxicsOf(tcp('tcp.slow-close *:6379 ms=100-300')).toxics[0]?.attributes).toEqual({ delay: 200 });
  });

  test('tcp.down is no toxic; p and times on it are named', () => {
    expect(toxicsOf(tcp('tcp.down *:5432'))).toEqual({ toxics: [], lost: [] });
    expect(toxicsOf(tcp('tcp.down *:5432 p=0.5 times=1')).lost).toEqual([
      'times=1 (toxiproxy has no count: the disabled proxy refuses every connection until it is removed)',
      'p=0.5 (a disabled proxy refuses every connection: enabled has no probability)',
    ]);
  });
});

describe('toToxiproxy', () => {
  test('one proxy per upstream, listening from the base in order of first appearance; tcp.down disables its proxy', () => {
    const result = toToxiproxy(
      [
        { rule: tcp('tcp.latency *:6379 ms=200', 'a.test.ts:2'), scope: 'file' },
        { rule: tcp('tcp.down db.internal:5432', 'a.test.ts:3'), scope: 'file' },
        { rule: tcp('tcp.latency redis.staging:6379 ms=10', 'b.test.ts:2'), scope: 'file' },
      ],
      OPTIONS,
    );
    expect(result).toEqual({
      proxies: [
        {
          name: 'redis_staging_6379',
          listen: '127.0.0.1:26000',
          upstream: 'redis.staging:6379',
          enabled: true,
          toxics: [
            { name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 200, jitter: 0 } },
            { name: 'latency_downstream_2', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 10, jitter: 0 } },
          ],
        },
        { name: 'db_internal_5432', listen: '127.0.0.1:26001', upstream: 'db.internal:5432', enabled: false, toxics: [] },
      ],
      warnings: [],
    });
  });

  test('a * or glob host needs --upstream-host or an --upstream of its own', () => {
    const star = [{ rule: tcp('tcp.reset *:5432', 'a.test.ts:4'), scope: 'file' as const }];
    expect(() => toToxiproxy(star, { ...OPTIONS, upstreamHost: undefined })).toThrow(
      new ToxiproxyExportError(
        'jest-chaos export: a.test.ts:4: "tcp.reset *:5432" targets every host on port 5432, and a toxiproxy proxy forwards to one upstream host. Pass --upstream-host <host> (e.g. --upstream-host db.staging), or --upstream *:5432=<host>:5432',
      ),
    );
    const glob = [{ rule: tcp('tcp.reset *.internal:5432', 'a.test.ts:4'), scope: 'file' as const }];
    expect(() => toToxiproxy(glob, { ...OPTIONS, upstreamHost: undefined })).toThrow('targets the hosts "*.internal" on port 5432');
    expect(toToxiproxy(glob, { ...OPTIONS, upstreamHost: '::1' }).proxies[0]?.upstream).toBe('[::1]:5432');
    expect(toToxiproxy(star, { ...OPTIONS, upstreamHost: undefined, upstreams: new Map([['*:5432', 'pg.staging:6432']]) }).proxies[0]).toMatchObject({ name: 'pg_staging_6432', upstream: 'pg.staging:6432' });
  });

  test('--upstream rewrites a literal target; a listen host with a colon is bracketed', () => {
    const rules = [{ rule: tcp('tcp.latency 127.0.0.1:6379 ms=1'), scope: 'file' as const }];
    expect(toToxiproxy(rules, { ...OPTIONS, listenHost: '::', upstreams: new Map([['127.0.0.1:6379', 'cache.staging:6379']]) }).proxies[0]).toMatchObject({ listen: '[::]:26000', upstream: 'cache.staging:6379' });
    expect(toToxiproxy(rules, OPTIONS).proxies[0]).toMatchObject({ name: '127_0_0_1_6379', upstream: '127.0.0.1:6379' });
  });

  test('a listen port past 65535 is an error', () => {
    const rules = [
      { rule: tcp('tcp.latency a:1 ms=1'), scope: 'file' as const },
      { rule: tcp('tcp.latency b:1 ms=1'), scope: 'file' as const },
    ];
    expect(toToxiproxy(rules, { ...OPTIONS, listenBase: 65534 }).proxies.map((proxy) => proxy.listen)).toEqual(['127.0.0.1:65534', '127.0.0.1:65535']);
    expect(() => toToxiproxy(rules, { ...OPTIONS, listenBase: 65535 })).toThrow('2 proxies from --listen-base 65535 need ports up to 65536, past 65535. Pass a lower --listen-base');
  });

  test('a warning per rule names where it is written and everything it loses, its test scope first', () => {
    const result = toToxiproxy([{ rule: tcp('tcp.latency *:6379 ms=1 times=3 p=0.5', 'a.test.ts:12'), scope: 'test' }], OPTIONS);
    expect(result.warnings).toEqual([
      {
        origin: 'a.test.ts:12',
        text: 'jest-chaos export: warning: a.test.ts:12: "tcp.latency *:6379 ms=1 times=3 p=0.5": does not carry over: its scope (one chaos.test or chaos.describe in jest-chaos; in toxiproxy it acts on every connection through the proxy until it is removed); times=3 (toxiproxy has no count: the toxic acts on every connection until it is removed); p=0.5 becomes toxicity 0.5, drawn per connection without a seed (@chaos-seed and replay do not carry over)',
      },
    ]);
  });
});

describe('parseExportArgs', () => {
  const usage = (argv: string[]): string => {
    try {
      parseExportArgs(argv);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`no error for ${argv.join(' ')}`);
  };
  const VALID = 'Valid options: --toxiproxy, --out <file>, --upstream-host <host>, --upstream <target>=<host:port>, --listen-host <host>, --listen-base <port>, --help (-h).';

  test('defaults, and every option', () => {
    expect(parseExportArgs(['--toxiproxy', 'a.test.ts'])).toEqual({
      help: false,
      files: ['a.test.ts'],
      out: undefined,
      options: { listenHost: DEFAULT_LISTEN_HOST, listenBase: DEFAULT_LISTEN_BASE, upstreamHost: undefined, upstreams: new Map() },
    });
    expect(
      parseExportArgs(['--toxiproxy', 'a.test.ts', 'b.test.ts', '--out', 'x.json', '--upstream-host', 'db.staging', '--upstream', '127.0.0.1:6379=cache:6379', '--upstream=*:5432=pg:5432', '--listen-host', '0.0.0.0', '--listen-base', '30000']),
    ).toEqual({
      help: false,
      files: ['a.test.ts', 'b.test.ts'],
      out: 'x.json',
      options: { listenHost: '0.0.0.0', listenBase: 30000, upstreamHost: 'db.staging', upstreams: new Map([['127.0.0.1:6379', 'cache:6379'], ['*:5432', 'pg:5432']]) },
    });
    expect(parseExportArgs(['--help']).help).toBe(true);
  });

  test('a mistake on the command line: an unknown option lists the valid ones, with a did-you-mean; a missing or unwanted value', () => {
    expect(usage(['--toxiproxy', '--listen-bse', '1', 'a.test.ts'])).toBe(`jest-chaos: unknown option "--listen-bse" in the jest-chaos export command line. ${VALID} Did you mean "--listen-base"? Run \`jest-chaos export --help\` for what they do.`);
    expect(usage(['--toxiproxy', '--frobnicate', 'a.test.ts'])).toBe(`jest-chaos: unknown option "--frobnicate" in the jest-chaos export command line. ${VALID} Run \`jest-chaos export --help\` for what they do.`);
    expect(usage(['--toxiproxy', 'a.test.ts', '--out'])).toBe('jest-chaos: option --out in the jest-chaos export command line needs a value: --out <file>. Run `jest-chaos export --help` for what they do.');
    expect(usage(['--toxiproxy=yes', 'a.test.ts'])).toBe(`jest-chaos: option --toxiproxy in the jest-chaos export command line takes no value, but got "yes". ${VALID} Run \`jest-chaos export --help\` for what they do.`);
  });

  test.each([
    [['a.test.ts'], 'say which format to export: --toxiproxy (the only one)'],
    [['--toxiproxy'], 'name the test files to export, e.g. jest-chaos export --toxiproxy test/chaos/cache.test.ts'],
    [['--toxiproxy', 'a.test.ts', '--listen-base', '70000'], '--listen-base "70000" is not a port (1 to 65535)'],
    [['--toxiproxy', 'a.test.ts', '--listen-base', 'x'], '--listen-base "x" is not a port (1 to 65535)'],
    [['--toxiproxy', 'a.test.ts', '--listen-host', 'a b'], '--listen-host "a b" is not a host name or an address'],
    [['--toxiproxy', 'a.test.ts', '--upstream-host', '*.staging'], '--upstream-host "*.staging" is a glob; name one host'],
    [['--toxiproxy', 'a.test.ts', '--upstream', '*:5432'], '--upstream "*:5432" is not <target>=<host:port>: give a target as the rules write it, "=", and the host:port to forward to, e.g. --upstream *:5432=db.staging:5432'],
    [['--toxiproxy', 'a.test.ts', '--upstream', '*:5432=db.staging'], '--upstream "*:5432=db.staging": upstream "db.staging" names no port (db.staging:<port>)'],
    [['--toxiproxy', 'a.test.ts', '--upstream', '5432=db:5432'], '--upstream "5432=db:5432": target "5432" names no port (5432:<port>)'],
  ])('%j: %s', (argv, message) => {
    expect(usage(argv)).toBe(`jest-chaos export: ${message}. ${VALID} Run \`jest-chaos export --help\` for what they do.`);
  });
});

describe('readFileRules', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-export-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  test('file-level and per-test tcp rules in line order; the rest named as not exported', () => {
    const file = write(
      'a.test.ts',
      [
        '/**',
        ' * @chaos tcp.latency *:6379 ms=5',
        ' * @chaos db.lost primary',
        ' * @chaos-time virtual',
        ' */',
        "chaos.test('reset', ['tcp.reset *:6379', 'http.status api.example.com'], async () => {});",
        "chaos.describe('cut', 'tcp.limit-data *:5432 bytes=1', () => {});",
        "test('plain', () => { chaos.stub(db, 'query').down(); chaos.http('api.example.com').timeout(); });",
        '',
      ].join('\n'),
    );
    const found = readFileRules(ts, file, 'a.test.ts');
    expect(found.tcp.map(({ rule, scope }) => `${rule.origin} ${scope} ${rule.source}`)).toEqual([
      'a.test.ts:2 file tcp.latency *:6379 ms=5',
      'a.test.ts:6 test tcp.reset *:6379',
      'a.test.ts:7 test tcp.limit-data *:5432 bytes=1',
    ]);
    expect(found.warnings.map((warning) => warning.text)).toEqual([
      'jest-chaos export: warning: a.test.ts:3: "db.lost primary": not exported: toxiproxy faults TCP connections, not db calls: tcp.reset on the server\'s port (e.g. tcp.reset *:5432) exports',
      "jest-chaos export: warning: a.test.ts:4: @chaos-time virtual does not carry over: toxiproxy's delays take real time",
      'jest-chaos export: warning: a.test.ts:6: "http.status api.example.com": not exported: toxiproxy faults TCP connections, not HTTP requests (docs/graduate.md maps http.* to Chaos Mesh HTTPChaos and AWS FIS)',
      "jest-chaos export: warning: a.test.ts:8: chaos.stub(db, 'query').down(): not exported: a stub replaces a method in the test process; toxiproxy faults TCP connections",
      'jest-chaos export: warning: a.test.ts:8: chaos.http() "http.timeout api.example.com": not exported: toxiproxy faults TCP connections, not HTTP requests (docs/graduate.md maps http.* to Chaos Mesh HTTPChaos and AWS FIS)',
    ]);
  });

  test('a broken rule, in the docblock or in a chaos.test, is an error naming its line', () => {
    const docblock = write('b.test.ts', '/**\n * @chaos tcp.latncy *:6379\n */\n');
    expect(() => readFileRules(ts, docblock, 'b.test.ts')).toThrow('jest-chaos: invalid rule "tcp.latncy *:6379" in b.test.ts:2: unknown tcp fault "latncy". Valid: down, reset, timeout, latency, bandwidth, slicer, limit-data, slow-close. Did you mean "latency"?');
    const perTest = write('c.test.ts', "chaos.test('x', 'tcp.reset *:6379 bytes=1', () => {});\n");
    expect(() => readFileRules(ts, perTest, 'c.test.ts')).toThrow(/^jest-chaos: invalid rule "tcp.reset \*:6379 bytes=1" in c.test.ts:1: bytes does not apply to tcp.reset \(only to tcp.limit-data and tcp.slicer\)\. Valid options for tcp.reset: p, times, ms, direction\.$/);
    expect(() => readFileRules(ts, path.join(dir, 'missing.test.ts'), 'missing.test.ts')).toThrow(/^jest-chaos export: cannot read missing.test.ts: ENOENT/);
  });
});
