/**
 * jest-chaos next to msw 2 and 3 (`setupServer` from `msw/node`): chaos rules come before msw's handlers
 * (a faulted request never reaches them, an unfaulted one gets msw's answer), msw's
 * `onUnhandledRequest` keeps working, and the loopback guard names msw. Ordinary tests in the same files
 * end as under plain Jest. Through fetch, axios and http.get, on every Node major and both Jest majors
 * (MSW_CELLS, listed in docs/http-faults.md). The fixture's ESM files run in Jest's ESM mode; its CommonJS
 * files load msw (whose dependencies are ESM only) where Jest's require() can load ES modules, and the
 * test shows where it cannot.
 */
import { MAJORS, runJestMajor, type JestMajor } from '../support/jest-majors';
import { nodeBinary, PINNED, type NodeMajor } from '../support/node-versions';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JestRun } from '../support/run-jest';

const ESM = { NODE_OPTIONS: '--experimental-vm-modules' };
const CHAOS = { ...ESM, CHAOS_ENABLED: '1', CHAOS_SEED: '7' };
/** What Jest says when its require() meets an ES module that it cannot load. */
const REQUIRE_ESM_ERROR = 'Must use import to load ES Module';

interface MswCell {
  readonly node: NodeMajor;
  readonly jest: JestMajor;
  /** The fixture's test files that the cell runs: `.mjs` (jest.config.js) or `.cjs` (jest.cjs.config.js). */
  readonly files: 'ESM' | 'CommonJS';
  /** False where Jest cannot load msw from the files: every file then fails with REQUIRE_ESM_ERROR. */
  readonly loads: boolean;
}

/** Every combination that this test runs with chaos on. The first is the reference of the others. */
const MSW_CELLS: readonly MswCell[] = [
  { node: 20, jest: 30, files: 'ESM', loads: true },
  { node: 20, jest: 29, files: 'ESM', loads: true },
  { node: 22, jest: 30, files: 'ESM', loads: true },
  { node: 24, jest: 30, files: 'ESM', loads: true },
  { node: 24, jest: 29, files: 'ESM', loads: true },
  { node: 24, jest: 30, files: 'CommonJS', loads: true },
  { node: 20, jest: 30, files: 'CommonJS', loads: false },
  { node: 22, jest: 30, files: 'CommonJS', loads: false },
  { node: 24, jest: 29, files: 'CommonJS', loads: false },
];

const versionOf = (name: string): string => (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
const nodeLabel = (major: NodeMajor): string => (major === 20 ? 'Node 20' : `Node ${PINNED[major]}`);

/** The list of MSW_CELLS that docs/http-faults.md shows. */
function mswCellList(cells: readonly MswCell[] = MSW_CELLS): string {
  const header = `| test files | Node | Jest | msw ${versionOf('msw')} and ${versionOf('msw3')}, chaos on |\n| --- | --- | --- | --- |`;
  const rows = cells.map((cell, i) => {
    const outcome = !cell.loads ? `Jest fails each file: \`${REQUIRE_ESM_ERROR}\`` : i === 0 ? 'the reference: no test fails' : 'each test ends as in the reference';
    return `| ${cell.files} | ${nodeLabel(cell.node)} | ${String(cell.jest)} | ${outcome} |`;
  });
  return [header, ...rows].join('\n');
}

function failures(run: JestRun): string {
  const messages = (run.json?.testResults ?? []).flatMap((file) => [file.message, ...file.assertionResults.flatMap((test) => test.failureMessages)]).filter((text) => text !== '');
  return `exit ${String(run.code)}\n${messages.join('\n').slice(0, 6000)}\n${run.stderr.slice(-3000)}`;
}

/** `<file> <full name>` -> status, the file's extension left out: ESM and CommonJS files hold tests of the same names. */
function statuses(run: JestRun): Record<string, string> {
  const result: Record<string, string> = {};
  for (const file of run.json?.testResults ?? []) for (const test of file.assertionResults) result[`${path.basename(file.name).replace(/\.[cm]js$/, '')} ${test.fullName}`] = test.status;
  return result;
}

/** Ordinary tests only: a chaos test's name holds ` chaos: `. */
function ordinary(run: JestRun): Record<string, string> {
  return Object.fromEntries(Object.entries(statuses(run)).filter(([name]) => !name.includes(' chaos: ')));
}

/** The tests of the msw2 and msw3 files, the ones that the CommonJS files hold too. */
function casesOf(tests: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tests).filter(([name]) => /^msw[23]\.test /.test(name)));
}

async function runCell(cell: MswCell, env: Record<string, string>, config?: string): Promise<JestRun> {
  const node = await nodeBinary(cell.node);
  return runJestMajor(cell.jest, 'msw', [], env, { config: config ?? (cell.files === 'ESM' ? 'jest.config.js' : 'jest.cjs.config.js'), loopbackOnly: true, node });
}

