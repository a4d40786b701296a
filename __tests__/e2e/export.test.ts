/**
 * `npx jest-chaos export --toxiproxy`: the built CLI on the fixture suite under fixtures/export/. Its JSON is
 * checked against a JSON Schema written from toxiproxy's source (fixtures/export/toxiproxy.schema.json) and
 * against what each rule means; the recipe of docs/graduate.md that loads it runs against a stand-in for
 * toxiproxy's HTTP API on loopback (toxiproxy itself cannot be installed here). Every code block of
 * docs/graduate.md is marked `<!-- checked: by __tests__/e2e/export.test.ts <name> -->` and equals the fixture
 * file or the real output. `GRADUATE_DOCS_UPDATE=1` writes the produced text into the blocks instead (then review the diff).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import { docBlock, docBlocks, writeDocBlocks } from '../support/doc-blocks';
import { runProcess, type ProcessRun, withoutRunVariables } from '../support/run-process';

jest.setTimeout(60_000);

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const FIXTURE = path.join(__dirname, 'fixtures', 'export');
const SUITE = 'test/chaos/profile.test.ts';
/** The command that docs/graduate.md shows. */
const DOC_ARGS = ['export', '--toxiproxy', SUITE, '--upstream-host', 'redis.staging', '--upstream', '127.0.0.1:5432=pg.staging:5432'];

interface Toxic {
  name: string;
  type: string;
  stream: string;
  toxicity: number;
  attributes: Record<string, number>;
}
interface Proxy {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Toxic[];
}

function cli(args: readonly string[]): Promise<ProcessRun> {
  return runProcess(process.execPath, [CLI, ...args], { cwd: FIXTURE, env: withoutRunVariables({ FORCE_COLOR: '0' }) });
}

const ajv = new Ajv({ allErrors: true });
const schema = JSON.parse(readFileSync(path.join(FIXTURE, 'toxiproxy.schema.json'), 'utf8')) as { $id: string };
const validateExport = ajv.compile(schema);
const validateProxies = ajv.getSchema(`${schema.$id}#/definitions/proxy`)!;
const validateToxic = ajv.getSchema(`${schema.$id}#/definitions/toxic`)!;
const errorsOf = (validate: { errors?: unknown }): string => ajv.errorsText(validate.errors as Parameters<typeof ajv.errorsText>[0]);

let exported: ProcessRun;
let proxies: Proxy[];
beforeAll(async () => {
  exported = await cli(DOC_ARGS);
  proxies = JSON.parse(exported.stdout) as Proxy[];
});

test('the export is valid toxiproxy JSON, by the schema written from its source', () => {
  expect(exported.code).toBe(0);
  expect(validateExport(proxies) ? 'valid' : errorsOf(validateExport)).toBe('valid');
  // The schema itself rejects what toxiproxy would: a misnamed attribute, a fractional int64, a stream "both".
  const [first] = proxies;
  const broken = (toxic: Partial<Toxic>): unknown => [{ ...first, toxics: [{ ...first!.toxics[0], ...toxic }] }];
  expect(validateExport(broken({ attributes: { ms: 200, jitter: 0 } }))).toBe(false);
  expect(validateExport(broken({ attributes: { latency: 200.5, jitter: 0 } }))).toBe(false);
  expect(validateExport(broken({ stream: 'both' }))).toBe(false);
});

test('each rule becomes the toxic it means, with its units; each upstream one proxy, listening from 26000 in order', () => {
  expect(proxies.map(({ name, listen, upstream, enabled }) => ({ name, listen, upstream, enabled }))).toEqual([
    { name: 'redis_staging_6379', listen: '127.0.0.1:26000', upstream: 'redis.staging:6379', enabled: true },
    { name: 'pg_staging_5432', listen: '127.0.0.1:26001', upstream: 'pg.staging:5432', enabled: true },
  ]);
  const summary = proxies.map((proxy) => proxy.toxics.map((toxic) => `${proxy.name} ${toxic.name}: ${toxic.type} ${toxic.stream} ${toxic.toxicity} ${JSON.stringify(toxic.attributes)}`));
  expect(summary).toEqual([
    [
      // tcp.latency *:6379 ms=150-250
      'redis_staging_6379 latency_downstream: latency downstream 1 {"latency":200,"jitter":50}',
      // tcp.bandwidth *:6379 rate=64 direction=both
      'redis_staging_6379 bandwidth_upstream: bandwidth upstream 1 {"rate":64}',
      'redis_staging_6379 bandwidth_downstream: bandwidth downstream 1 {"rate":64}',
      // tcp.timeout *:6379 p=0.5
      'redis_staging_6379 timeout_downstream: timeout downstream 0.5 {"timeout":0}',
    ],
    [
      // tcp.reset 127.0.0.1:5432 times=1, tcp.limit-data 127.0.0.1:5432 bytes=4096
      'pg_staging_5432 reset_peer_downstream: reset_peer downstream 1 {"timeout":0}',
      'pg_staging_5432 limit_data_downstream: limit_data downstream 1 {"bytes":4096}',
    ],
  ]);
});

