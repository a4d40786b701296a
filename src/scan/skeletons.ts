/**
 * `scan --write DIR`: one skeleton chaos suite per missing scenario: a docblock with the rule and
 * `@chaos-priority`, the import of the code under test, and a test whose only failing assertion is the
 * TODO to replace. Existing files are never overwritten.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileIndex } from './resolver';
import type { ScanDependency, ScanResult, ScanScenario } from './schema';
import type { TypeScript } from './typescript';

const PHRASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  http: {
    timeout: 'times out',
    hang: 'never answers',
    refused: 'refuses the connection',
    reset: 'resets the connection',
    dns: 'does not resolve',
    status: 'answers 503',
    latency: 'is slow',
    malformed: 'answers a broken body',
  },
  store: { down: 'is down', lost: 'drops the connection mid-call', timeout: 'times out', latency: 'is slow', error: 'fails with a server error' },
  tcp: {
    down: 'refuses connections',
    reset: 'resets its connections',
    timeout: 'stops answering',
    latency: 'is slow',
    bandwidth: 'is throttled',
    slicer: 'sends data in small slices',
    'limit-data': 'closes after a few bytes',
    'slow-close': 'closes slowly',
  },
};

export function phrase(domain: string, kind: string): string {
  const table = domain === 'http' ? PHRASES.http : domain === 'tcp' ? PHRASES.tcp : PHRASES.store;
  return table?.[kind] ?? `fails with ${kind}`;
}

/** A JavaScript string literal in single quotes. */
function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** How prose names a dependency: `api.example.com`, `the pg database`, `broker:5672 (amqplib)`, `the cache seam flags`. */
export function describeDependency(dependency: Pick<ScanDependency, 'type' | 'domain' | 'name' | 'target'>): string {
  switch (dependency.type) {
    case 'host':
      return dependency.name;
    case 'unresolved-host':
      return `the host of ${dependency.name}`;
    case 'driver':
      return `the ${dependency.name} ${dependency.domain === 'db' ? 'database' : 'cache'}`;
    case 'client':
      return dependency.target === '*' ? `the ${dependency.name} server` : `${dependency.target} (${dependency.name})`;
    case 'seam':
      return `the ${dependency.domain} seam ${dependency.name}`;
  }
}

