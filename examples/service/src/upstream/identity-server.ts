import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IdentityDetails } from './profile-client';

export interface IdentityServer {
  /** Base URL, e.g. `http://localhost:40123`; the API lives under `/identity/`. */
  readonly url: string;
  /** How many requests it has answered. */
  readonly requests: () => number;
  close(): Promise<void>;
}

/**
 * The embedded identity API: a real HTTP server on loopback that knows a fixed set of users. It is
 * addressed as `localhost` while the service's own API is addressed as `127.0.0.1`, so a host rule
 * (`http.timeout localhost`) faults the upstream and never the service.
 */
export async function startIdentityServer(users: Readonly<Record<string, IdentityDetails>>): Promise<IdentityServer> {
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests++;
    const match = /^\/identity\/users\/([^/?]+)$/.exec(request.url ?? '');
    const details = match === null ? undefined : users[decodeURIComponent(match[1]!)];
    response.setHeader('content-type', 'application/json');
    if (details === undefined) {
      response.statusCode = 404;
      response.end(JSON.stringify({ error: 'not found' }));
      return;
    }
    response.end(JSON.stringify(details));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