test('what does not carry over is named per rule on stderr, with its file and line', () => {
  const lines = exported.stderr.trimEnd().split('\n');
  expect(lines.map((line) => /^jest-chaos export: (?:warning: (\S+): "([^"]+)": (does not carry over|not exported))?/.exec(line)?.slice(1).join(' '))).toEqual([
    'test/chaos/profile.test.ts:2 tcp.latency *:6379 ms=150-250 does not carry over',
    'test/chaos/profile.test.ts:4 http.status api.payments.example status=503 not exported',
    'test/chaos/profile.test.ts:13 tcp.reset 127.0.0.1:5432 times=1 does not carry over',
    'test/chaos/profile.test.ts:13 tcp.limit-data 127.0.0.1:5432 bytes=4096 does not carry over',
    'test/chaos/profile.test.ts:17 tcp.timeout *:6379 p=0.5 does not carry over',
    '  ',
  ]);
  expect(lines[2]).toContain('times=1 (toxiproxy has no count');
  expect(lines[2]).toContain('its scope (one chaos.test or chaos.describe in jest-chaos');
  expect(lines[4]).toContain('p=0.5 becomes toxicity 0.5, drawn per connection without a seed (@chaos-seed and replay do not carry over)');
  expect(lines.at(-1)).toBe('jest-chaos export: 2 proxies and 6 toxics from 1 file, 5 warnings.');
});

