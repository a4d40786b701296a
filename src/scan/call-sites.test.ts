import ts from 'typescript';
import { CallSiteFinder, type CallSite } from './call-sites';
import { FileIndex, ProjectIndex } from './resolver';
import { displayText, urlInfo } from './text';

/** Call sites of `files` (path -> source, under /p), as `file:line client role call -> host|address`. */
function sites(files: Record<string, string>): CallSite[] {
  const project = new ProjectIndex(ts);
  const indexes = Object.entries(files).map(([name, source]) => {
    const file = `/p/${name}`;
    const index = new FileIndex(ts, file, ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, name.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS));
    project.add(index);
    return { name, index };
  });
  const finder = new CallSiteFinder(ts, project);
  return indexes.flatMap(({ name, index }) => finder.find(index, name));
}

function lines(files: Record<string, string>): string[] {
  return sites(files).map((site) => {
    const address = site.address === undefined ? '' : ` -> ${urlInfo(site.address)?.host ?? displayText(site.address)}`;
    return `${site.file}:${site.line} ${site.library.id} ${site.role} ${site.call}${site.method === undefined ? '' : ` ${site.method}`}${address}`;
  });
}

describe('HTTP clients', () => {
  test('fetch and node:https with literal, template, concatenated and const URLs', () => {
    expect(
      lines({
        'a.js': [
          "const https = require('node:https');",
          "const BASE = 'https://api.example.com';",
          'fetch(`${BASE}/users/${id}`);',
          "fetch(BASE + '/x', { method: 'post' });",
          "https.get('https://status.example.com/health', () => {});",
          "https.request({ hostname: 'hooks.example.com', port: 8443, path: '/n', method: 'PUT' });",
          "globalThis.fetch(new Request('https://r.example.com/'));",
        ].join('\n'),
      }),
    ).toEqual([
      'a.js:3 fetch request fetch GET -> api.example.com',
      'a.js:4 fetch request fetch POST -> api.example.com',
      'a.js:5 https request https.get GET -> status.example.com',
      'a.js:6 https request https.request PUT -> hooks.example.com:8443',
      'a.js:7 fetch request globalThis.fetch GET -> r.example.com',
    ]);
  });

  test('axios: default export, instances with baseURL (also as class fields), config objects', () => {
    expect(
      lines({
        'config.ts': "export const API = 'https://ledger.example.com/v1';",
        'a.ts': [
          "import axios, { type AxiosInstance } from 'axios';",
          "import { API } from './config';",
          'const api = axios.create({ baseURL: API, timeout: 1000 });',
          "api.post('/entries', {});",
          "axios({ url: 'https://other.example.com/x', method: 'delete' });",
          'class Client {',
          '  constructor(private readonly http: AxiosInstance) {}',
          "  get() { return this.http.get('/x'); }",
          '}',
        ].join('\n'),
      }),
    ).toEqual(['a.ts:4 axios request api.post POST -> ledger.example.com', 'a.ts:5 axios request axios DELETE -> other.example.com', 'a.ts:8 axios request this.http.get GET -> /x']);
  });

  test('got.extend prefixUrl, undici request and Client, node-fetch', () => {
    expect(
      lines({
        'a.mjs': [
          "import got from 'got';",
          "import { request, Client } from 'undici';",
          "import fetch from 'node-fetch';",
          "const search = got.extend({ prefixUrl: 'https://search.example.com' });",
          "search.get('items');",
          "request('https://reco.example.com/x');",
          "const client = new Client('https://pool.example.com');",
          "client.request({ path: '/y', method: 'GET' });",
          "fetch('https://nf.example.com');",
        ].join('\n'),
      }),
    ).toEqual([
      'a.mjs:5 got request search.get GET -> search.example.com',
      'a.mjs:6 undici request request GET -> reco.example.com',
      'a.mjs:8 undici request client.request GET -> pool.example.com',
      'a.mjs:9 fetch request fetch GET -> nf.example.com',
    ]);
  });

  test('a URL only known at run time keeps its constant parts', () => {
    const [site] = sites({ 'a.ts': 'class C { constructor(private base: string) {} get(id: string) { return fetch(`${this.base}/users/${id}`); } }' });
    expect(displayText(site!.address!)).toBe('${this.base}/users/${id}');
    expect(urlInfo(site!.address!)).toBeUndefined();
  });

  test('process.env with a fallback names the fallback host and the variable', () => {
    const [site] = sites({ 'a.js': "const URL_ = process.env.API_URL ?? 'https://api.example.com'; fetch(`${URL_}/x`);" });
    expect(urlInfo(site!.address!)?.host).toBe('api.example.com');
    expect(site!.address!.env).toEqual(['API_URL']);
  });

  test('a local function or method named like a client is not one', () => {
    expect(lines({ 'a.js': 'function fetch(x) { return x; } fetch("https://a.example.com"); const axios = { get() {} }; axios.get("https://b.example.com");' })).toEqual([]);
  });
});

