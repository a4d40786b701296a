/**
 * What the chaos suites already exercise, read from test files without running them: `@chaos` pragmas,
 * `chaos.test` / `chaos.describe` rule strings, `chaos.http()` and `chaos.stub()` builders, and the seams
 * that `chaos.register()` declares (in setup files, support code or tests).
 */
import type * as TS from 'typescript';
import { readDocblock } from '../pragma/docblock';
import { parseRule } from '../rules/parse';
import { HTTP_KINDS } from '../rules/types';
import { unwrap, type FileIndex, type ProjectIndex } from './resolver';
import { fullText } from './text';
import type { TypeScript } from './typescript';

export type DeclaredSource = 'pragma' | 'chaos.test' | 'builder' | 'stub';

/** A fault that a test declares: one rule, or one builder or stub call. */
export interface DeclaredFault {
  readonly source: DeclaredSource;
  readonly file: string;
  readonly line: number;
  /** The rule as written (`http.timeout api.example.com ms=50`); for a builder or stub, the equivalent rule or call. */
  readonly rule: string;
  readonly domain: string;
  readonly kind: string;
  /** Rule target (`*` when none); for a stub, the stubbed method. */
  readonly target: string;
}

/** A seam registered with `chaos.register({ domain, name, object, methods })`. */
export interface DeclaredSeam {
  readonly domain: 'db' | 'cache';
  readonly name: string;
  readonly methods: readonly string[];
  /** The object expression as written. */
  readonly object: string;
  readonly file: string;
  readonly line: number;
}

export interface ChaosSuiteInfo {
  readonly file: string;
  readonly priority: 'A' | 'B' | 'C' | undefined;
}

export interface ChaosUsage {
  readonly faults: DeclaredFault[];
  readonly seams: DeclaredSeam[];
  readonly suites: ChaosSuiteInfo[];
  readonly warnings: string[];
}

const STUB_KINDS: Readonly<Record<string, string>> = { down: 'down', lost: 'lost', timeout: 'timeout', latency: 'latency', fail: 'error' };
const TEST_CALLS = new Set(['test', 'it', 'describe']);

export function emptyUsage(): ChaosUsage {
  return { faults: [], seams: [], suites: [], warnings: [] };
}

/**
 * The domain, kind and target of a rule, read as the rule parser reads it; a mistake is a warning naming
 * the file and line (`jest-chaos check` reports it in full), and the rule is left out.
 */
export function readRule(text: string, origin: string, warnings: string[]): { domain: string; kind: string; target: string } | undefined {
  try {
    const rule = parseRule(text, origin);
    return { domain: rule.domain, kind: rule.kind, target: rule.target };
  } catch (error) {
    warnings.push(`${(error as Error).message.replace(/^jest-chaos: /, '')} (left out of the scan)`);
    return undefined;
  }
}

/**
 * Reads one file into `usage`. `relative` is its path as results show it. Only a test file that Jest runs
 * (`runs`) declares faults; any file may register seams.
 */
export function readChaosUsage(ts: TypeScript, project: ProjectIndex, index: FileIndex, relative: string, usage: ChaosUsage, runs: boolean): void {
  const sourceText = index.sourceFile.text;
  if (!runs) {
    if (!sourceText.includes('chaos')) return;
    const visitSeams = (node: TS.Node): void => {
      if (ts.isCallExpression(node) && chaosMethod(ts, node.expression) === 'register') readCall(ts, project, index, relative, node, usage);
      ts.forEachChild(node, visitSeams);
    };
    visitSeams(index.sourceFile);
    return;
  }
  let isSuite = false;
  let priority: 'A' | 'B' | 'C' | undefined;
  for (const entry of readDocblock(sourceText)) {
    if (entry.name === 'chaos') {
      isSuite = true;
      if (entry.value === '') continue;
      const rule = readRule(entry.value, `${relative}:${entry.line}`, usage.warnings);
      if (rule !== undefined) usage.faults.push({ source: 'pragma', file: relative, line: entry.line, rule: entry.value.replace(/\s+/g, ' '), ...rule });
    } else if (entry.name === 'chaos-priority' && (entry.value === 'A' || entry.value === 'B' || entry.value === 'C')) {
      priority = entry.value;
    }
  }
  if (isSuite) usage.suites.push({ file: relative, priority });
  if (!sourceText.includes('chaos')) return;

  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node)) readCall(ts, project, index, relative, node, usage);
    ts.forEachChild(node, visit);
  };
  visit(index.sourceFile);
}

