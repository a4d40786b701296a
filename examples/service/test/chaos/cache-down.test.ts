/**
 * @chaos cache.down redis
 * @chaos-priority C
 * @tag cache
 *
 * Scenario (d): the cache refuses every connection. The API still answers 200, straight from the
 * database, and says the cache was degraded.
 */
import { getProfile, startTestService } from '../support/service';
import type { RunningService } from '../../src/app';

let service: RunningService;
beforeEach(async () => {
  service = await startTestService();
});
afterEach(() => service?.close());

test('still answers 200 from the database when the cache is down', async () => {
  for (let round = 0; round < 2; round++) {
    const answer = await getProfile(service, '2');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ email: 'grace@example.test', sources: { account: 'primary' }, degraded: ['cache'] });
  }
  // Each request tried the cache once (get), found it down and skipped the write-back.
  expect(chaos.events().map((event) => event.call)).toEqual(['cache redis.get', 'cache redis.get']);
});
