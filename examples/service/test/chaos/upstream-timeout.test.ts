/**
 * @chaos http.timeout localhost ms=50
 * @chaos-priority C
 * @tag upstream
 *
 * Scenario (a): the identity API times out. The profile it served earlier is served from the
 * client's cache, and the request does not wait longer than the client's own timeouts.
 */
import { getProfile, startTestService } from '../support/service';
import type { RunningService } from '../../src/app';

let service: RunningService;
beforeEach(async () => {
  service = await startTestService();
  // Hooks run before the faults are installed: this read reaches the identity API and fills the cache.
  expect((await getProfile(service, '1')).body.sources?.details).toBe('upstream');
});
afterEach(() => service?.close());

test('serves the cached profile when the identity API times out', async () => {
  const answer = await getProfile(service, '1');
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ displayName: 'Ada Lovelace', sources: { details: 'cache' }, degraded: ['identity API'] });
  // One call and two retries, each refused by the timeout rule.
  expect(chaos.events().map((event) => event.rule)).toEqual(Array(3).fill('http.timeout localhost ms=50'));
});

test('answers 503 for a profile it never saw while the identity API times out', async () => {
  const answer = await getProfile(service, '2');
  expect(answer).toMatchObject({ status: 503, body: { dependency: 'identity API' }, retryAfter: '1' });
});
