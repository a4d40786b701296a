import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { runProcess } from './support/run-process';

/**
 * The CI templates of docs/ci/: their structure, that every command, option and variable they use
 * exists in this package (and in Jest), and a local run of the workflows' commands on a small project:
 * the everyday job, every cell of the scheduled job's seeds × shards matrix, its merge job, and the
 * replay command that the merged summary prints.
 */
const ROOT = path.join(__dirname, '..');
const CI_DIR = path.join(ROOT, 'docs', 'ci');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const INIT_FIXTURES = path.join(__dirname, 'e2e', 'fixtures', 'init');

type Yaml = Record<string, unknown>;
interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}
interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly env?: Record<string, unknown>;
  readonly strategy?: { matrix?: Record<string, unknown>; 'fail-fast'?: boolean };
  readonly steps: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

const files = readdirSync(CI_DIR).filter((name) => /\.ya?ml$/.test(name));
const docs = new Map(files.map((name) => [name, parse(readFileSync(path.join(CI_DIR, name), 'utf8')) as Yaml]));
const github = [...docs].filter(([, doc]) => 'jobs' in doc) as unknown as [string, Workflow][];
const gitlab = [...docs].filter(([, doc]) => 'stages' in doc);
const workflow = (name: string) => docs.get(name) as unknown as Workflow;

// ---------------------------------------------------------------------------------------------------
// A small evaluator for the GitHub Actions expressions the templates use.

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
interface Context {
  readonly [name: string]: Value;
}

function truthy(value: Value): boolean {
  return !(value === null || value === false || value === 0 || value === '');
}

function evaluate(source: string, context: Context): Value {
  let i = 0;
  const space = () => {
    while (/\s/.test(source[i] ?? '')) i++;
  };
  const take = (token: string) => {
    space();
    if (source.startsWith(token, i)) {
      i += token.length;
      return true;
    }
    return false;
  };
  const functions: Record<string, (...args: Value[]) => Value> = {
    fromJSON: (text) => JSON.parse(String(text)) as Value,
    toJSON: (value) => JSON.stringify(value),
    format: (pattern, ...args) => String(pattern).replace(/\{(\d+)\}/g, (_, n: string) => String(args[Number(n)] ?? '')),
    cancelled: () => false,
    always: () => true,
    success: () => true,
    failure: () => false,
  };
  function primary(): Value {
    space();
    if (take('(')) {
      const value = or();
      if (!take(')')) throw new Error(`expected ) at ${i} in ${source}`);
      return value;
    }
    if (take('!')) return !truthy(primary());
    if (source[i] === "'") {
      const end = source.indexOf("'", i + 1);
      const value = source.slice(i + 1, end);
      i = end + 1;
      return value;
    }
    const number = /^\d+(\.\d+)?/.exec(source.slice(i));
    if (number !== null) {
      i += number[0].length;
      return Number(number[0]);
    }
    const name = /^[A-Za-z_][\w-]*/.exec(source.slice(i));
    if (name === null) throw new Error(`unexpected "${source.slice(i)}" in ${source}`);
    i += name[0].length;
    if (take('(')) {
      const args: Value[] = [];
      if (!take(')')) {
        do args.push(or());
        while (take(','));
        if (!take(')')) throw new Error(`expected ) in ${source}`);
      }
      const fn = functions[name[0]];
      if (fn === undefined) throw new Error(`unknown function ${name[0]} in ${source}`);
      return fn(...args);
    }
    let value: Value = context[name[0]] ?? null;
    while (source[i] === '.') {
      i++;
      const key = /^[A-Za-z_][\w-]*/.exec(source.slice(i));
      if (key === null) throw new Error(`bad property in ${source}`);
      i += key[0].length;
      value = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value[key[0]] ?? null) : null;
    }
    return value;
  }
  function and(): Value {
    let value = primary();
    while (take('&&')) {
      const right = primary();
      value = truthy(value) ? right : value;
    }
    return value;
  }
  function or(): Value {
    let value = and();
    while (take('||')) {
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  }
  const value = or();
  space();
  if (i !== source.length) throw new Error(`unexpected "${source.slice(i)}" in ${source}`);
  return value;
}