test('--out writes the same JSON to a file; stdout stays empty', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-export-'));
  try {
    const out = path.join(dir, 'toxiproxy.json');
    const run = await cli([...DOC_ARGS, '--out', out]);
    expect({ code: run.code, stdout: run.stdout, last: run.stderr.trimEnd().split('\n').at(-1) }).toEqual({ code: 0, stdout: '', last: `jest-chaos export: 2 proxies and 6 toxics from 1 file, 5 warnings; written to ${out}.` });
    expect(readFileSync(out, 'utf8')).toBe(exported.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad input: a * target without an upstream host, a file without tcp rules, a mistyped flag', async () => {
  const star = await cli(['export', '--toxiproxy', SUITE]);
  expect({ code: star.code, stdout: star.stdout, stderr: star.stderr }).toEqual({
    code: 2,
    stdout: '',
    stderr:
      'jest-chaos export: test/chaos/profile.test.ts:2: "tcp.latency *:6379 ms=150-250" targets every host on port 6379, and a toxiproxy proxy forwards to one upstream host. Pass --upstream-host <host> (e.g. --upstream-host db.staging), or --upstream *:6379=<host>:6379.\n',
  });
  const none = await cli(['export', '--toxiproxy', 'test/http-only.test.ts']);
  expect({ code: none.code, stdout: none.stdout }).toEqual({ code: 1, stdout: '' });
  expect(none.stderr).toContain('jest-chaos export: warning: test/http-only.test.ts:2: "http.timeout api.payments.example": not exported');
  expect(none.stderr).toContain('jest-chaos export: test/http-only.test.ts has no tcp rule (tcp.* in a @chaos pragma, a chaos.test or a chaos.describe): nothing to give toxiproxy.');
  const typo = await cli(['export', '--toxiproxy', SUITE, '--upstream-hots', 'x']);
  expect({ code: typo.code, stdout: typo.stdout }).toEqual({ code: 2, stdout: '' });
  expect(typo.stderr).toBe(
    'jest-chaos: unknown option "--upstream-hots" in the jest-chaos export command line. Valid options: --toxiproxy, --out <file>, --upstream-host <host>, --upstream <target>=<host:port>, --listen-host <host>, --listen-base <port>, --help (-h). Did you mean "--upstream-host"? Run `jest-chaos export --help` for what they do.\n',
  );
  const unknownTarget = await cli([...DOC_ARGS, '--upstream', '*:6380=x:6380']);
  expect({ code: unknownTarget.code, stderr: unknownTarget.stderr.trimEnd().split('\n').at(-1) }).toEqual({
    code: 2,
    stderr: 'jest-chaos export: --upstream names the target "*:6380", which no tcp rule of these files has (they have *:6379, 127.0.0.1:5432) (did you mean *:6379?). Valid options: --toxiproxy, --out <file>, --upstream-host <host>, --upstream <target>=<host:port>, --listen-host <host>, --listen-base <port>, --help (-h). Run `jest-chaos export --help` for what they do.',
  });
});

test('jest-chaos --help lists the command', async () => {
  const help = await cli(['--help']);
  expect(help.stdout).toContain('  export  print the tcp.* rules of chaos suites as toxiproxy proxies and toxics (--toxiproxy)\n');
});

// ---------------------------------------------------------------------------------------------------
// docs/graduate.md

/** A stand-in for toxiproxy's HTTP API (POST /populate, POST /proxies/{proxy}/toxics) that checks each body as toxiproxy would. */
function fakeToxiproxy(): Promise<{ url: string; calls: string[]; close: () => Promise<void> }> {
  const calls: string[] = [];
  const known = new Map<string, Set<string>>();
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const answer = (status: number, value: unknown): void => void response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        answer(400, { error: 'bad request body' });
        return;
      }
      const toxicPath = /^\/proxies\/([^/]+)\/toxics$/.exec(request.url ?? '');
      if (request.method === 'POST' && request.url === '/populate') {
        const items = Array.isArray(parsed) ? parsed : [];
        const bad = items.find((item) => !validateProxies(item));
        if (!Array.isArray(parsed) || bad !== undefined) return answer(400, { error: errorsOf(validateProxies) });
        for (const item of items as Proxy[]) known.set(item.name, new Set());
        calls.push(`POST /populate ${(items as Proxy[]).map((item) => item.name).join(',')}`);
        return answer(201, { proxies: items });
      }
      if (request.method === 'POST' && toxicPath !== null) {
        const names = known.get(toxicPath[1]!);
        if (names === undefined) return answer(404, { error: 'proxy not found' });
        if (!validateToxic(parsed)) return answer(400, { error: errorsOf(validateToxic) });
        const toxic = parsed as Toxic;
        if (names.has(toxic.name)) return answer(409, { error: 'toxic already exists' });
        names.add(toxic.name);
        calls.push(`POST /proxies/${toxicPath[1]}/toxics ${JSON.stringify(toxic)}`);
        return answer(200, toxic);
      }
      return answer(404, { error: 'not found' });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

test("docs/graduate.md's recipe loads the export into toxiproxy's API: every proxy, then every toxic on its proxy", async () => {
  const recipe = docBlock(__filename, 'docs/graduate.md', 'apply');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-export-apply-'));
  const api = await fakeToxiproxy();
  try {
    writeFileSync(path.join(dir, 'toxiproxy.json'), exported.stdout);
    // Run asynchronously: the stand-in answers from this process.
    const run = await runProcess('bash', ['-e', '-o', 'pipefail', '-c', recipe], { cwd: dir, env: { ...process.env, TOXIPROXY: api.url } });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(api.calls).toEqual([
      'POST /populate redis_staging_6379,pg_staging_5432',
      ...proxies.flatMap((proxy) => proxy.toxics.map((toxic) => `POST /proxies/${proxy.name}/toxics ${JSON.stringify(toxic)}`)),
    ]);
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every code block of docs/graduate.md equals the fixture or the real output', () => {
  const produced: Record<string, string> = {
    suite: readFileSync(path.join(FIXTURE, SUITE), 'utf8'),
    export: `$ npx jest-chaos ${DOC_ARGS.join(' ')} > toxiproxy.json\n${exported.stderr}`,
    json: exported.stdout,
  };
  if (process.env.GRADUATE_DOCS_UPDATE === '1') {
    writeDocBlocks(__filename, 'docs/graduate.md', produced);
    return;
  }
  const found = docBlocks(__filename, 'docs/graduate.md');
  // `apply` is run by the test above; the others are compared here.
  expect([...found.keys()].sort()).toEqual([...Object.keys(produced), 'apply'].sort());
  for (const [name, block] of [...found].filter(([name]) => name !== 'apply')) {
    expect({ block: `docs/graduate.md:${block.line} (${name})`, content: block.text }).toEqual({ block: `docs/graduate.md:${block.line} (${name})`, content: produced[name] });
  }
});
