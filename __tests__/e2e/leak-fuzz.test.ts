/**
 * Leak fuzz: random sequences of chaos tests (rules, builders, stubs, registered seams, the test's own nock
 * scopes and net-connect calls, sockets, dangling requests, fake timers, tcp rules on Redis, PostgreSQL and a
 * local net server with connections of the test's own and of clients kept across tests; tests that pass,
 * throw or time out),
 * each followed by a probe test that checks that nothing of it survived. The plan is drawn from a seed that
 * is printed and can be replayed with LEAK_FUZZ_SEED=<seed>.
 */
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { FIXTURES, runJest, type JestRun } from '../support/run-jest';

jest.setTimeout(90000);

const DEFAULT_SEED = 20261124;
const STEPS_PER_FILE = 40;
const FILES = ['fuzz-suite', 'fuzz-inline'] as const;

/** mulberry32: a small seeded generator, so that a plan is a pure function of its seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Action {
  readonly type: string;
  readonly [option: string]: unknown;
}

interface Step {
  readonly id: string;
  readonly rules: string[];
  readonly actions: Action[];
  readonly end: 'pass' | 'throw' | 'timeout';
}

function planFor(seed: number): Record<string, Step[]> {
  const random = generator(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number): boolean => random() < p;

  const httpRule = (): string => {
    const kind = pick(['refused', 'reset', 'dns', 'status', 'latency', 'timeout', 'malformed', 'hang']);
    const target = pick(['127.0.0.1', '*', `http://127.0.0.1`, '127.0.0.1/work']);
    const options: string[] = [];
    if (kind === 'latency') options.push(`ms=${pick(['1', '1-20', '5'])}`);
    if (kind === 'timeout') options.push(`ms=${pick(['0', '5'])}`);
    if (kind === 'status') options.push(`status=${pick(['500', '503', '429'])}`);
    if (kind === 'hang' || chance(0.4)) options.push(`p=${pick(['0.2', '0.5', '0.9'])}`);
    if (chance(0.3)) options.push(`times=${pick(['1', '2'])}`);
    if (chance(0.2)) options.push(`method=${pick(['GET', 'POST'])}`);
    return [`http.${kind}`, target, ...options].join(' ');
  };

  /** tcp rules on Redis, PostgreSQL and each file's local net server (`NET`: its port, known to the harness). */
  const tcpRule = (): string => {
    const kind = pick(['reset', 'down', 'timeout', 'latency', 'slicer', 'limit-data']);
    const target = pick(['127.0.0.1:6379', '*:6379', '127.0.0.1:5432', '127.0.0.1:NET', 'localhost:NET']);
    const options: string[] = [];
    if (kind === 'reset') options.push(`ms=${pick(['0', '5'])}`);
    if (kind === 'timeout') options.push(`ms=${pick(['0', '50'])}`);
    if (kind === 'latency') options.push(`ms=${pick(['1', '1-20', '5'])}`);
    if (kind === 'slicer') options.push(`bytes=${pick(['1', '4'])}`);
    if (kind === 'limit-data') options.push(`bytes=${pick(['1', '10', '100'])}`);
    if (kind !== 'down' && chance(0.2)) options.push(`direction=${pick(['upstream', 'both'])}`);
    if (chance(0.3)) options.push(`p=${pick(['0.3', '0.7'])}`);
    if (chance(0.2)) options.push('times=1');
    return [`tcp.${kind}`, target, ...options].join(' ');
  };

  const tcpActionMakers: (() => Action)[] = [
    () => ({ type: 'redisOwn', keep: chance(0.3) }),
    () => ({ type: 'redisShared' }),
    () => ({ type: 'redisReconnect' }),
    () => ({ type: 'pgPool', queries: pick([1, 2, 3]) }),
    () => ({ type: 'netEcho', keep: chance(0.3) }),
  ];

  const actionMakers: (() => Action)[] = [
    () => ({ type: 'fetch' }),
    () => ({ type: 'get' }),
    () => ({ type: 'danglingFetch' }),
    () => ({ type: 'socket' }),
    () => ({ type: 'builder', kind: pick(['refused', 'status', 'latency', 'timeout']), ...(chance(0.5) ? { times: 1 } : {}), ...(chance(0.3) ? { p: 0.5 } : {}) }),
    () => ({ type: 'registered' }),
    () => ({ type: 'nock', persist: chance(0.3), consume: chance(0.5) }),
    () => ({ type: 'disableNet' }),
    () => ({ type: 'enableNet' }),
    () => ({ type: 'fakeTimers', advance: chance(0.5) }),
    ...tcpActionMakers,
  ];

  const plan: Record<string, Step[]> = {};
  for (const file of FILES) {
    const steps: Step[] = [];
    for (let i = 1; i <= STEPS_PER_FILE; i++) {
      const rules: string[] = [];
      const ruleCount = pick([0, 1, 1, 2, 3]);
      for (let r = 0; r < ruleCount; r++) rules.push(httpRule());
      if (chance(0.4)) rules.push(pick(['db.down primary', 'db.latency primary ms=2', 'db.error primary p=0.5', 'db.lost primary times=1', 'db.lost * times=1', 'db.down *']));
      const actions: Action[] = [];
      const actionCount = 1 + Math.floor(random() * 4);
      for (let a = 0; a < actionCount; a++) actions.push(pick(actionMakers)());
      // At most one stub per step: a second stub of the same method is a usage error, not a leak.
      if (chance(0.35)) actions.splice(Math.floor(random() * (actions.length + 1)), 0, { type: 'stub', kind: pick(['down', 'latency', 'fail']) });
      if (chance(0.45)) {
        const tcpCount = pick([1, 1, 2]);
        for (let r = 0; r < tcpCount; r++) rules.push(tcpRule());
      }
      if (rules.some((rule) => rule.startsWith('http.') || rule.startsWith('db.'))) actions.push(pick([{ type: 'fetch' }, { type: 'get' }, { type: 'registered' }]));
      // A connection that the first tcp rule's target reaches.
      const tcpTarget = rules.find((rule) => rule.startsWith('tcp.'))?.split(' ')[1];
      if (tcpTarget !== undefined) actions.push(tcpTarget.endsWith(':NET') ? tcpActionMakers[4]!() : tcpTarget.endsWith(':5432') ? tcpActionMakers[3]!() : pick([tcpActionMakers[0]!, tcpActionMakers[2]!])());
      // Fake timers come last: injected delays follow them, so a later await would wait for a clock nobody advances.
      // Nor do they meet a reconnect of the kept Redis client: its retry timer would be the test's fake one, a
      // leak of the test's own making that leaves the client reconnecting forever (with or without jest-chaos).
      const fake = actions.find((action) => action.type === 'fakeTimers');
      if (fake !== undefined) actions.splice(0, actions.length, ...actions.filter((action) => action.type !== 'fakeTimers' && action.type !== 'redisReconnect'), fake);
      const end = pick(['pass', 'pass', 'pass', 'throw', 'timeout'] as const);
      steps.push({ id: `${file === 'fuzz-suite' ? 's' : 'i'}${i}`, rules, actions, end });
    }
    plan[file] = steps;
  }
  return plan;
}