/** A template string: a lone `${{ x }}` gives x's value, else each expression is interpolated. */
function interpolate(text: unknown, context: Context): Value {
  if (typeof text !== 'string') return text as Value;
  const whole = /^\$\{\{(.*)\}\}$/s.exec(text.trim());
  if (whole !== null && !(whole[1] as string).includes('}}')) return evaluate(whole[1] as string, context);
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
    const value = evaluate(expression, context);
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '');
  });
}

/** The matrix's cells (no include/exclude in the templates). */
function cells(job: Job, context: Context): Record<string, Value>[] {
  const matrix = job.strategy?.matrix ?? {};
  expect(Object.keys(matrix).filter((key) => key === 'include' || key === 'exclude')).toEqual([]);
  let result: Record<string, Value>[] = [{}];
  for (const [key, raw] of Object.entries(matrix)) {
    const values = interpolate(raw, context);
    if (!Array.isArray(values)) throw new Error(`matrix.${key} is not a list: ${JSON.stringify(values)}`);
    result = result.flatMap((cell) => values.map((value) => ({ ...cell, [key]: value })));
  }
  return result;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
}

// ---------------------------------------------------------------------------------------------------
// What exists in this package and in Jest.

function output(args: readonly string[]): string {
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return `${result.stdout}${result.stderr}`;
}

const registeredCommands = (() => {
  const help = output([CLI, '--help']);
  const section = help.slice(help.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}([a-z][\w-]*)\s/gm)].map((match) => match[1] as string);
})();

/** The CHAOS_* variables that src/settings/env.ts reads. */
const readVariables = new Set([...readFileSync(path.join(ROOT, 'src', 'settings', 'env.ts'), 'utf8').matchAll(/env\.(CHAOS_[A-Z_]+)/g)].map((match) => match[1] as string));

/** Every shell command line of a template: GitHub `run:` steps, GitLab `script:` entries. */
function commandLines(doc: Yaml): string[] {
  const lines: string[] = [];
  const visit = (node: unknown, key: string | undefined) => {
    if (typeof node === 'string' && (key === 'run' || key === 'script' || key === 'before_script' || key === 'after_script')) lines.push(...node.split('\n'));
    else if (Array.isArray(node)) for (const item of node) visit(item, key === 'steps' ? undefined : key);
    else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) visit(v, k);
  };
  visit(doc, undefined);
  return lines.map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

/** Every CHAOS_* name a template sets or uses. */
function chaosVariables(doc: Yaml): string[] {
  return [...new Set([...JSON.stringify(doc).matchAll(/\bCHAOS_[A-Z_]+/g)].map((match) => match[0]))];
}

