/**
 * Real failures on loopback, per client: what each one reports for a refused
 * connection, a reset, a hang-up, a hang past a 200 ms client timeout, a truncated
 * body and a 503. Injected faults must match these facts.
 *
 * `UPDATE_HTTP_SHAPES=1` rewrites support/http-shapes.md from this run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { constants, platform } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import { CLIENTS, type CallResult, type ClientName, callWith } from './support/http-clients';
import { type ErrorFields, comparableShape, portPattern, shapeOf } from './support/error-shape';
import {
  type LoopbackTarget,
  TRUNCATED_JSON_SENT,
  closedPortUrl,
  hangServerUrl,
  resetServerUrl,
  statusServerUrl,
  truncatedJsonServerUrl,
} from './support/real-failures';
import { type ObservedRow, renderTable } from './support/shape-table';
import { selfSignedCert, selfSignedCertWithNodeCrypto } from './support/tls-cert';

type Condition = 'refused' | 'reset' | 'hang-up' | 'hang' | 'truncated' | '503';

interface ConditionSpec {
  readonly label: string;
  readonly start: (tls: boolean) => Promise<LoopbackTarget>;
  readonly timeoutMs?: number;
}

const HANG_TIMEOUT_MS = 200;

const CONDITIONS: Readonly<Record<Condition, ConditionSpec>> = {
  refused: { label: 'refused (closed port)', start: (tls) => closedPortUrl({ tls }) },
  reset: { label: 'reset (RST on request)', start: (tls) => resetServerUrl({ tls }) },
  'hang-up': { label: 'hang-up (FIN on request)', start: (tls) => resetServerUrl({ tls, mode: 'close' }) },
  hang: { label: `hang (${HANG_TIMEOUT_MS} ms client timeout)`, start: (tls) => hangServerUrl({ tls }), timeoutMs: HANG_TIMEOUT_MS },
  truncated: { label: 'truncated JSON body', start: (tls) => truncatedJsonServerUrl({ tls }) },
  '503': { label: '503 + Retry-After: 7', start: (tls) => statusServerUrl(503, 7, { tls }) },
};

/** Expected fields of one error level; `undefined` means the field must be absent. */
interface Facts {
  readonly name: string;
  readonly constructorName: string;
  readonly messagePattern: string;
  readonly code: string | number | undefined;
  readonly errno: number | undefined;
  readonly syscall: string | undefined;
  readonly cause: Omit<Facts, 'cause'> | undefined;
}

const ECONNREFUSED = -constants.errno.ECONNREFUSED;
const ECONNRESET = -constants.errno.ECONNRESET;

const nodeError = (messagePattern: string, code: string, errno?: number, syscall?: string): Omit<Facts, 'cause'> => ({
  name: 'Error',
  constructorName: 'Error',
  messagePattern,
  code,
  errno,
  syscall,
});
const refusedError = nodeError('connect ECONNREFUSED 127.0.0.1:<port>', 'ECONNREFUSED', ECONNREFUSED, 'connect');
const resetError = nodeError('read ECONNRESET', 'ECONNRESET', ECONNRESET, 'read');
const hangUpError = nodeError('socket hang up', 'ECONNRESET');
const undiciClosed: Omit<Facts, 'cause'> = {
  name: 'SocketError',
  constructorName: 'SocketError',
  messagePattern: 'other side closed',
  code: 'UND_ERR_SOCKET',
  errno: undefined,
  syscall: undefined,
};

const plain = (error: Omit<Facts, 'cause'>): Facts => ({ ...error, cause: undefined });
const fetchFailed = (messagePattern: string, cause: Omit<Facts, 'cause'>): Facts => ({
  name: 'TypeError',
  constructorName: 'TypeError',
  messagePattern,
  code: undefined,
  errno: undefined,
  syscall: undefined,
  cause,
});
// axios wraps Node errors with AxiosError.from: name, message and code copied, errno and syscall not.
const axiosFrom = (cause: Omit<Facts, 'cause'>): Facts => ({
  ...cause,
  constructorName: 'AxiosError',
  errno: undefined,
  syscall: undefined,
  cause,
});
const axiosOwn = (messagePattern: string, code: string): Facts => plain({
  name: 'AxiosError',
  constructorName: 'AxiosError',
  messagePattern,
  code,
  errno: undefined,
  syscall: undefined,
});
// got 11 wraps errors in its own classes, keeping message and code only (no cause, errno, syscall).
const gotError = (name: string, messagePattern: string, code: string): Facts => plain({
  name,
  constructorName: name,
  messagePattern,
  code,
  errno: undefined,
  syscall: undefined,
});

const nodeCoreFacts: Readonly<Record<Exclude<Condition, '503'>, Facts>> = {
  refused: plain(refusedError),
  reset: plain(resetError),
  'hang-up': plain(hangUpError),
  // The 'timeout' event handler calls req.destroy(), as in the Node docs.
  hang: plain(hangUpError),
  truncated: plain(nodeError('aborted', 'ECONNRESET')),
};

