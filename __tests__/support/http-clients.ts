/**
 * One request with each supported client, written the way an application would
 * write it, so that failures surface exactly as the client reports them.
 *
 * For https URLs every client skips certificate verification (the loopback servers
 * use a self-signed certificate): http/https `rejectUnauthorized: false`, axios an
 * `https.Agent`, got `https.rejectUnauthorized`, fetch an undici Agent as `dispatcher`
 * (see undiciAgent below).
 */
import http from 'node:http';
import https from 'node:https';
import axios from 'axios';
import got, { type Method } from 'got';
import type { Dispatcher } from 'undici-types';

export type ClientName = 'http' | 'https' | 'fetch' | 'axios' | 'got';

export const CLIENTS: readonly ClientName[] = ['http', 'https', 'fetch', 'axios', 'got'];

export interface CallOptions {
  /** Client-side timeout; none when undefined. */
  timeoutMs?: number;
  method?: string;
  body?: string;
}

export type CallResult =
  | { ok: true; status: number; headers: Record<string, string>; body: string }
  | { ok: false; error: unknown };

export async function callWith(client: ClientName, url: string, opts: CallOptions = {}): Promise<CallResult> {
  switch (client) {
    case 'http':
    case 'https':
      return viaNodeCore(client, url, opts);
    case 'fetch':
      return viaFetch(url, opts);
    case 'axios':
      return viaAxios(url, opts);
    case 'got':
      return viaGot(url, opts);
  }
}

function isHttps(url: string): boolean {
  return url.startsWith('https:');
}

function flatten(headers: Readonly<Record<string, string | string[] | number | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/**
 * http.request / https.request with the module matching `client`. A timeout uses the
 * `timeout` option and, as the Node docs show, `req.destroy()` on 'timeout': the
 * request then fails with `socket hang up` (ECONNRESET).
 */
function viaNodeCore(client: 'http' | 'https', url: string, opts: CallOptions): Promise<CallResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: CallResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const options: https.RequestOptions = { method: opts.method ?? 'GET' };
    if (opts.timeoutMs !== undefined) options.timeout = opts.timeoutMs;
    if (client === 'https') options.rejectUnauthorized = false;
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        settle({
          ok: true,
          status: res.statusCode ?? 0,
          headers: flatten(res.headers),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', (error) => settle({ ok: false, error }));
    };
    const req = client === 'https' ? https.request(url, options, onResponse) : http.request(url, options, onResponse);
    req.on('timeout', () => req.destroy());
    req.on('error', (error) => settle({ ok: false, error }));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

type AgentConstructor = new (options: { connect: { rejectUnauthorized: boolean } }) => Dispatcher;

let insecureDispatcher: Dispatcher | undefined;

/**
 * An undici Agent that skips certificate checks, for fetch over https.
 * Node 20 bundles undici without exporting it and the undici package is not a
 * dependency, so the Agent class is read from the global dispatcher that undici
 * registers under Symbol.for('undici.globalDispatcher.1') when it loads. That symbol
 * is set on the realm where fetch lives; under Jest this is not the test's globalThis,
 * so the outer one is reached through fetch's own Function constructor.
 */
async function undiciAgent(): Promise<Dispatcher> {
  if (insecureDispatcher !== undefined) return insecureDispatcher;
  // A data: URL loads undici without any I/O.
  await (await fetch('data:,')).arrayBuffer();
  const fetchRealm: unknown = (fetch.constructor as FunctionConstructor)('return globalThis')();
  const global = typeof fetchRealm === 'object' && fetchRealm !== null ? fetchRealm : globalThis;
  const current: unknown = Reflect.get(global, Symbol.for('undici.globalDispatcher.1'));
  if (typeof current !== 'object' || current === null || current.constructor.name !== 'Agent') {
    throw new Error('fetch over https: undici global Agent not found, cannot skip certificate checks');
  }
  const Agent = current.constructor as AgentConstructor;
  insecureDispatcher = new Agent({ connect: { rejectUnauthorized: false } });
  return insecureDispatcher;
}

/** Global fetch; a timeout uses AbortSignal.timeout. The body is read with text(). */
async function viaFetch(url: string, opts: CallOptions): Promise<CallResult> {
  try {
    const init: RequestInit = { method: opts.method ?? 'GET' };
    if (opts.body !== undefined) init.body = opts.body;
    if (opts.timeoutMs !== undefined) init.signal = AbortSignal.timeout(opts.timeoutMs);
    if (isHttps(url)) init.dispatcher = await undiciAgent();
    const res = await fetch(url, init);
    const body = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { ok: true, status: res.status, headers, body };
  } catch (error) {
    return { ok: false, error };
  }
}

let insecureHttpsAgent: https.Agent | undefined;

/** axios.request with every status accepted; transitional.clarifyTimeoutError left at its default. */
async function viaAxios(url: string, opts: CallOptions): Promise<CallResult> {
  try {
    const res = await axios.request<string>({
      url,
      method: opts.method ?? 'GET',
      data: opts.body,
      timeout: opts.timeoutMs ?? 0,
      responseType: 'text',
      validateStatus: () => true,
      httpsAgent: isHttps(url) ? (insecureHttpsAgent ??= new https.Agent({ rejectUnauthorized: false })) : undefined,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    return { ok: true, status: res.status, headers, body: String(res.data) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** got (v11) with no retries and every status accepted. */
async function viaGot(url: string, opts: CallOptions): Promise<CallResult> {
  try {
    const res = await got(url, {
      method: (opts.method ?? 'GET') as Method,
      body: opts.body,
      timeout: opts.timeoutMs === undefined ? {} : { request: opts.timeoutMs },
      retry: { limit: 0 },
      throwHttpErrors: false,
      https: isHttps(url) ? { rejectUnauthorized: false } : {},
    });
    return { ok: true, status: res.statusCode, headers: flatten(res.headers), body: res.body };
  } catch (error) {
    return { ok: false, error };
  }
}
