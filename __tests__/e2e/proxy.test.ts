/**
 * Ordinary tests behind HTTP_PROXY run with chaos on exactly as under plain Jest: jest-chaos intercepts
 * HTTP only while a chaos test runs (or in a file that uses nock). The fixture's proxy is a server on
 * loopback in the test file that answers every request itself.
 */
import { MAJORS, runJestMajor } from '../support/jest-majors';
import { statuses, type JestRun } from '../support/run-jest';

const ORDINARY = ['an axios request goes through HTTP_PROXY', 'an ordinary test after the chaos test still goes through HTTP_PROXY'];

function ordinary(run: JestRun): Record<string, string> {
  const all = statuses(run);
  return Object.fromEntries(ORDINARY.map((name) => [name, all[name] ?? 'missing']));
}

describe.each(MAJORS)('Jest %i', (major) => {
  test('with chaos on, the ordinary tests end as under plain Jest, and the chaos test between them runs', async () => {
    const plain = await runJestMajor(major, 'proxy', [], {}, { config: 'jest.plain.config.js', loopbackOnly: true });
    const chaos = await runJestMajor(major, 'proxy', [], { CHAOS_ENABLED: '1', CHAOS_SEED: '7' }, { loopbackOnly: true });
    expect(ordinary(plain)).toEqual({ [ORDINARY[0]!]: 'passed', [ORDINARY[1]!]: 'passed' });
    expect(ordinary(chaos)).toEqual(ordinary(plain));
    expect(statuses(chaos)['a chaos test in the same file']).toBe('passed');
    expect(chaos.code).toBe(0);
  }, 300_000);
});