const EXPECTED: Readonly<Record<ClientName, Readonly<Record<Exclude<Condition, '503'>, Facts>>>> = {
  http: nodeCoreFacts,
  https: nodeCoreFacts,
  fetch: {
    refused: fetchFailed('fetch failed', refusedError),
    reset: fetchFailed('fetch failed', resetError),
    'hang-up': fetchFailed('fetch failed', undiciClosed),
    hang: plain({
      name: 'TimeoutError',
      constructorName: 'DOMException',
      messagePattern: 'The operation was aborted due to timeout',
      code: 23,
      errno: undefined,
      syscall: undefined,
    }),
    // Raised by res.text(), after the 200 response was returned.
    truncated: fetchFailed('terminated', undiciClosed),
  },
  axios: {
    refused: axiosFrom(refusedError),
    reset: axiosFrom(resetError),
    'hang-up': axiosFrom(hangUpError),
    hang: axiosOwn(`timeout of ${HANG_TIMEOUT_MS}ms exceeded`, 'ECONNABORTED'),
    truncated: axiosOwn('stream has been aborted', 'ERR_BAD_RESPONSE'),
  },
  got: {
    refused: gotError('RequestError', 'connect ECONNREFUSED 127.0.0.1:<port>', 'ECONNREFUSED'),
    reset: gotError('RequestError', 'read ECONNRESET', 'ECONNRESET'),
    'hang-up': gotError('RequestError', 'socket hang up', 'ECONNRESET'),
    hang: gotError('TimeoutError', `Timeout awaiting 'request' for ${HANG_TIMEOUT_MS}ms`, 'ETIMEDOUT'),
    truncated: gotError('ReadError', 'The server aborted pending request', 'ECONNRESET'),
  },
};

function factsOf(fields: ErrorFields): Omit<Facts, 'cause'> {
  return {
    name: fields.name ?? '',
    constructorName: fields.constructorName ?? '',
    messagePattern: fields.messagePattern ?? '',
    code: fields.code,
    errno: typeof fields.errno === 'number' ? fields.errno : undefined,
    syscall: fields.syscall,
  };
}

function errorOf(result: CallResult): unknown {
  if (result.ok) throw new Error(`expected a failure, got a ${result.status} response`);
  return result.error;
}

async function observe(client: ClientName, condition: Condition, tls: boolean): Promise<{ result: CallResult; url: string }> {
  const spec = CONDITIONS[condition];
  const target = await spec.start(tls);
  try {
    const opts = spec.timeoutMs === undefined ? {} : { timeoutMs: spec.timeoutMs };
    return { result: await callWith(client, target.url, opts), url: target.url };
  } finally {
    await target.close();
  }
}

const observed: ObservedRow[] = [];
const PER_TEST_MS = 10_000;

