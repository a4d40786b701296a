/** `npx jest-chaos export --toxiproxy <file...>`: the `tcp.*` rules of chaos suites as toxiproxy proxies and toxics (docs/graduate.md). */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isChaosError } from '../errors/chaos-error';
import { closest } from '../errors/suggest';
import { parseCommandLine, validOptions, type CommandLine } from './args';
import { readDocblock } from '../pragma/docblock';
import { parseSuite } from '../pragma/parse';
import { plural } from '../report/summary';
import { parseRule } from '../rules/parse';
import type { Rule, TcpRule } from '../rules/types';
import { emptyUsage, readChaosUsage } from '../scan/chaos-usage';
import { FileIndex, ProjectIndex } from '../scan/resolver';
import { findTypeScript, type TypeScript } from '../scan/typescript';
import { tcpTargetProblem } from '../tcp/target';
import { toToxiproxy, ToxiproxyExportError, type FoundTcpRule, type ToxiproxyOptions } from './toxiproxy';

/** Exit codes (docs/graduate.md). */
export const EXIT_OK = 0;
export const EXIT_NOTHING = 1;
export const EXIT_USAGE = 2;

export const DEFAULT_LISTEN_HOST = '127.0.0.1';
export const DEFAULT_LISTEN_BASE = 26000;

export const EXPORT_USAGE = `Usage: jest-chaos export --toxiproxy [options] <test file...>

Prints the tcp.* rules of the test files (their @chaos pragmas and their chaos.test / chaos.describe rules)
as toxiproxy proxies and toxics, in JSON: an array of proxies as GET /proxies/<name> shows them, which
toxiproxy's -config file and POST /populate also read; each toxic is the body of POST /proxies/<name>/toxics.
What toxiproxy cannot carry (times, seeds, one test's scope, rules that are not tcp.*) is named on stderr.

Options:
  --toxiproxy                 the format to export (the only one)
  --out <file>                write the JSON to <file> instead of stdout
  --upstream-host <host>      the upstream host of targets whose host is * or a glob (*:5432 → <host>:5432)
  --upstream <target>=<host:port>
                              the upstream of one target as the rules write it (repeatable),
                              e.g. --upstream 127.0.0.1:6379=redis.staging:6379
  --listen-host <host>        the host the proxies listen on (default ${DEFAULT_LISTEN_HOST})
  --listen-base <port>        the first proxy listens on <port>, the next on <port>+1, ... in the order their
                              upstreams first appear in the files (default ${DEFAULT_LISTEN_BASE})
  -h, --help                  print this help

Exit codes: 0 exported, 1 a file has no tcp rule, 2 bad options, an unreadable file or a broken rule.`;

const OPTIONS = {
  toxiproxy: { type: 'boolean' },
  out: { type: 'string' },
  'upstream-host': { type: 'string' },
  upstream: { type: 'string', multiple: true },
  'listen-host': { type: 'string' },
  'listen-base': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const EXPORT_COMMAND_LINE: CommandLine<typeof OPTIONS> = {
  command: 'jest-chaos export',
  options: OPTIONS,
  placeholders: { out: '<file>', 'upstream-host': '<host>', upstream: '<target>=<host:port>', 'listen-host': '<host>', 'listen-base': '<port>' },
  positionals: true,
  error: (message) => new ExportProblem(`${message} Run \`jest-chaos export --help\` for what they do.`, EXIT_USAGE),
};

/** A mistake of the user's (exit code 2) or nothing to export (1), with the message to print. */
class ExportProblem extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const usageError = (message: string): ExportProblem =>
  new ExportProblem(`jest-chaos export: ${message}. Valid options: ${validOptions(EXPORT_COMMAND_LINE)}. Run \`jest-chaos export --help\` for what they do.`, EXIT_USAGE);

export interface ExportArgs {
  readonly help: boolean;
  readonly files: readonly string[];
  readonly out: string | undefined;
  readonly options: ToxiproxyOptions;
}

/** Why a host is not one a proxy can listen on or forward to, or undefined. */
function hostProblem(host: string): string | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.includes('*')) return 'is a glob; name one host';
  return tcpTargetProblem(bare.includes(':') ? `[${bare}]:1` : `${bare}:1`) === undefined ? undefined : 'is not a host name or an address';
}