/** Checks a cron expression of five fields against the ranges GitHub and GitLab accept. */
function cronProblems(cron: string): string[] {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return [`${cron}: ${fields.length} fields, not 5`];
  const ranges: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];
  const problems: string[] = [];
  fields.forEach((field, index) => {
    const [min, max] = ranges[index] as [number, number];
    for (const part of field.split(',')) {
      const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      const numbers = match === null ? [] : [match[2], match[3], match[4]].filter((n): n is string => n !== undefined).map(Number);
      const inRange = match !== null && [match[2], match[3]].every((n) => n === undefined || (Number(n) >= min && Number(n) <= max));
      if (match === null || !inRange || numbers.some((n) => !Number.isInteger(n)) || (match[4] !== undefined && Number(match[4]) === 0)) problems.push(`${cron}: field ${index + 1} "${part}" is not valid (${min}-${max})`);
    }
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------------

describe('docs/ci templates', () => {
  test('are the GitHub workflows init copies, plus the GitLab variant, all parseable YAML', () => {
    expect(files.sort()).toEqual(['chaos-everyday.yml', 'chaos-scheduled.yml', 'gitlab-ci.yml']);
    expect(github.map(([name]) => name).sort()).toEqual(['chaos-everyday.yml', 'chaos-scheduled.yml']);
    expect(gitlab.map(([name]) => name)).toEqual(['gitlab-ci.yml']);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[]; bin: Record<string, string> };
    // All of docs/ ships, the templates with it (__tests__/e2e/docs-shipped.test.ts checks the packed files).
    expect(pkg.files).toContain('docs');
    expect(Object.keys(pkg.bin)).toEqual(['jest-chaos']);
  });

  test('every action is pinned to a major version', () => {
    const uses = github.flatMap(([, doc]) => Object.values(doc.jobs).flatMap((job) => job.steps.map((step) => step.uses).filter((u): u is string => u !== undefined)));
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.filter((u) => !/^[\w.-]+\/[\w.-]+@v\d+$/.test(u))).toEqual([]);
  });

  test('the everyday workflow runs plain `npx jest` on push and pull requests, chaos disabled', () => {
    const doc = workflow('chaos-everyday.yml');
    expect(Object.keys(doc.on).sort()).toEqual(['pull_request', 'push']);
    expect(commandLines(doc as unknown as Yaml)).toEqual(['npm ci', 'npx jest-chaos check', 'npx jest --ci']);
    expect(chaosVariables(doc as unknown as Yaml)).toEqual([]);
  });

  test('the scheduled workflow: cron, dispatch inputs, seeds × shards matrix, per-cell artifacts, merge job', () => {
    const doc = workflow('chaos-scheduled.yml');
    const schedule = doc.on.schedule as { cron: string }[];
    expect(schedule.length).toBeGreaterThan(0);
    expect(schedule.flatMap(({ cron }) => cronProblems(cron))).toEqual([]);
    const dispatch = doc.on.workflow_dispatch as { inputs: Record<string, { default: string }> };
    expect(Object.keys(dispatch.inputs).sort()).toEqual(['seeds', 'tags']);

    const chaos = doc.jobs.chaos as Job;
    expect(chaos.strategy?.['fail-fast']).toBe(false);
    const nightly = cells(chaos, { inputs: {} });
    const seeds = [...new Set(nightly.map((cell) => cell.seed))];
    const shards = [...new Set(nightly.map((cell) => cell.shard))];
    expect(seeds.length).toBeGreaterThanOrEqual(2);
    expect(nightly).toHaveLength(seeds.length * shards.length);
    for (const seed of seeds) expect(Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) <= 0xffffffff).toBe(true);
    // The shard list is 1..n and every `--shard=i/n` uses that n.
    expect(shards).toEqual(shards.map((_, index) => index + 1));
    const shardFlags = commandLines(doc as unknown as Yaml).flatMap((line) => [...line.matchAll(/--shard=(.+?)\/(\d+)/g)]);
    expect(shardFlags.map((match) => `${match[1]}/${match[2]}`)).toEqual([`\${{ matrix.shard }}/${shards.length}`]);

    // A dispatch with seeds replaces the nightly ones; blank tags fall back to `chaos`.
    const dispatched = cells(chaos, { inputs: { seeds: '42, 4242', tags: '' } });
    expect(dispatched.map((cell) => `${cell.seed}/${cell.shard}`)).toEqual(['42/1', '42/2', '4242/1', '4242/2']);
    for (const cell of nightly) {
      const env = Object.fromEntries(Object.entries(chaos.env ?? {}).map(([key, value]) => [key, interpolate(value, { inputs: {}, matrix: cell })]));
      expect(env).toEqual({ CHAOS_ENABLED: '1', CHAOS_STRICT: '1', CHAOS_SEED: cell.seed, CHAOS_TAGS: 'chaos' });
    }
    expect(interpolate((chaos.env ?? {}).CHAOS_TAGS, { inputs: { tags: 'chaos and not slow' } })).toBe('chaos and not slow');

    // One artifact per cell, each found by the merge job's download pattern, none clashing with the merged one.
    const upload = chaos.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@') === true) as Step;
    expect(upload.if).toBe('${{ !cancelled() }}');
    expect(upload.with?.path).toBe('chaos-report.json');
    const names = nightly.map((cell) => interpolate(upload.with?.name, { matrix: cell }));
    expect(new Set(names).size).toBe(nightly.length);
    const report = doc.jobs.report as Job;
    expect([report.needs].flat()).toContain('chaos');
    expect(report.if).toBe('${{ !cancelled() }}');
    const download = report.steps.find((step) => step.uses?.startsWith('actions/download-artifact@') === true) as Step;
    const pattern = globToRegExp(String(download.with?.pattern));
    expect(names.filter((name) => !pattern.test(String(name)))).toEqual([]);
    const merged = report.steps.filter((step) => step.uses?.startsWith('actions/upload-artifact@') === true).map((step) => String(step.with?.name));
    expect(merged).toEqual(['chaos-report']);
    expect(merged.filter((name) => pattern.test(name))).toEqual([]);
    const merge = commandLines({ report } as unknown as Yaml).find((line) => line.includes('jest-chaos merge'));
    expect(merge).toBe(`npx jest-chaos merge ${download.with?.path}/*/chaos-report.json --output chaos-report.json --allow-mixed-seeds --fail-on-failures`);
  });

  test('the GitLab variant: everyday job, seeds × shards matrix, renamed reports, merge job after it', () => {
    const doc = docs.get('gitlab-ci.yml') as Record<string, Record<string, unknown>>;
    const chaos = doc.chaos as { parallel: { matrix: Record<string, string[]>[] }; script: string[]; after_script: string[]; artifacts: { paths: string[] }; variables: Record<string, string> };
    const matrix = chaos.parallel.matrix[0] as Record<string, string[]>;
    const shards = matrix.SHARD as string[];
    expect(shards).toEqual(shards.map((_, index) => String(index + 1)));
    expect((matrix.CHAOS_SEED as string[]).length).toBeGreaterThanOrEqual(2);
    expect(chaos.script).toEqual([`npx jest --ci --shard=$SHARD/${shards.length}`]);
    expect(chaos.variables).toEqual({ CHAOS_ENABLED: '1', CHAOS_STRICT: '1', CHAOS_TAGS: 'chaos' });
    const renamed = /mv chaos-report\.json "(.+)"/.exec(chaos.after_script.join('\n'))?.[1] as string;
    const namesPerCell = (matrix.CHAOS_SEED as string[]).flatMap((seed) => shards.map((shard) => renamed.replace('$CHAOS_SEED', seed).replace('$SHARD', shard)));
    expect(new Set(namesPerCell).size).toBe(namesPerCell.length);
    const collected = globToRegExp(chaos.artifacts.paths[0] as string);
    expect(namesPerCell.filter((name) => !collected.test(name))).toEqual([]);
    const report = doc['chaos-report'] as { needs: { job: string; artifacts: boolean }[]; script: string[]; stage: string };
    expect(report.needs).toEqual([{ job: 'chaos', artifacts: true }]);
    expect(report.stage).toBe('report');
    expect(report.script).toEqual([`npx jest-chaos merge ${chaos.artifacts.paths[0]} --output chaos-report.json --allow-mixed-seeds --fail-on-failures`]);
    expect((doc.tests as { script: string[] }).script).toEqual(['npx jest-chaos check', 'npx jest --ci']);
  });

  test.each(files)('%s uses only jest-chaos commands, options and variables that exist, and Jest options that exist', (name) => {
    const doc = docs.get(name) as Yaml;
    const lines = commandLines(doc);
    expect(registeredCommands).toEqual(expect.arrayContaining(['merge', 'init', 'check']));
    const jestHelp = output([JEST, '--help']);
    const mergeHelp = output([CLI, 'merge', '--help']);
    for (const line of lines) {
      const program = /^(?:[A-Z_]+=\S+\s+)*(\S+)(?:\s+(\S+))?/.exec(line);
      expect(['npm ci', 'npx jest', 'npx jest-chaos', 'mv chaos-report.json']).toContain(`${program?.[1]} ${program?.[2]}`);
      const command = /\bjest-chaos\s+([a-z][\w-]*)/.exec(line);
      if (command !== null) {
        expect(registeredCommands).toContain(command[1]);
        for (const option of line.match(/--[a-z][\w-]*/g) ?? []) expect([option, mergeHelp.includes(option)]).toEqual([option, true]);
      } else if (/\bnpx jest\b/.test(line)) {
        for (const option of line.match(/--[a-zA-Z][\w-]*/g) ?? []) expect([option, jestHelp.includes(`  ${option} `) || jestHelp.includes(`  ${option}\n`)]).toEqual([option, true]);
      }
    }
    expect(readVariables).toEqual(new Set(['CHAOS_ENABLED', 'CHAOS_SEED', 'CHAOS_STRICT', 'CHAOS_TAGS']));
    expect(chaosVariables(doc).filter((variable) => !readVariables.has(variable))).toEqual([]);
    // No `npm run <script>`: a template cannot know the scripts of the project it lands in.
    expect(lines.filter((line) => /\bnpm\s+(run|test)\b/.test(line))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Running the workflows' commands on a project that `jest-chaos init` set up.

function makeProject(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-ci-'));
  cpSync(path.join(INIT_FIXTURES, 'js'), dir, { recursive: true });
  for (const name of ['plain.test.js', 'refused.test.js']) cpSync(path.join(INIT_FIXTURES, '_tests', name), path.join(dir, name));
  cpSync(path.join(INIT_FIXTURES, '_ci'), dir, { recursive: true });
  const modules = path.join(dir, 'node_modules');
  mkdirSync(path.join(modules, '.bin'), { recursive: true });
  symlinkSync(ROOT, path.join(modules, 'jest-chaos'), 'dir');
  for (const name of ['jest', 'ts-jest', 'typescript']) symlinkSync(path.join(ROOT, 'node_modules', name), path.join(modules, name), 'dir');
  // What `npm ci` leaves in node_modules/.bin for the two commands the workflows run through npx.
  for (const [bin, target] of [['jest', JEST], ['jest-chaos', CLI]] as const) {
    writeFileSync(path.join(modules, '.bin', bin), `#!/bin/sh\nexec "${process.execPath}" "${target}" "$@"\n`);
    chmodSync(path.join(modules, '.bin', bin), 0o755);
  }
  return dir;
}

interface ShellRun {
  readonly code: number | null;
  readonly output: string;
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<ShellRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', CI: 'true', ...env };
  for (const key of ['CHAOS_ENABLED', 'CHAOS_SEED', 'CHAOS_TAGS', 'JEST_CHAOS_DRAWN_SEED', 'JEST_CHAOS_RECORDS_DIR', 'JEST_WORKER_ID', 'GITHUB_STEP_SUMMARY']) if (!(key in env)) delete childEnv[key];
  // GitHub runs `run:` steps with `bash -e {0}`.
  return runProcess('bash', ['-e', '-c', script], { cwd, env: childEnv });
}

/** Runs a job's `run:` steps (all but `npm ci`, which node_modules stands for) with the job's env. */
async function runJob(job: Job, context: Context, cwd: string, summary: string): Promise<ShellRun[]> {
  const runs: ShellRun[] = [];
  const env = (block: Record<string, unknown> | undefined) => Object.fromEntries(Object.entries(block ?? {}).map(([key, value]) => [key, String(interpolate(value, context))]));
  for (const step of job.steps) {
    if (step.run === undefined || step.run.trim() === 'npm ci') continue;
    runs.push(await bash(String(interpolate(step.run, context)), cwd, { ...env(job.env), ...env(step.env), GITHUB_STEP_SUMMARY: summary }));
  }
  return runs;
}

describe('the workflows, run locally on a project set up by jest-chaos init', () => {
  let dir: string;
  let scheduled: Workflow;
  let everyday: Workflow;
  beforeAll(() => {
    dir = makeProject();
    const init = spawnSync(process.execPath, [CLI, 'init'], { cwd: dir, encoding: 'utf8' });
    expect(init.status).toBe(0);
    scheduled = parse(readFileSync(path.join(dir, '.github', 'workflows', 'chaos-scheduled.yml'), 'utf8')) as Workflow;
    everyday = parse(readFileSync(path.join(dir, '.github', 'workflows', 'chaos-everyday.yml'), 'utf8')) as Workflow;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the everyday job passes with the chaos suites skipped', async () => {
    const summary = path.join(dir, 'everyday-summary.md');
    const [check, run] = await runJob(everyday.jobs.test as Job, {}, dir, summary);
    // The chaos suites it skips are compiled and checked first.
    expect(check?.code).toBe(0);
    expect(check?.output).toContain('jest-chaos check: 3 chaos suites checked, 0 with errors.');
    expect(run?.code).toBe(0);
    expect(run?.output).toContain('Tests:       1 passed, 1 total');
    expect(run?.output).toMatch(/skipped 3 chaos suites/);
  }, 60_000);

  test('every cell of the seeds × shards matrix, the merge job and the replay of a failure', async () => {
    const chaos = scheduled.jobs.chaos as Job;
    const upload = chaos.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@') === true) as Step;
    const artifacts = path.join(dir, '.artifacts');
    const outputs = new Map<string, string>();
    const ran = new Map<string, string[]>();
    for (const cell of cells(chaos, { inputs: {} })) {
      const context = { inputs: {}, matrix: cell };
      rmSync(path.join(dir, 'chaos-report.json'), { force: true });
      const runs = await runJob(chaos, context, dir, path.join(dir, `summary-${cell.seed}-${cell.shard}.md`));
      expect(runs).toHaveLength(1);
      const run = runs[0] as ShellRun;
      // The fragile suite fails under chaos; the others pass.
      expect([cell, run.code]).toEqual([cell, run.output.includes('FAIL ./fragile.test.js') ? 1 : 0]);
      outputs.set(String(cell.seed), `${outputs.get(String(cell.seed)) ?? ''}${run.output}`);
      ran.set(String(cell.seed), [...(ran.get(String(cell.seed)) ?? []), ...[...run.output.matchAll(/(?:PASS|FAIL) \.\/(\S+)/g)].map((m) => m[1] as string)]);
      // upload-artifact: the file the step names, under the cell's artifact name.
      const name = String(interpolate(upload.with?.name, context));
      mkdirSync(path.join(artifacts, name), { recursive: true });
      cpSync(path.join(dir, String(upload.with?.path)), path.join(artifacts, name, 'chaos-report.json'));
    }
    // The shards of a seed ran each chaos suite once, and nothing else (CHAOS_TAGS=chaos).
    for (const files of ran.values()) expect(files.sort()).toEqual(['fragile.test.js', 'refused.test.js', 'steady.test.js']);

    // The report job: download-artifact puts each matching artifact in a folder of its name.
    const report = scheduled.jobs.report as Job;
    const download = report.steps.find((step) => step.uses?.startsWith('actions/download-artifact@') === true) as Step;
    const pattern = globToRegExp(String(download.with?.pattern));
    for (const name of readdirSync(artifacts).filter((entry) => pattern.test(entry))) cpSync(path.join(artifacts, name), path.join(dir, String(download.with?.path), name), { recursive: true });
    rmSync(path.join(dir, 'chaos-report.json'), { force: true });
    const summary = path.join(dir, 'report-summary.md');
    const [merge] = await runJob(report, {}, dir, summary);
    // --fail-on-failures: the fragile test failed under every seed.
    expect(merge?.code).toBe(1);
    const merged = JSON.parse(readFileSync(path.join(dir, 'chaos-report.json'), 'utf8')) as { runs: unknown[] };
    expect(merged.runs).toHaveLength(cells(chaos, { inputs: {} }).length);
    const replays = [...(merge?.output ?? '').matchAll(/^\s*(CHAOS_ENABLED=1 CHAOS_SEED=(\d+) npx jest .+)$/gm)].map((m) => ({ command: m[1] as string, seed: m[2] as string }));
    expect(replays.map((replay) => replay.seed).sort()).toEqual([...outputs.keys()].sort());
    const stepSummary = readFileSync(summary, 'utf8');
    for (const replay of replays) expect(stepSummary).toContain(`\n${replay.command}\n`);

    // Replaying one failure locally: the same number of refused calls as in its CI cell.
    const replay = replays[0] as { command: string; seed: string };
    const local = await bash(replay.command, dir, {});
    expect(local.code).toBe(1);
    const refusedIn = (text: string) => /Received: (\d+)/.exec(text)?.[1];
    expect(refusedIn(local.output)).toBeDefined();
    expect(refusedIn(local.output)).toBe(refusedIn(outputs.get(replay.seed) ?? ''));
    expect(existsSync(path.join(dir, 'chaos-report.json'))).toBe(true);
  }, 180_000);
});