/** Docblock-safe prose: no comment end, no line that starts a pragma. */
function prose(text: string): string {
  return text.replace(/\*\//g, '* /').replace(/@/g, '(at)');
}

function isEsm(file: string): boolean {
  if (file.endsWith('.mjs') || file.endsWith('.mts')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

function identifier(text: string): string {
  const parts = text.split(/[^A-Za-z0-9]+/).filter((part) => part !== '');
  const joined = parts.map((part, i) => (i === 0 ? part.charAt(0).toLowerCase() + part.slice(1) : part.charAt(0).toUpperCase() + part.slice(1))).join('');
  return /^[A-Za-z_$]/.test(joined) ? joined : `module${joined}`;
}

interface ImportPlan {
  /** The import statement. */
  readonly statement: string;
  /** The name the test refers to. */
  readonly name: string;
  /** How the test describes what it calls: `ProfileClient`, or the module. */
  readonly subject: string;
}

/** How the skeleton imports the code under test: the exported function or class around the call site, else the module. */
function importPlan(ts: TypeScript, rootDir: string, skeletonFile: string, sourceRelative: string, functionName: string | null): ImportPlan {
  const source = path.join(rootDir, sourceRelative);
  const extension = path.extname(source);
  const esm = skeletonFile.endsWith('.mjs') || ((skeletonFile.endsWith('.js') || skeletonFile.endsWith('.ts')) && isEsm(source) && !/\.tsx?$/.test(source));
  const typescript = skeletonFile.endsWith('.ts');
  let specifier = path.relative(path.dirname(skeletonFile), source).split(path.sep).join('/');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  if (typescript || (!esm && ['.js', '.ts', '.tsx', '.jsx'].includes(extension))) specifier = specifier.slice(0, -extension.length);
  let exported: { name: string; isDefault: boolean } | undefined;
  const top = functionName?.split('.')[0];
  if (top !== undefined) {
    try {
      const text = readFileSync(source, 'utf8');
      const index = new FileIndex(ts, source, ts.createSourceFile(source, text, ts.ScriptTarget.Latest, true));
      for (const [name, entry] of index.exports) {
        if (entry.kind === 'local' && entry.name === top) exported = { name, isDefault: name === 'default' };
        else if (entry.kind === 'expression' && ts.isIdentifier(entry.node) && entry.node.text === top && exported === undefined) exported = { name, isDefault: name === 'default' };
      }
    } catch {
      exported = undefined;
    }
  }
  const moduleName = identifier(path.basename(source, extension));
  if (exported !== undefined) {
    const local = top as string;
    if (esm || typescript) {
      return { statement: exported.isDefault ? `import ${local} from '${specifier}';` : `import { ${exported.name === local ? local : `${exported.name} as ${local}`} } from '${specifier}';`, name: local, subject: local };
    }
    return { statement: exported.isDefault ? `const ${local} = require('${specifier}');` : `const { ${exported.name === local ? local : `${exported.name}: ${local}`} } = require('${specifier}');`, name: local, subject: local };
  }
  if (esm || typescript) return { statement: `import * as ${moduleName} from '${specifier}';`, name: moduleName, subject: sourceRelative };
  return { statement: `const ${moduleName} = require('${specifier}');`, name: moduleName, subject: sourceRelative };
}

/** The text of one skeleton suite. */
export function skeletonText(ts: TypeScript, result: ScanResult, scenario: ScanScenario, dependency: ScanDependency, file: string): string {
  const site = dependency.callSites.find((candidate) => `${candidate.file}:${candidate.line}` === scenario.callSites[0]) ?? dependency.callSites[0];
  const what = describeDependency(dependency);
  const lines: string[] = ['/**', ` * Scenario: ${prose(what)} ${phrase(dependency.domain, scenario.kind)} (${prose(scenario.rule)}).`, ` * Priority ${scenario.reason.replace(/^([ABC]): /, '$1, because ')}`.split('\n').map(prose).join(' ')];
  const sites = dependency.callSites.slice(0, 5).map((candidate) => `${candidate.file}:${candidate.line}`);
  if (sites.length > 0) lines.push(` * Call sites: ${sites.join(', ')}${dependency.callSites.length > 5 ? ', …' : ''}`);
  if (dependency.type === 'unresolved-host') lines.push(' * The host is not static: narrow the rule\'s target "*" to the host this code calls.');
  for (const seam of dependency.seams) lines.push(` * Seam ${prose(seam.name)} (${seam.methods.join(', ')}) is registered in ${seam.file}:${seam.line}.`);
  lines.push(' * Written by jest-chaos scan --write: replace the TODO with what the caller should see.', ' *');
  lines.push(` * @chaos ${scenario.rule}`, ` * @chaos-priority ${scenario.priority}`, ' */');

  const body: string[] = [];
  let subject = dependency.type === 'seam' ? `the code behind ${what}` : what;
  if (site !== undefined) {
    const plan = importPlan(ts, result.rootDir, file, site.file, site.function);
    lines.push(plan.statement);
    subject = plan.subject;
    body.push(`  expect(${plan.name}).toBeDefined();`);
  }
  if (dependency.type === 'seam') {
    const seam = dependency.seams[0]!;
    const objectName = identifier(`${seam.name} seam`);
    lines.push(
      '',
      `// TODO: register the real object, as ${seam.file}:${seam.line} does; this stand-in only lets the rule's target resolve.`,
      `const ${objectName} = { ${seam.methods.map((method) => `${/^[A-Za-z_$][\w$]*$/.test(method) ? method : quote(method)}: async () => undefined`).join(', ')} };`,
      `chaos.register({ domain: '${dependency.domain}', name: ${quote(seam.name)}, object: ${objectName}, methods: [${seam.methods.map(quote).join(', ')}] });`,
    );
  }
  const testName = `${subject} copes when ${what} ${phrase(dependency.domain, scenario.kind)}`;
  lines.push(
    '',
    `test(${JSON.stringify(testName)}, async () => {`,
    ...body,
    `  // TODO: call the code the way the service does, then assert what its caller should see when ${what} ${phrase(dependency.domain, scenario.kind)}.`,
    "  expect('TODO: replace with the real assertion').toBe('the outcome the caller should see');",
    '});',
    '',
  );
  return lines.join('\n');
}

export interface WriteOutcome {
  readonly file: string;
  readonly scenario: string;
  readonly written: boolean;
}

/** Writes the skeleton of every scenario into `dir` (created when missing); an existing file is left as it is. */
export function writeSkeletons(ts: TypeScript, result: ScanResult, dir: string, scenarios: readonly ScanScenario[] = result.scenarios): WriteOutcome[] {
  mkdirSync(dir, { recursive: true });
  const outcomes: WriteOutcome[] = [];
  const taken = new Set<string>();
  for (const scenario of scenarios) {
    const dependency = result.dependencies.find((candidate) => candidate.id === scenario.dependency);
    if (dependency === undefined) continue;
    let name = scenario.skeleton;
    for (let n = 2; taken.has(name); n++) name = scenario.skeleton.replace(/(\.test\.[a-z]+)$/, `-${n}$1`);
    taken.add(name);
    const file = path.join(dir, name);
    if (existsSync(file)) {
      outcomes.push({ file, scenario: scenario.id, written: false });
      continue;
    }
    writeFileSync(file, skeletonText(ts, result, scenario, dependency, file), { flag: 'wx' });
    outcomes.push({ file, scenario: scenario.id, written: true });
  }
  return outcomes;
}