describe('databases, caches and brokers', () => {
  test('pg through a dynamic import, a typed field, an exported pool and a returned client', () => {
    expect(
      lines({
        'db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: 'postgres://db.example.com:5432/app' });\nexport function getPool() { return pool; }",
        'repo.ts': "import { pool, getPool } from './db';\nexport async function find() { return pool.query('SELECT 1'); }\nexport async function other() { return getPool().query('SELECT 2'); }",
        'lazy.ts': [
          "import type { Pool } from 'pg';",
          'export class Store {',
          '  private constructor(private readonly pool: Pool) {}',
          "  static async connect(url: string) { const { Pool } = await import('pg'); return new Store(new Pool({ connectionString: url })); }",
          "  find() { return this.pool.query('SELECT 3'); }",
          '  close() { return this.pool.end(); }',
          '}',
        ].join('\n'),
      }),
    ).toEqual([
      'db.ts:2 pg connect new Pool -> db.example.com:5432',
      'repo.ts:2 pg command pool.query query -> db.example.com:5432',
      'repo.ts:3 pg command getPool().query query -> db.example.com:5432',
      'lazy.ts:4 pg connect new Pool -> ${url}',
      'lazy.ts:5 pg command this.pool.query query',
    ]);
  });

  test('mysql2/promise, ioredis, node-redis; lifecycle methods are no call sites', () => {
    expect(
      lines({
        'a.js': [
          "const mysql = require('mysql2/promise');",
          "const Redis = require('ioredis');",
          "const { createClient } = require('redis');",
          "const pool = mysql.createPool({ uri: 'mysql://m.example.com/db' });",
          "pool.execute('SELECT 1');",
          "const redis = new Redis('redis://r.example.com:6379');",
          "redis.on('error', () => {});",
          "redis.get('k');",
          "const client = createClient({ url: 'redis://n.example.com' });",
          "client.set('k', 'v');",
          'client.quit();',
        ].join('\n'),
      }),
    ).toEqual([
      'a.js:4 mysql2 connect mysql.createPool -> m.example.com',
      'a.js:5 mysql2 command pool.execute execute -> m.example.com',
      'a.js:6 ioredis connect new Redis -> r.example.com:6379',
      'a.js:8 ioredis command redis.get get -> r.example.com:6379',
      'a.js:9 redis connect createClient -> n.example.com',
      'a.js:10 redis command client.set set -> n.example.com',
    ]);
  });

  test('brokers by client construction: amqplib, mqtt, nats, kafkajs, a generated gRPC client', () => {
    expect(
      lines({
        'a.ts': [
          "import amqp from 'amqplib';",
          "import mqtt from 'mqtt';",
          "import { connect } from 'nats';",
          "import { Kafka } from 'kafkajs';",
          "import * as grpc from '@grpc/grpc-js';",
          "export async function go(Service: any) {",
          "  const channel = await (await amqp.connect('amqp://rabbit.example.com')).createChannel();",
          "  channel.publish('x', 'y', Buffer.from(''));",
          "  mqtt.connect('mqtt://m.example.com');",
          "  await connect({ servers: 'nats://n.example.com:4222' });",
          "  const producer = new Kafka({ brokers: ['k.example.com:9092'] }).producer();",
          '  await producer.send({});',
          "  new Service('g.example.com:50051', grpc.credentials.createInsecure());",
          '}',
        ].join('\n'),
      }).map((line) => line.replace(/ -> .*/, '')),
    ).toEqual([
      "a.ts:7 amqplib command (await amqp.connect('amqp://rabbit.example.com')).createCha… createChannel",
      'a.ts:7 amqplib connect amqp.connect',
      'a.ts:8 amqplib command channel.publish publish',
      'a.ts:9 mqtt connect mqtt.connect',
      'a.ts:10 nats connect connect',
      "a.ts:11 kafkajs command new Kafka({ brokers: ['k.example.com:9092'] }).producer producer",
      'a.ts:11 kafkajs connect new Kafka',
      'a.ts:12 kafkajs command producer.send send',
      'a.ts:13 @grpc/grpc-js connect new Service',
    ]);
  });
});

describe('error handling and signals around a call site', () => {
  const handling = (source: string): string[][] => sites({ 'a.ts': source }).map((site) => site.handling.map((entry) => `${entry.kind}${entry.via === undefined ? '' : ` via ${entry.via}`}`));

  test('try/catch, .catch with a fallback, a retry loop in a caller, AbortSignal.timeout, retry helpers', () => {
    expect(
      handling(
        [
          "async function once(id: string) { return fetch('https://a.example.com/' + id, { signal: AbortSignal.timeout(100) }); }",
          'async function get(id: string) { for (let i = 0; i < 3; i++) { try { return await once(id); } catch (error) { if (i === 2) throw error; } } }',
          "async function safe() { return fetch('https://b.example.com').catch(() => null); }",
          "async function helper() { return pRetry(() => fetch('https://c.example.com'), { retries: 2 }); }",
          "async function plain() { try { await fetch('https://d.example.com'); } catch (error) { throw error; } }",
        ].join('\n'),
      ),
    ).toEqual([['try-catch via get', 'fallback via get', 'retry via get', 'timeout'], ['catch', 'fallback'], ['retry'], ['try-catch']]);
  });

  test('writes in a transaction, idempotency keys', () => {
    const found = sites({
      'a.js': [
        "const { Pool } = require('pg');",
        'const pool = new Pool();',
        "async function save(client) { await client.query('BEGIN'); await pool.query('INSERT INTO t VALUES (1)'); await pool.query('COMMIT'); }",
        "async function read() { return pool.query('SELECT 1'); }",
        "function pay() { return fetch('https://p.example.com', { method: 'POST', headers: { 'Idempotency-Key': 'k' } }); }",
      ].join('\n'),
    });
    expect(found.map((site) => `${site.line} write=${site.write} transaction=${site.transaction} idempotency=${site.idempotencyKey}`)).toEqual([
      '2 write=false transaction=false idempotency=false',
      '3 write=true transaction=true idempotency=false',
      '3 write=false transaction=true idempotency=false',
      '4 write=false transaction=false idempotency=false',
      '5 write=true transaction=false idempotency=true',
    ]);
  });
});
