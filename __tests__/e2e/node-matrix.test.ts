/**
 * The Node matrix: the same fixture projects, run by this repository's Jest 30 under Node 20, 22 and 24
 * (the running Node for its own major, the registry's binaries for the others, see
 * __tests__/support/node-versions.ts), give every test the same status and every chaos test the same
 * faults. The fixtures cover the lifecycle of chaos tests, HTTP faults on http, https, fetch (undici, which
 * differs per Node major), axios and got next to nock, the file selection with chaos off, and the pg,
 * mysql2, ioredis and node-redis adapters against the loopback services. docs/configuration.md lists the
 * cells.
 */
import { statuses } from '../support/run-jest';
import { majorOf, NODE_MAJORS, nodeBinary, nodeVersion, runJestOnNode, type NodeMajor, type NodeRun } from '../support/node-versions';

jest.setTimeout(180_000);

beforeAll(async () => {
  // Installs the binaries of the majors that the running Node is not, once per machine.
  await Promise.all(NODE_MAJORS.map((major) => nodeBinary(major)));
}, 600_000);

const CHAOS = { CHAOS_ENABLED: '1', CHAOS_SEED: '7' };

interface Case {
  readonly name: string;
  readonly fixture: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** Jest's exit code: 1 where the fixture holds tests that fail on purpose. */
  readonly code: number;
}

const CASES: readonly Case[] = [
  { name: 'lifecycle, chaos on (concurrent tests, failing hooks, retries, held requests, spies)', fixture: 'lifecycle', args: [], env: CHAOS, code: 1 },
  { name: 'HTTP faults, chaos on (error shapes against real failures, rules, nock composition, leaks)', fixture: 'http', args: ['fidelity.test.js', 'rules.test.js', 'composition.test.js', 'leaks.test.js'], env: CHAOS, code: 1 },
  { name: 'ordinary tests, chaos off (nock scopes, pending requests, expected failures as in plain Jest)', fixture: 'ordinary', args: [], env: {}, code: 1 },
  { name: 'DB and cache drivers, chaos on (pg, mysql2, ioredis, redis against the loopback services)', fixture: 'db', args: ['fidelity.test.js'], env: CHAOS, code: 0 },
];

interface ReportTest {
  readonly fullName: string;
  readonly faults: readonly { readonly rule: string; readonly hits: number }[];
}

/** Rules aimed at a local server name the port it listened on, which differs from run to run. */
const withoutPorts = (rule: string): string => rule.replace(/(127\.0\.0\.1|localhost|\[::1\]):\d+/g, '$1:<port>');

/** What must not depend on the Node major: exit code, per-test statuses and per-test faults. */
function outcome(run: NodeRun) {
  const report = run.report as { tests?: ReportTest[] } | undefined;
  const faults: Record<string, string[]> = {};
  for (const test of report?.tests ?? []) faults[test.fullName] = test.faults.map((fault) => `${String(fault.hits)} × ${withoutPorts(fault.rule)}`);
  return { code: run.code, statuses: statuses(run), faults };
}

function explain(major: NodeMajor, run: NodeRun): string {
  const messages = (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).filter((text) => text !== '');
  return `Node ${String(major)}: exit ${String(run.code)}\n${messages.join('\n').slice(0, 4000)}\n${run.stderr.slice(-2000)}`;
}

test('each cell runs the Node major it names', async () => {
  const versions = await Promise.all(NODE_MAJORS.map((major) => nodeVersion(major)));
  expect(versions.map(majorOf)).toEqual([...NODE_MAJORS]);
});

describe.each(CASES)('$name', ({ fixture, args, env, code }) => {
  test('Node 20, 22 and 24 give the same statuses and the same faults', async () => {
    const runs = await Promise.all(NODE_MAJORS.map((major) => runJestOnNode(major, fixture, args, env)));
    const [first, ...others] = runs.map(outcome);
    if (first === undefined || first.code !== code || Object.keys(first.statuses).length < 5) throw new Error(explain(NODE_MAJORS[0] as NodeMajor, runs[0] as NodeRun));
    expect(first.code).toBe(code);
    const byMajor = (value: ReturnType<typeof outcome>) => Object.fromEntries(NODE_MAJORS.map((major) => [`Node ${String(major)}`, value]));
    const actual = Object.fromEntries(NODE_MAJORS.map((major, i) => [`Node ${String(major)}`, i === 0 ? first : others[i - 1]]));
    expect(actual).toEqual(byMajor(first));
    // Chaos on faults something (the same on every Node, above); chaos off faults nothing.
    const faulted = Object.values(first.faults).flat().length;
    if (env.CHAOS_ENABLED === '1') expect(faulted).toBeGreaterThan(0);
    else expect(faulted).toBe(0);
  });
});
