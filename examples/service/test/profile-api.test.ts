import { startTestService, getProfile } from './support/service';
import type { RunningService } from '../src/app';

let service: RunningService;
beforeEach(async () => {
  service = await startTestService();
});
afterEach(() => service?.close());

describe('GET /users/:id/profile', () => {
  test('joins the account and the identity details', async () => {
    const answer = await getProfile(service, '1');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      id: '1',
      email: 'ada@example.test',
      plan: 'pro',
      displayName: 'Ada Lovelace',
      avatarUrl: 'https://avatars.example.test/1.png',
      sources: { account: 'primary', details: 'upstream' },
      degraded: [],
    });
  });

  test('serves the account from the cache on the second read', async () => {
    const before = service.identity.requests();
    await getProfile(service, '2');
    const answer = await getProfile(service, '2');
    expect(answer.body.sources).toEqual({ account: 'cache', details: 'upstream' });
    // The identity details are not cached by the API: both reads asked the identity API.
    expect(service.identity.requests() - before).toBe(2);
  });

  test('answers 404 for an unknown user', async () => {
    const answer = await getProfile(service, '999');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: 'no such user' });
  });

  chaos.test('answers 503 with Retry-After when the primary and the replica are both down', ['db.down primary', 'db.down replica'], async () => {
    const answer = await getProfile(service, '3');
    expect(answer).toEqual({ status: 503, body: { error: expect.stringContaining('primary: ECONNREFUSED'), dependency: 'account database' }, retryAfter: '1' });
    expect(chaos.events()[0]?.rule).toBe('db.down primary');
  });

  chaos.test('serves the cached details, within its own timeouts, when the identity API never answers', [], async () => {
    await getProfile(service, '5');
    // From here on the identity API takes calls and never answers; only the client's timeout ends them.
    chaos.http('localhost').hang();
    const started = Date.now();
    const answer = await getProfile(service, '5');
    const waited = Date.now() - started;
    expect(answer).toMatchObject({ status: 200, body: { displayName: 'Alan Turing', sources: { details: 'cache' } } });
    // Three attempts of 300 ms each plus backoff, well below the caller's 5 s patience.
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(4000);
    expect(chaos.events()).toHaveLength(3);
  });
});

test('GET /health answers ok', async () => {
  const response = await fetch(`${service.url}/health`);
  expect(response.status).toBe(200);
  await expect(response.json()).resolves.toEqual({ ok: true });
});
