/**
 * @chaos db.lost primary
 * @chaos-priority B
 * @tag db
 *
 * Scenario (b): the primary database drops every connection. Reads are served from the read replica,
 * and the profile is the same one the primary would have returned.
 */
import { getProfile, startTestService } from '../support/service';
import type { RunningService } from '../../src/app';

let service: RunningService;
beforeEach(async () => {
  service = await startTestService();
});
afterEach(() => service?.close());

test('serves profiles from the read replica when the primary connection is lost', async () => {
  for (const id of ['1', '4']) {
    // On failure the diff shows the whole answer, the 503's reason included.
    expect(await getProfile(service, id)).toMatchObject({ status: 200, body: { id, sources: { account: 'replica', details: 'upstream' } } });
  }
  expect((await getProfile(service, '4')).body).toMatchObject({ email: 'barbara@example.test', plan: 'pro', sources: { account: 'cache' } });
  expect(chaos.events().map((event) => `${event.rule} -> ${event.call}`)).toEqual(Array(2).fill('db.lost primary -> db primary.findAccount'));
});