const [REFERENCE] = MSW_CELLS as [MswCell, ...MswCell[]];
let plain: JestRun;
let reference: JestRun;

beforeAll(async () => {
  plain = await runCell(REFERENCE, ESM, 'jest.plain.config.js');
  reference = await runCell(REFERENCE, CHAOS);
}, 600_000);

test('under plain Jest, the ordinary tests of the fixture pass (the reference)', () => {
  const tests = ordinary(plain);
  expect(Object.keys(tests).length).toBeGreaterThanOrEqual(10);
  expect(Object.entries(tests).filter(([, status]) => status !== 'passed' && status !== 'pending')).toEqual([]);
  expect(tests['msw3.test this file runs msw 3']).toBe('passed');
  expect(tests['msw2.test this file runs msw 2']).toBe('passed');
});

describe('Node 20, Jest 30, ESM test files (the reference of the other cells)', () => {
  test('every test passes with chaos on: faults before msw, msw answers the rest, the guard names msw', () => {
    expect(reference.code).toBe(0);
    const tests = statuses(reference);
    const failed = Object.entries(tests).filter(([, status]) => status === 'failed');
    expect(failed.length === 0 ? '' : failures(reference)).toBe('');
    const names = ['a faulted request never reaches msw', 'a refused request never reaches msw', "an unfaulted request gets msw's answer", 'latency delays the request, then msw answers', "an unmocked request fails under msw's onUnhandledRequest: error"];
    for (const file of ['msw2.test', 'msw3.test']) {
      for (const client of ['fetch', 'axios', 'http.get']) {
        for (const name of names) expect([`${file} ${client} chaos: ${name}`, tests[`${file} ${client} chaos: ${name}`]]).toEqual([`${file} ${client} chaos: ${name}`, 'passed']);
      }
      expect(tests[`${file} msw letting unhandled requests through chaos: the loopback guard refuses an unmocked host and names msw`]).toBe('passed');
    }
    expect(tests['pragma.test chaos: a rule of the file pragma answers fetch before msw']).toBe('passed');
    for (const name of ['chaos: the first call gets a 503 before msw sees it', 'chaos: a builder refuses the host', 'msw answers as usual']) expect(tests[`docs-example.test ${name}`]).toBe('passed');
    expect(tests['pragma.test chaos: a rule of the file pragma answers axios before msw']).toBe('passed');
  });

  test('ordinary tests end as under plain Jest', () => {
    expect(ordinary(reference)).toEqual(ordinary(plain));
  });
});

describe.each(MSW_CELLS.slice(1))('Node $node, Jest $jest, $files test files', (cell) => {
  let run: JestRun;

  beforeAll(async () => {
    run = await runCell(cell, CHAOS);
  }, 300_000);

  if (cell.loads) {
    test('every test ends as on Node 20 with Jest 30 (what the tests assert: statuses, and whether msw\'s handler was called)', () => {
      const expected = cell.files === 'ESM' ? statuses(reference) : casesOf(statuses(reference));
      if (run.code !== 0) throw new Error(failures(run));
      expect(Object.keys(expected).length).toBeGreaterThanOrEqual(40);
      expect(statuses(run)).toEqual(expected);
    });
  } else {
    test(`Jest cannot load msw from the files: each fails with "${REQUIRE_ESM_ERROR}"`, () => {
      expect(run.code).toBe(1);
      const files = run.json?.testResults ?? [];
      expect(files.map((file) => path.basename(file.name)).sort()).toEqual(['msw2.test.cjs', 'msw3.test.cjs']);
      for (const file of files) {
        expect(file.assertionResults).toEqual([]);
        expect(file.message).toContain(REQUIRE_ESM_ERROR);
      }
    });
  }
});

test('every Jest major and every Node major runs the ESM files', () => {
  const esm = MSW_CELLS.filter((cell) => cell.files === 'ESM');
  expect([...new Set(esm.map((cell) => cell.jest))].sort()).toEqual([...MAJORS]);
  expect([...new Set(esm.map((cell) => cell.node))].sort()).toEqual([20, 22, 24]);
});

test('docs/http-faults.md lists the cells that this test runs', () => {
  const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'http-faults.md'), 'utf8');
  const start = '<!-- msw cells: generated from MSW_CELLS of __tests__/e2e/msw.test.ts, compared by it -->\n';
  const at = doc.indexOf(start);
  expect(at).toBeGreaterThan(-1);
  expect(doc.slice(at + start.length, doc.indexOf('\n\n', at + start.length))).toBe(mswCellList());
});