/** `chaos.<name>` (also `chaos.test.only`): the name, or undefined when the call is not on `chaos`. */
function chaosMethod(ts: TypeScript, callee: TS.Expression): string | undefined {
  const inner = unwrap(ts, callee);
  if (!ts.isPropertyAccessExpression(inner)) return undefined;
  const owner = unwrap(ts, inner.expression);
  if (ts.isIdentifier(owner) && owner.text === 'chaos') return inner.name.text;
  if (ts.isPropertyAccessExpression(owner) && ts.isIdentifier(owner.expression) && owner.expression.text === 'chaos' && ['only', 'skip', 'each'].includes(inner.name.text)) return owner.name.text;
  return undefined;
}

/** The builder calls chained on `start` (`chaos.http(x).timeout().times(2)`): each method name with its call. */
function chain(ts: TypeScript, start: TS.CallExpression): { name: string; call: TS.CallExpression }[] {
  const links: { name: string; call: TS.CallExpression }[] = [];
  let current: TS.Node = start;
  while (current.parent !== undefined && ts.isPropertyAccessExpression(current.parent) && current.parent.expression === current) {
    const access: TS.PropertyAccessExpression = current.parent;
    if (access.parent === undefined || !ts.isCallExpression(access.parent) || access.parent.expression !== access) break;
    links.push({ name: access.name.text, call: access.parent });
    current = access.parent;
  }
  return links;
}

function readCall(ts: TypeScript, project: ProjectIndex, index: FileIndex, relative: string, call: TS.CallExpression, usage: ChaosUsage): void {
  const method = chaosMethod(ts, call.expression);
  if (method === undefined) return;
  const line = index.line(call);
  const origin = `${relative}:${line}`;
  const text = (node: TS.Expression | undefined): string | undefined => (node === undefined ? undefined : fullText(project.textOf(node, index)));

  if (TEST_CALLS.has(method)) {
    const rulesArgument = call.arguments[1];
    if (rulesArgument === undefined) return;
    let inner = unwrap(ts, rulesArgument);
    let home = index;
    let throughBinding = false;
    if (ts.isIdentifier(inner)) {
      const bound = project.resolveBinding(inner, index);
      if (bound !== undefined && ts.isArrayLiteralExpression(unwrap(ts, bound.node))) {
        inner = unwrap(ts, bound.node);
        home = bound.index;
        throughBinding = true;
      }
    }
    const items = ts.isArrayLiteralExpression(inner) ? [...inner.elements] : [inner];
    for (const item of items) {
      const ruleText = fullText(project.textOf(item as TS.Expression, home));
      if (ruleText === undefined) continue;
      const rule = readRule(ruleText, origin, usage.warnings);
      if (rule !== undefined) usage.faults.push({ source: 'chaos.test', file: relative, line: throughBinding ? line : index.line(item), rule: ruleText.trim().replace(/\s+/g, ' '), ...rule });
    }
    return;
  }
  if (method === 'http') {
    const target = call.arguments[0] === undefined ? '*' : (text(call.arguments[0]) ?? '*');
    for (const link of chain(ts, call)) {
      if (!(HTTP_KINDS as readonly string[]).includes(link.name)) continue;
      usage.faults.push({ source: 'builder', file: relative, line: index.line(link.call), rule: `http.${link.name} ${target}`, domain: 'http', kind: link.name, target });
    }
    return;
  }
  if (method === 'stub') {
    const object = call.arguments[0] === undefined ? '?' : index.text(call.arguments[0]);
    const stubbed = text(call.arguments[1]);
    if (stubbed === undefined) return;
    for (const link of chain(ts, call)) {
      const kind = STUB_KINDS[link.name];
      if (kind === undefined) continue;
      usage.faults.push({ source: 'stub', file: relative, line: index.line(link.call), rule: `chaos.stub(${object}, '${stubbed}').${link.name}()`, domain: 'stub', kind, target: stubbed });
    }
    return;
  }
  if (method === 'register') {
    const argument = call.arguments[0];
    const options = argument === undefined ? undefined : project.objectOf(argument, index);
    if (options === undefined) return;
    const read = (name: string): string | undefined => {
      const found = project.property(options, name);
      return found === undefined ? undefined : fullText(project.textOf(found.node, found.index));
    };
    const domain = read('domain');
    const name = read('name');
    if ((domain !== 'db' && domain !== 'cache') || name === undefined) return;
    const methodsNode = project.property(options, 'methods');
    const methods: string[] = [];
    const list = methodsNode === undefined ? undefined : unwrap(ts, methodsNode.node);
    if (list !== undefined && ts.isArrayLiteralExpression(list)) {
      for (const element of list.elements) {
        const value = fullText(project.textOf(element as TS.Expression, methodsNode!.index));
        if (value !== undefined) methods.push(value);
      }
    }
    const objectNode = project.property(options, 'object');
    usage.seams.push({ domain, name, methods, object: objectNode === undefined ? '?' : objectNode.index.text(objectNode.node), file: relative, line });
  }
}