export function parseExportArgs(argv: readonly string[]): ExportArgs {
  const { values, positionals } = parseCommandLine(argv, EXPORT_COMMAND_LINE);
  const help = values.help === true;
  const listenHost = values['listen-host'] ?? DEFAULT_LISTEN_HOST;
  const listenProblem = hostProblem(listenHost);
  if (listenProblem !== undefined) throw usageError(`--listen-host "${listenHost}" ${listenProblem}`);
  const base = values['listen-base'];
  if (base !== undefined && !(/^\d+$/.test(base) && Number(base) >= 1 && Number(base) <= 65535)) throw usageError(`--listen-base "${base}" is not a port (1 to 65535)`);
  const upstreamHost = values['upstream-host'];
  if (upstreamHost !== undefined) {
    const problem = hostProblem(upstreamHost);
    if (problem !== undefined) throw usageError(`--upstream-host "${upstreamHost}" ${problem}`);
  }
  const upstreams = new Map<string, string>();
  for (const mapping of values.upstream ?? []) {
    const [target, upstream, ...rest] = mapping.split('=');
    const form = 'a target as the rules write it, "=", and the host:port to forward to, e.g. --upstream *:5432=db.staging:5432';
    if (upstream === undefined || rest.length > 0) throw usageError(`--upstream "${mapping}" is not <target>=<host:port>: give ${form}`);
    const targetProblem = tcpTargetProblem(target!);
    if (targetProblem !== undefined) throw usageError(`--upstream "${mapping}": ${targetProblem}`);
    const upstreamProblem = upstream.includes('*') ? `the upstream "${upstream}" is a glob; name one host` : tcpTargetProblem(upstream);
    if (upstreamProblem !== undefined) throw usageError(`--upstream "${mapping}": ${upstreamProblem.replace(/^target /, 'upstream ')}`);
    upstreams.set(target!, upstream);
  }
  if (!help) {
    if (values.toxiproxy !== true) throw usageError('say which format to export: --toxiproxy (the only one)');
    if (positionals.length === 0) throw usageError('name the test files to export, e.g. jest-chaos export --toxiproxy test/chaos/cache.test.ts');
  }
  return { help, files: positionals, out: values.out, options: { listenHost, listenBase: base === undefined ? DEFAULT_LISTEN_BASE : Number(base), upstreamHost, upstreams } };
}

/** What one test file declares: its tcp rules, and a warning per thing that is not exported. */
interface FileRules {
  readonly tcp: FoundTcpRule[];
  readonly warnings: { readonly origin: string; readonly text: string }[];
}

/** The tcp kind that does to a server's connections what a db or cache kind does to its calls. */
const TCP_KIN: Readonly<Record<string, string>> = { down: 'down', lost: 'reset', timeout: 'timeout', latency: 'latency' };

/** Why a rule of another domain is not exported, and where to look instead. */
function notTcp(rule: { readonly domain: string; readonly kind: string }): string {
  if (rule.domain === 'http') return 'toxiproxy faults TCP connections, not HTTP requests (docs/graduate.md maps http.* to Chaos Mesh HTTPChaos and AWS FIS)';
  const kin = TCP_KIN[rule.kind];
  return `toxiproxy faults TCP connections, not ${rule.domain} calls${kin === undefined ? ' (a server error has no TCP equivalent)' : `: tcp.${kin} on the server's port (e.g. tcp.${kin} *:5432) exports`}`;
}

const lineOf = (origin: string): number => Number(origin.slice(origin.lastIndexOf(':') + 1));

/**
 * The rules of a test file, read as jest-chaos reads them (the docblock with parseSuite) and as `scan` reads
 * per-test rules (chaos.test / chaos.describe calls), in line order. A broken rule is an ExportProblem.
 */
