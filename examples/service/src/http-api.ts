import http from 'node:http';
import { isUnavailableError } from './errors';
import type { ProfileService } from './profile-service';

function send(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** The service's HTTP API: GET /health and GET /users/:id/profile. */
export function createApi(service: ProfileService): http.Server {
  return http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://service.invalid');
    if (request.method !== 'GET') return send(response, 405, { error: 'method not allowed' }, { allow: 'GET' });
    if (url.pathname === '/health') return send(response, 200, { ok: true });
    const match = /^\/users\/([^/]+)\/profile$/.exec(url.pathname);
    if (match === null) return send(response, 404, { error: 'not found' });
    service.getProfile(decodeURIComponent(match[1]!)).then(
      (profile) => (profile === undefined ? send(response, 404, { error: 'no such user' }) : send(response, 200, profile)),
      (error: unknown) => {
        if (isUnavailableError(error)) send(response, 503, { error: error.message, dependency: error.dependency }, { 'retry-after': '1' });
        else send(response, 500, { error: 'internal error' });
      },
    );
  });
}