describe.each(CLIENTS)('%s', (client) => {
  // The https client needs a TLS server; the others use plain http and repeat each case over TLS.
  const primaryTls = client === 'https';
  const alsoTls = client === 'fetch' || client === 'axios' || client === 'got';

  it.each(['refused', 'reset', 'hang-up', 'hang', 'truncated'] as const)('%s', async (condition) => {
    const { result, url } = await observe(client, condition, primaryTls);
    observed.push({ client, condition: CONDITIONS[condition].label, result });
    const shape = shapeOf(errorOf(result));
    const expected = EXPECTED[client][condition];
    expect({ ...factsOf(shape), cause: shape.cause === undefined ? undefined : factsOf(shape.cause) }).toEqual(expected);

    if (condition === 'refused') {
      const port = Number(new URL(url).port);
      const node = client === 'fetch' || client === 'axios' ? shape.cause : shape;
      if (client !== 'got') {
        expect(node?.message).toMatch(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
        expect(node?.address).toBe('127.0.0.1');
        expect(node?.port).toBe(port);
      }
      expect(shape.message).toBe(client === 'fetch' ? 'fetch failed' : `connect ECONNREFUSED 127.0.0.1:${port}`);
    }

    if (alsoTls) {
      const overTls = await observe(client, condition, true);
      expect(comparableShape(shapeOf(errorOf(overTls.result)))).toEqual(comparableShape(shape));
    }
  }, PER_TEST_MS);

  it('503 with Retry-After is a response, not an error', async () => {
    for (const tls of alsoTls ? [false, true] : [primaryTls]) {
      const { result } = await observe(client, '503', tls);
      if (!tls || primaryTls) observed.push({ client, condition: CONDITIONS['503'].label, result });
      expect(result).toMatchObject({ ok: true, status: 503, body: 'Service Unavailable' });
      expect(result.ok && result.headers['retry-after']).toBe('7');
    }
  }, PER_TEST_MS);
});

describe('harness', () => {
  it('truncated body really is shorter than its content-length', async () => {
    const target = await truncatedJsonServerUrl();
    try {
      const seen = await new Promise<{ headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
        http
          .get(target.url, (res) => {
            const chunks: Buffer[] = [];
            const done = (): void => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', done);
            res.on('end', done);
          })
          .on('error', reject);
      });
      expect(seen.headers['content-type']).toBe('application/json');
      expect(Number(seen.headers['content-length'])).toBeGreaterThan(Buffer.byteLength(TRUNCATED_JSON_SENT));
      expect(seen.body).toBe(TRUNCATED_JSON_SENT);
    } finally {
      await target.close();
    }
  });

  it('shapes from different ports compare equal', async () => {
    const first = await observe('http', 'refused', false);
    const second = await observe('http', 'refused', false);
    const a = shapeOf(errorOf(first.result));
    const b = shapeOf(errorOf(second.result));
    expect(a.port).not.toBe(b.port);
    expect(comparableShape(a)).toEqual(comparableShape(b));
    expect(comparableShape(a)).not.toHaveProperty('port');
    expect(portPattern('request to http://127.0.0.1:45678/x failed')).toBe('request to http://127.0.0.1:<port>/x failed');
    expect(portPattern('connect ECONNREFUSED ::1:45678')).toBe('connect ECONNREFUSED ::1:<port>');
    expect(portPattern('timeout of 200ms exceeded', [41234])).toBe('timeout of 200ms exceeded');
  });

  it('shapeOf accepts values that are not errors', () => {
    expect(shapeOf('boom')).toMatchObject({ message: 'boom', name: undefined, cause: undefined });
    expect(shapeOf(undefined)).toMatchObject({ message: undefined, cause: undefined });
    expect(shapeOf(Object.assign(new Error('outer'), { cause: 'inner' })).cause).toMatchObject({ message: 'inner' });
  });

  it('TLS servers present a certificate that verification rejects', async () => {
    const target = await statusServerUrl(200);
    const tlsTarget = await statusServerUrl(200, undefined, { tls: true });
    try {
      const error = await new Promise<unknown>((resolve) => {
        https.get(tlsTarget.url, () => resolve(undefined)).on('error', resolve);
      });
      expect(shapeOf(error)).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      expect(await callWith('http', target.url)).toMatchObject({ ok: true, status: 200 });
    } finally {
      await target.close();
      await tlsTarget.close();
    }
  });

  it('the node:crypto certificate fallback serves TLS', async () => {
    const { key, cert } = selfSignedCertWithNodeCrypto();
    const server = https.createServer({ key, cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      expect(await callWith('https', `https://127.0.0.1:${port}/`)).toMatchObject({ ok: true, status: 200, body: 'ok' });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

afterAll(() => {
  if (process.env.UPDATE_HTTP_SHAPES !== '1') return;
  const conditionOrder: readonly Condition[] = ['refused', 'reset', 'hang-up', 'hang', 'truncated', '503'];
  const order = new Map(conditionOrder.map((condition, index) => [CONDITIONS[condition].label, index]));
  const rows = [...observed].sort(
    (a, b) => CLIENTS.indexOf(a.client as ClientName) - CLIENTS.indexOf(b.client as ClientName) || (order.get(a.condition) ?? 0) - (order.get(b.condition) ?? 0),
  );
  const gotManifest: unknown = JSON.parse(readFileSync(require.resolve('got/package.json'), 'utf8'));
  const gotVersion = typeof gotManifest === 'object' && gotManifest !== null ? String(Reflect.get(gotManifest, 'version')) : '?';
  const versions = `Node ${process.version} on ${platform()}, axios ${axios.VERSION}, got ${gotVersion}, TLS certificate from ${selfSignedCert().source}`;
  writeFileSync(join(__dirname, 'support', 'http-shapes.md'), renderDoc(rows, versions));
});

function renderDoc(rows: readonly ObservedRow[], versions: string): string {
  return `# What HTTP clients report for real failures

Observed on loopback by \`__tests__/http-shapes.test.ts\` (${versions}).
Regenerate with \`UPDATE_HTTP_SHAPES=1 npx jest __tests__/http-shapes.test.ts --selectProjects e2e\`.

- \`<port>\` stands for the server's ephemeral port. errno values are Linux ones (negated \`os.constants.errno\`).
- http and https: \`http.request\` / \`https.request\`; a timeout is the \`timeout\` option plus \`req.destroy()\` on 'timeout'.
- fetch: global fetch (Node's bundled undici), timeout via \`AbortSignal.timeout\`, body read with \`res.text()\`.
- axios: \`timeout\`, \`responseType: 'text'\`, \`validateStatus: () => true\`, \`transitional.clarifyTimeoutError\` default (false).
- got 11: \`timeout: { request }\`, \`retry: { limit: 0 }\`, \`throwHttpErrors: false\`.
- The https rows ran against a TLS server; fetch, axios and got ran each case over plain http and over TLS,
  with the same shapes (only plain rows are listed).
- reset: the server aborts the TCP connection (RST) when the request headers arrive.
  hang-up: it closes the connection (FIN) instead, without a response.
- Name and constructor differ where the table shows both: axios keeps the wrapped error's \`name\`
  ('Error') on an AxiosError; fetch's timeout is a DOMException named 'TimeoutError' with numeric code 23.
- got 11 keeps no \`cause\`, \`errno\` or \`syscall\`; axios keeps the Node error as \`cause\` but not its \`errno\`/\`syscall\`.

${renderTable(rows)}
`;
}