/** A loopback port that nothing listens on now: each fixture file's local net server takes one. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function readSeed(): number {
  const raw = process.env.LEAK_FUZZ_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  if (!/^\d+$/.test(raw)) throw new Error(`LEAK_FUZZ_SEED="${raw}" is not a whole number`);
  return Number(raw);
}

/** Every test of the run by its full name (the chaos suite's tests carry a `chaos: ` prefix). */
function results(run: JestRun): Map<string, { status: string; failure: string }> {
  const map = new Map<string, { status: string; failure: string }>();
  for (const file of run.json?.testResults ?? []) {
    const key = path.basename(file.name, '.test.js');
    for (const test of file.assertionResults) {
      map.set(`${key} ${test.fullName.replace(/^chaos: /, '')}`, { status: test.status, failure: test.failureMessages.join('\n').split('\n').slice(0, 3).join(' ') });
    }
  }
  return map;
}

test('no fault, nock interceptor, patch, net-connect change, fake timer or tcp toxic outlives its test', async () => {
  const seed = readSeed();
  const replay = `seed ${seed} (replay: LEAK_FUZZ_SEED=${seed} npx jest __tests__/e2e/leak-fuzz.test.ts --selectProjects e2e)`;
  process.stdout.write(`leak fuzz: ${replay}\n`);
  const plan = planFor(seed);

  // --forceExit: the steps leave sockets and requests dangling on purpose; the probes, not Jest's exit, judge them.
  const fuzz = async (steps: Record<string, Step[]>): Promise<JestRun> => {
    const ports = { 'fuzz-suite': await freePort(), 'fuzz-inline': await freePort() };
    return runJest(path.join(FIXTURES, 'fuzz'), ['--maxWorkers=2', '--forceExit'], { CHAOS_ENABLED: '1', CHAOS_SEED: String(seed), LEAK_FUZZ_PLAN: JSON.stringify(steps), LEAK_FUZZ_NET_PORTS: JSON.stringify(ports) });
  };
  // The control: one step that patches a method by hand, a leak that only the probe can catch.
  const controlStep: Step = { id: 'c1', rules: ['http.refused 127.0.0.1'], actions: [{ type: 'handPatch' }], end: 'pass' };
  const [run, control] = await Promise.all([fuzz(plan), fuzz({ 'fuzz-inline': [controlStep] })]);
  const controlProbe = results(control).get('fuzz-inline probe after step c1');
  expect(controlProbe?.status).toBe('failed');
  expect(controlProbe?.failure).toContain('LEAK after step c1 pass');
  expect(controlProbe?.failure).toContain('store.get (chaos.stub) is still patched');

  const byName = results(run);
  const problems: string[] = [];
  if (run.json === undefined || byName.size === 0) problems.push(`no test results (exit ${run.code}); stderr:\n${run.stderr.slice(0, 4000)}`);
  for (const file of run.json?.testResults ?? []) if (file.message !== '' && file.assertionResults.length === 0) problems.push(`${path.basename(file.name)} did not run: ${file.message.slice(0, 2000)}`);

  for (const file of FILES) {
    const expectProbe = (name: string): void => {
      const probe = byName.get(`${file} ${name}`);
      if (probe === undefined) problems.push(`${file}: "${name}" did not run`);
      else if (probe.status !== 'passed') problems.push(`${file}: ${name}: ${probe.failure}`);
    };
    expectProbe('probe before any step');
    for (const step of plan[file]!) {
      const result = byName.get(`${file} step ${step.id} ${step.end}`);
      const expected = step.end === 'pass' ? 'passed' : 'failed';
      if (result === undefined) problems.push(`${file}: step ${step.id} did not run`);
      else if (result.status !== expected) problems.push(`${file}: step ${step.id} ${result.status}, expected ${expected}: ${result.failure} ${JSON.stringify(step)}`);
      expectProbe(`probe after step ${step.id}`);
    }
  }
  // Every planned test ran (one probe per step plus the first one, in both files), and nothing else did.
  const planned = FILES.length * (2 * STEPS_PER_FILE + 1);
  if (byName.size !== planned) problems.push(`${byName.size} tests reported, ${planned} planned`);
  if (problems.length > 0) throw new Error(`leak fuzz failed with ${replay}:\n${problems.join('\n')}`);
});
