/**
 * @chaos http.timeout identity.internal ms=50
 * @chaos-priority C
 *
 * A misaimed scenario: the rule names a host the service never calls (its identity API is on
 * localhost), so no fault is injected and the test passes while testing nothing. Without strict mode
 * the chaos summary lists the rule as a warning; with CHAOS_STRICT=1 the test fails naming it.
 * (Outside test/: only the demo's step 5 runs it.)
 */
import { getProfile, startTestService } from '../test/support/service';
import type { RunningService } from '../src/app';

let service: RunningService;
beforeEach(async () => {
  service = await startTestService();
});
afterEach(() => service?.close());

test('serves the profile while the identity API times out', async () => {
  const answer = await getProfile(service, '1');
  expect(answer.status).toBe(200);
});
