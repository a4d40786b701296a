import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { parseRule } from '../../src/rules/parse';
import { HTTP_KINDS, STORE_KINDS, TCP_KINDS } from '../../src/rules/types';
import { agentDefinition } from '../../src/scan/agent';
import { HANDLING_KINDS } from '../../src/scan/handling';
import { ROOT, runCli, SCAN_FIXTURES } from './fixtures/scan/support';

/**
 * `jest-chaos init --agent`: the agent definition it writes, that it never overwrites without --force, and
 * that every command, option, environment variable, rule, API name and JSON field the definition mentions
 * exists.
 */
jest.setTimeout(30_000);

const FILE = path.join('.claude', 'agents', 'chaos-engineer.md');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jest-chaos-agent-'));
  made.push(dir);
  return dir;
}

describe('init --agent', () => {
  test('writes the definition with its front matter, and only that file', async () => {
    const dir = tempDir();
    const run = await runCli(dir, ['init', '--agent']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `jest-chaos init --agent in ${dir}:\n  created ${FILE}\n\nNext: ask the chaos-engineer agent to analyse this project's failure scenarios; it starts from npx jest-chaos scan --json.\n`,
    );
    expect(readdirSync(dir)).toEqual(['.claude']);
    const text = readFileSync(path.join(dir, FILE), 'utf8');
    expect(text).toBe(agentDefinition());
    const front = /^---\n([\s\S]*?)\n---\n/.exec(text)![1]!.split('\n');
    const fields = Object.fromEntries(front.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
    expect(Object.keys(fields)).toEqual(['name', 'description', 'tools']);
    expect(fields.name).toBe('chaos-engineer');
    expect(fields.description).toMatch(/jest-chaos scan/);
    expect(fields.tools!.split(', ')).toEqual(['Read', 'Grep', 'Glob', 'Edit', 'Write', 'Bash']);
  });

  test('never overwrites a changed definition without --force; --dry-run writes nothing', async () => {
    const dir = tempDir();
    const file = path.join(dir, FILE);
    const dry = await runCli(dir, ['init', '--agent', '--dry-run']);
    expect([dry.code, existsSync(file)]).toEqual([0, false]);
    expect(dry.stdout).toContain(`--dry-run (nothing written) in ${dir}:\n  would create ${FILE}\n`);
    await runCli(dir, ['init', '--agent']);
    const same = await runCli(dir, ['init', '--agent']);
    expect(same.stdout).toBe(`jest-chaos init --agent in ${dir}:\n  unchanged ${FILE} (already the current definition)\n`);
    writeFileSync(file, '---\nname: chaos-engineer\n---\nmy own instructions\n');
    const refused = await runCli(dir, ['init', '--agent']);
    expect([refused.code, refused.stdout, refused.stderr]).toEqual([
      1,
      '',
      `jest-chaos: not overwriting ${FILE} in ${dir}: it exists and differs from the current definition. Nothing was written. Run jest-chaos init --agent --force to replace it.\n`,
    ]);
    expect(readFileSync(file, 'utf8')).toBe('---\nname: chaos-engineer\n---\nmy own instructions\n');
    const forced = await runCli(dir, ['init', '--agent', '--force']);
    expect([forced.code, readFileSync(file, 'utf8') === agentDefinition()]).toEqual([0, true]);
    expect(forced.stdout).toContain(`  overwrote ${FILE}\n`);
  });
});

describe('everything the definition mentions exists', () => {
  const text = agentDefinition();
  const spans = [...text.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!);
  const blockLines = [...text.matchAll(/```\w*\n([\s\S]*?)```/g)].flatMap((match) => match[1]!.split('\n'));

  test('commands and their options', async () => {
    const help = (await runCli(ROOT, ['--help'])).stdout;
    const commands = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}(\S+)/gm)].map((match) => match[1]);
    const mentioned = spans.filter((span) => span.startsWith('npx jest-chaos '));
    expect(mentioned.length).toBeGreaterThanOrEqual(3);
    for (const span of mentioned) {
      const [, , command, ...rest] = span.split(/\s+/);
      expect(commands).toContain(command);
      const usage = (await runCli(ROOT, [command!, '--help'])).stdout;
      for (const option of rest.filter((word) => word.startsWith('--'))) expect(`${command} ${usage}`).toMatch(new RegExp(`(^|\\s)${option}(\\s|$)`, 'm'));
    }
    const init = (await runCli(ROOT, ['init', '--help'])).stdout;
    expect(init).toMatch(/^ {2}--agent /m);
  });

  test('rule kinds, every rule written out, and every option', () => {
    const kinds: Record<string, readonly string[]> = { http: HTTP_KINDS, db: STORE_KINDS, cache: STORE_KINDS, tcp: TCP_KINDS };
    const named = [...text.matchAll(/\b(http|db|cache|tcp)\.([a-z-]+)/g)].map((match) => [match[1]!, match[2]!] as const);
    expect(named.length).toBeGreaterThan(20);
    for (const [domain, kind] of named) expect(kinds[domain]).toContain(kind);
    for (const kind of TCP_KINDS) expect(named).toContainEqual(['tcp', kind]);
    const rules = blockLines.flatMap((line) => (/^\s*\* @chaos (.+)$/.exec(line)?.[1] ?? []) as string[]);
    expect(rules).toEqual(['http.timeout api.example.com ms=200']);
    for (const rule of rules) expect(() => parseRule(rule, 'agent')).not.toThrow();
    // One rule the parser accepts per option the definition names: an option it dropped would fail here.
    const samples: Record<string, string> = {
      p: 'http.timeout x p=0.5',
      times: 'http.timeout x times=1',
      ms: 'http.latency x ms=5-10',
      method: 'http.timeout x method=GET',
      status: 'http.status x status=500',
      'retry-after': 'http.status x retry-after=1',
      rate: 'tcp.bandwidth *:5432 rate=1',
      bytes: 'tcp.limit-data *:5432 bytes=1',
      direction: 'tcp.latency *:5432 direction=upstream',
    };
    const options = [...new Set(spans.flatMap((span) => [...span.matchAll(/(?:^|\s)([a-z-]+)=/g)].map((match) => match[1]!)))];
    expect(options.sort()).toEqual(Object.keys(samples).sort());
    for (const option of options) expect(() => parseRule(samples[option]!, 'agent')).not.toThrow();
  });

  test('environment variables, the chaos API and its builders', () => {
    const variables = [...new Set([...text.matchAll(/\bCHAOS_[A-Z_]+/g)].map((match) => match[0]))];
    expect(variables.sort()).toEqual(['CHAOS_ENABLED', 'CHAOS_RUNS', 'CHAOS_SEED', 'CHAOS_STRICT']);
    const built = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? built(path.join(dir, name)) : name.endsWith('.js') ? [readFileSync(path.join(dir, name), 'utf8')] : []));
    const code = built(path.join(ROOT, 'dist', 'src')).join('\n');
    for (const variable of variables) expect(code).toContain(`'${variable}'`);

    const source = ts.createSourceFile('types.ts', readFileSync(path.join(ROOT, 'src', 'api', 'types.ts'), 'utf8'), ts.ScriptTarget.Latest, true);
    const members = (name: string): string[] => {
      const found = source.statements.find((statement): statement is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(statement) && statement.name.text === name);
      return (found?.members ?? []).flatMap((member) => (member.name !== undefined && ts.isIdentifier(member.name) ? [member.name.text] : []));
    };
    const api = members('Chaos');
    const builders: Record<string, string[]> = { http: members('HttpFaultBuilder'), stub: members('StubBuilder') };
    const calls = [...text.matchAll(/chaos\.(\w+)\(([^)]*)\)(?:\.(\w+)\()?/g)];
    expect(calls.length).toBeGreaterThanOrEqual(6);
    for (const [, method, , chained] of calls) {
      expect(api).toContain(method);
      if (chained !== undefined) expect(builders[method!]).toContain(chained);
    }
  });

  test('the JSON fields and handling kinds it reads are those scan --json prints', async () => {
    const run = await runCli(path.join(SCAN_FIXTURES, 'js-cjs'), ['scan', '--json']);
    const keys = new Set<string>();
    const values = new Set<string>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) (keys.add(key), walk(child));
      else if (typeof value === 'string') values.add(value);
    };
    walk(JSON.parse(run.stdout));
    const section = text.slice(text.indexOf('## 1.'), text.indexOf('## 2.'));
    const identifiers = [...section.matchAll(/`([a-z][A-Za-z-]*)`/g)].map((match) => match[1]!).filter((word) => !['scan'].includes(word));
    expect(identifiers.length).toBeGreaterThan(15);
    const unknown = identifiers.filter((word) => !keys.has(word) && !values.has(word) && !(HANDLING_KINDS as readonly string[]).includes(word));
    expect(unknown).toEqual([]);
    // It lists every handling kind scan reports.
    for (const kind of HANDLING_KINDS) expect(section).toContain(`\`${kind}\``);
  });
});
