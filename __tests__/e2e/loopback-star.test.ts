/**
 * `*` means every upstream, not the app under test (issue 9, point 7): `http.refused *` leaves requests to
 * loopback hosts (localhost, 127.0.0.0/8, ::1, 0.0.0.0) alone; a target that names a loopback host or a
 * port faults them.
 */
import { runJest, statuses } from '../support/run-jest';

jest.setTimeout(60_000);

test('http.refused * spares the local app and faults upstreams; explicit loopback targets fault it', async () => {
  const run = await runJest('loopback-star', [], { CHAOS_ENABLED: '1', CHAOS_SEED: '5' });
  const failures = (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).filter((text) => text !== '').join('\n');
  expect(failures).toBe('');
  expect(run.code).toBe(0);
  expect(statuses(run)).toEqual({
    'chaos: * leaves the app under test on 127.0.0.1 alone (fetch and http)': 'passed',
    'chaos: * leaves localhost, other 127.x addresses and 0.0.0.0 alone': 'passed',
    'chaos: * still faults every upstream': 'passed',
    'chaos: a target naming 127.0.0.1 faults the app': 'passed',
    'chaos: a target naming localhost faults it': 'passed',
    'chaos: a target naming the port faults loopback on that port': 'passed',
    'chaos: a URL glob whose host is * leaves loopback alone': 'passed',
  });
});
