/**
 * @chaos http.latency localhost ms=20-200 p=0.3
 * @chaos http.refused localhost p=0.1
 * @chaos-priority C
 * @tag upstream
 *
 * Scenario (c): the identity API is slow on 30% of calls and refuses 10%, drawn from the test's seeded
 * generator. Retries and the client's cache keep every request answered; at most one in twenty may
 * degrade to a 503, whatever the seed. (The latency stays under the client's 300 ms timeout: slow
 * calls are waited for, refused ones retried.)
 */
import { getProfile, startTestService } from '../support/service';
import type { RunningService } from '../../src/app';

const REQUESTS = 40;
const USERS = ['1', '2', '3', '4', '5', '6'];

let service: RunningService;
beforeEach(async () => {
  service = await startTestService();
});
afterEach(() => service?.close());

test('answers every request under random latency and refused connections', async () => {
  const statuses: number[] = [];
  // One request at a time: the faults are drawn in call order, so the same seed gives the same run.
  for (let i = 0; i < REQUESTS; i++) statuses.push((await getProfile(service, USERS[i % USERS.length]!)).status);

  expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
  expect(statuses.filter((status) => status === 503).length).toBeLessThanOrEqual(REQUESTS / 20);
  expect(chaos.events().length).toBeGreaterThan(0);
}, 20000);
