import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProfileClient } from '../src/upstream/profile-client';

/** A loopback identity API whose answers the test scripts, one handler per request. */
async function scriptedServer(handlers: ((response: http.ServerResponse) => void)[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const server = http.createServer((_request, response) => {
    const handler = handlers[Math.min(next++, handlers.length - 1)]!;
    handler(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const ok = (response: http.ServerResponse): void => void response.end(JSON.stringify({ displayName: 'Ada', avatarUrl: 'a.png' }));
const unavailable = (response: http.ServerResponse): void => void ((response.statusCode = 503), response.end('{}'));
const silent = (): void => undefined;

test('retries a 503 and returns the upstream answer', async () => {
  const server = await scriptedServer([unavailable, ok]);
  try {
    const client = new ProfileClient(server.url, { timeoutMs: 500, retries: 2, backoffMs: 1 });
    await expect(client.get('1')).resolves.toEqual({ details: { displayName: 'Ada', avatarUrl: 'a.png' }, source: 'upstream' });
  } finally {
    await server.close();
  }
});

test('gives up after its timeout and serves the last copy it saw', async () => {
  const server = await scriptedServer([ok, silent]);
  try {
    const client = new ProfileClient(server.url, { timeoutMs: 1000, retries: 0 });
    await client.get('1');
    const started = Date.now();
    await expect(client.get('1')).resolves.toMatchObject({ source: 'cache' });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(4000);
  } finally {
    await server.close();
  }
});

test('reports the identity API unavailable when there is no copy to fall back to', async () => {
  const server = await scriptedServer([unavailable]);
  try {
    const client = new ProfileClient(server.url, { timeoutMs: 500, retries: 1, backoffMs: 1 });
    await expect(client.get('1')).rejects.toMatchObject({ dependency: 'identity API', reason: '503' });
  } finally {
    await server.close();
  }
});