export function readFileRules(ts: TypeScript, file: string, shown: string): FileRules {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ExportProblem(`jest-chaos export: cannot read ${shown}: ${(error as Error).message}`, EXIT_USAGE);
  }
  let fileRules: readonly Rule[];
  try {
    fileRules = parseSuite(source, shown).rules;
  } catch (error) {
    if (isChaosError(error)) throw new ExportProblem(error.message, EXIT_USAGE);
    throw error;
  }
  const project = new ProjectIndex(ts);
  const index = new FileIndex(ts, path.resolve(file), ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true));
  project.add(index);
  const usage = emptyUsage();
  readChaosUsage(ts, project, index, shown, usage, true);
  // The docblock's rules were checked above: what remains is a broken chaos.test rule.
  if (usage.warnings.length > 0) throw new ExportProblem(usage.warnings.map((warning) => `jest-chaos: ${warning.replace(/ \(left out of the scan\)$/, '')}`).join('\n'), EXIT_USAGE);

  const rules: { rule: Rule; scope: 'file' | 'test' }[] = fileRules.map((rule) => ({ rule, scope: 'file' }));
  const warnings: { origin: string; text: string }[] = [];
  for (const fault of usage.faults) {
    const origin = `${shown}:${fault.line}`;
    if (fault.source === 'chaos.test') rules.push({ rule: parseRule(fault.rule, origin), scope: 'test' });
    else if (fault.source === 'builder') warnings.push({ origin, text: `jest-chaos export: warning: ${origin}: chaos.http() "${fault.rule}": not exported: ${notTcp(fault)}` });
    else if (fault.source === 'stub') warnings.push({ origin, text: `jest-chaos export: warning: ${origin}: ${fault.rule}: not exported: a stub replaces a method in the test process; toxiproxy faults TCP connections` });
  }
  rules.sort((a, b) => lineOf(a.rule.origin) - lineOf(b.rule.origin));
  const tcp: FoundTcpRule[] = [];
  for (const { rule, scope } of rules) {
    if (rule.domain === 'tcp') tcp.push({ rule: rule as TcpRule, scope });
    else warnings.push({ origin: rule.origin, text: `jest-chaos export: warning: ${rule.origin}: "${rule.source}": not exported: ${notTcp(rule)}` });
  }
  const virtual = readDocblock(source).find((entry) => entry.name === 'chaos-time');
  if (virtual !== undefined && tcp.length > 0) {
    const origin = `${shown}:${virtual.line}`;
    warnings.push({ origin, text: `jest-chaos export: warning: ${origin}: @chaos-time virtual does not carry over: toxiproxy's delays take real time` });
  }
  warnings.sort((a, b) => lineOf(a.origin) - lineOf(b.origin));
  return { tcp, warnings };
}

function loadCompiler(cwd: string): TypeScript {
  const found = findTypeScript(cwd);
  if (typeof found === 'string') throw new ExportProblem(`jest-chaos export: cannot read the test files of ${cwd}: ${found}`, EXIT_USAGE);
  return found;
}

export async function run(argv: readonly string[]): Promise<number> {
  try {
    const args = parseExportArgs(argv);
    if (args.help) {
      process.stdout.write(`${EXPORT_USAGE}\n`);
      return EXIT_OK;
    }
    const cwd = process.cwd();
    const ts = loadCompiler(cwd);
    const tcp: FoundTcpRule[] = [];
    const warnings: { origin: string; text: string }[] = [];
    /** The place of each warning's file on the command line, by the warning's origin. */
    const fileOrder = new Map<string, number>();
    const empty: string[] = [];
    args.files.forEach((file, order) => {
      const shown = path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/');
      const found = readFileRules(ts, file, shown);
      if (found.tcp.length === 0) empty.push(shown);
      tcp.push(...found.tcp);
      warnings.push(...found.warnings);
      for (const origin of [...found.tcp.map(({ rule }) => rule.origin), ...found.warnings.map((warning) => warning.origin)]) fileOrder.set(origin, order);
    });
    const targets = [...new Set(tcp.map(({ rule }) => rule.target))];
    for (const target of args.options.upstreams.keys()) {
      if (targets.includes(target)) continue;
      const near = closest(target, targets);
      throw usageError(`--upstream names the target "${target}", which no tcp rule of these files has (they have ${targets.join(', ') || 'none'})${near === undefined ? '' : ` (did you mean ${near}?)`}`);
    }
    const exported = toToxiproxy(tcp, args.options);
    warnings.push(...exported.warnings);
    warnings.sort((a, b) => fileOrder.get(a.origin)! - fileOrder.get(b.origin)! || lineOf(a.origin) - lineOf(b.origin));
    for (const warning of warnings) process.stderr.write(`${warning.text}\n`);
    if (empty.length > 0) {
      process.stderr.write(
        `jest-chaos export: ${empty.join(', ')} ${empty.length === 1 ? 'has' : 'have'} no tcp rule (tcp.* in a @chaos pragma, a chaos.test or a chaos.describe): nothing to give toxiproxy. Name the files whose tcp.* rules to export.\n`,
      );
      return EXIT_NOTHING;
    }
    const json = `${JSON.stringify(exported.proxies, null, 2)}\n`;
    const toxics = exported.proxies.reduce((sum, proxy) => sum + proxy.toxics.length, 0);
    const proxies = exported.proxies.length;
    const summary = `jest-chaos export: ${proxies} ${proxies === 1 ? 'proxy' : 'proxies'} and ${plural(toxics, 'toxic')} from ${plural(args.files.length, 'file')}, ${plural(warnings.length, 'warning')}`;
    if (args.out === undefined) process.stdout.write(json);
    else writeFileSync(path.resolve(cwd, args.out), json);
    process.stderr.write(`${summary}${args.out === undefined ? '' : `; written to ${args.out}`}.\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ExportProblem) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof ToxiproxyExportError) {
      process.stderr.write(`${error.message}.\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
