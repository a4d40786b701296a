/**
 * The error handling a parser can see around a call: try/catch, `.catch()`, retries (loops around a
 * try, retry helpers, client retry options), timeouts and abort signals, fallbacks and circuit breakers,
 * in the call's own function and in the functions of the same file that call it.
 */
import type * as TS from 'typescript';
import { propertyName, unwrap, type Expr, type FileIndex, type ProjectIndex } from './resolver';
import type { TypeScript } from './typescript';
import { findWord, words } from './words';

/** What scan recognises around a call site (docs/scan.md). */
export const HANDLING_KINDS = ['try-catch', 'catch', 'retry', 'timeout', 'abort-signal', 'fallback', 'circuit-breaker'] as const;
export type HandlingKind = (typeof HANDLING_KINDS)[number];

export interface Handling {
  readonly kind: HandlingKind;
  /** Line of the construct in the call site's file. */
  readonly line: number;
  readonly detail: string;
  /** Set when the handling is in a caller: `ProfileClient.get`. */
  readonly via?: string;
}

const TIMEOUT_OPTIONS = [
  'timeout',
  'timeoutMs',
  'connectTimeout',
  'connectTimeoutMS',
  'connectionTimeout',
  'connectionTimeoutMillis',
  'query_timeout',
  'statement_timeout',
  'commandTimeout',
  'socketTimeout',
  'socketTimeoutMS',
  'requestTimeout',
  'acquireTimeout',
  'acquireTimeoutMillis',
  'headersTimeout',
  'bodyTimeout',
  'deadline',
];
const RETRY_OPTIONS = ['retry', 'retries', 'maxRetries', 'maxRetriesPerRequest', 'retryStrategy', 'reconnectStrategy', 'retryDelay', 'reconnectPeriod', 'maxReconnectAttempts', 'retryOnFailover'];
const RETRY_WORDS = ['retry', 'retrying', 'retryable', 'backoff'];
const BREAKER_WORDS = ['circuit', 'breaker'];
const TIMEOUT_WORDS = ['timeout'];

/** Where a call site is: the names of its enclosing functions, outermost first (`ProfileClient`, `fetchOnce`). */
export function enclosingNames(ts: TypeScript, node: TS.Node): string[] {
  const names: string[] = [];
  for (let current: TS.Node | undefined = node.parent; current !== undefined; current = current.parent) {
    const name = declaredName(ts, current);
    if (name !== undefined) names.unshift(name);
  }
  return names;
}

/** The name a function, method or class declares (`const charge = async () => ...` names `charge`). */
export function declaredName(ts: TypeScript, node: TS.Node): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isClassExpression(node)) && node.name !== undefined) return node.name.text;
  if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node) || ts.isPropertyDeclaration(node)) {
    if (ts.isPropertyDeclaration(node) && (node.initializer === undefined || !ts.isFunctionLike(node.initializer))) return undefined;
    return propertyName(ts, node.name);
  }
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.parent !== undefined) {
    const parent = node.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    if (ts.isPropertyAssignment(parent)) return propertyName(ts, parent.name);
  }
  return undefined;
}

/** The innermost named function around `node` (a callback passed to a call is not a boundary). */
export function enclosingFunction(ts: TypeScript, node: TS.Node): TS.Node | undefined {
  for (let current: TS.Node | undefined = node.parent; current !== undefined; current = current.parent) {
    if (ts.isFunctionLike(current) && declaredName(ts, current) !== undefined) return current;
  }
  return undefined;
}

function endsInThrow(ts: TypeScript, body: TS.Node): boolean {
  if (ts.isBlock(body)) {
    const last = body.statements[body.statements.length - 1];
    return last !== undefined && ts.isThrowStatement(last);
  }
  if (ts.isCallExpression(body) && ts.isPropertyAccessExpression(body.expression)) {
    return body.expression.name.text === 'reject' && ts.isIdentifier(body.expression.expression) && body.expression.expression.text === 'Promise';
  }
  return false;
}

function calleeName(ts: TypeScript, call: TS.CallExpression): string {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return '';
}

/** The handling in `node`'s own function: the promise chain it is part of, then its ancestors. */
function ownHandling(ts: TypeScript, node: TS.Node, index: FileIndex): Handling[] {
  const found: Handling[] = [];
  const add = (kind: HandlingKind, at: TS.Node, detail: string): void => {
    found.push({ kind, line: index.line(at), detail });
  };
  // The promise chain: fetch(url).then(...).catch(...)
  let current: TS.Node = node;
  for (;;) {
    const parent: TS.Node | undefined = current.parent;
    if (parent === undefined) break;
    if (ts.isParenthesizedExpression(parent) || ts.isAwaitExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent)) {
      current = parent;
      continue;
    }
    if (ts.isPropertyAccessExpression(parent) && parent.expression === current && parent.parent !== undefined && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) {
      const call = parent.parent;
      const name = parent.name.text;
      const handler = name === 'catch' ? call.arguments[0] : name === 'then' ? call.arguments[1] : undefined;
      if (handler !== undefined) {
        add('catch', call, name === 'catch' ? '.catch()' : '.then(onFulfilled, onRejected)');
        if ((ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) && !endsInThrow(ts, handler.body)) add('fallback', call, `the ${name === 'catch' ? '.catch' : 'rejection'} handler returns instead of rethrowing`);
      }
      current = call;
      continue;
    }
    break;
  }
  // Ancestors up to the enclosing named function (callbacks passed to helpers are crossed).
  let sawTry = false;
  let child: TS.Node = node;
  for (let ancestor: TS.Node | undefined = node.parent; ancestor !== undefined; child = ancestor, ancestor = ancestor.parent) {
    if (ts.isTryStatement(ancestor) && ancestor.tryBlock === child && ancestor.catchClause !== undefined) {
      const rethrows = endsInThrow(ts, ancestor.catchClause.block);
      add('try-catch', ancestor, rethrows ? 'try/catch (the catch rethrows)' : 'try/catch');
      if (!rethrows) add('fallback', ancestor.catchClause, 'the catch block returns or carries on instead of rethrowing');
      sawTry = true;
    } else if (ts.isIterationStatement(ancestor, false) && sawTry) {
      add('retry', ancestor, 'retry loop');
    } else if (ts.isCallExpression(ancestor) && child !== ancestor.expression && ancestor.arguments.some((argument) => argument === child)) {
      const name = calleeName(ts, ancestor);
      const tokens = words(name);
      if (ts.isPropertyAccessExpression(ancestor.expression) && name === 'race' && ts.isIdentifier(ancestor.expression.expression) && ancestor.expression.expression.text === 'Promise') add('timeout', ancestor, 'Promise.race');
      else if (findWord(tokens, RETRY_WORDS) !== undefined) add('retry', ancestor, `retry helper ${name}()`);
      else if (findWord(tokens, BREAKER_WORDS) !== undefined || (name === 'fire' && ts.isPropertyAccessExpression(ancestor.expression) && findWord(words(index.text(ancestor.expression.expression)), BREAKER_WORDS) !== undefined)) {
        add('circuit-breaker', ancestor, `circuit breaker ${name}()`);
      } else if (findWord(tokens, TIMEOUT_WORDS) !== undefined) add('timeout', ancestor, `timeout helper ${name}()`);
    } else if (ts.isArrayLiteralExpression(ancestor) && ancestor.parent !== undefined && ts.isCallExpression(ancestor.parent)) {
      const call = ancestor.parent;
      if (ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'race') add('timeout', call, 'Promise.race');
    }
    if (ts.isFunctionLike(ancestor) && declaredName(ts, ancestor) !== undefined) break;
  }
  return found;
}

/** Whether an expression uses `AbortSignal.timeout(...)` (directly or inside `AbortSignal.any([...])`). */
function mentionsAbortTimeout(ts: TypeScript, node: TS.Node): boolean {
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'timeout' && ts.isIdentifier(node.expression) && node.expression.text === 'AbortSignal') return true;
  return ts.forEachChild(node, (child) => (mentionsAbortTimeout(ts, child) ? true : undefined)) === true;
}

/** Timeouts, signals and retry settings in an options object (nested one level: `socket: { connectTimeout }`). */
export function optionHandling(ts: TypeScript, options: Expr | undefined, where: string): Handling[] {
  if (options === undefined) return [];
  const found: Handling[] = [];
  const visit = (object: Expr, depth: number): void => {
    const literal = object.node as TS.ObjectLiteralExpression;
    for (const property of literal.properties) {
      if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
      const name = propertyName(ts, property.name);
      if (name === undefined) continue;
      const line = object.index.line(property);
      const value = ts.isPropertyAssignment(property) ? unwrap(ts, property.initializer) : undefined;
      if (name === 'signal') {
        if (value !== undefined && mentionsAbortTimeout(ts, value)) found.push({ kind: 'timeout', line, detail: `${where} signal: AbortSignal.timeout()` });
        else found.push({ kind: 'abort-signal', line, detail: `${where} signal` });
      } else if (TIMEOUT_OPTIONS.includes(name)) {
        found.push({ kind: 'timeout', line, detail: `${where} ${name}` });
      } else if (RETRY_OPTIONS.includes(name)) {
        found.push({ kind: 'retry', line, detail: `${where} ${name}` });
      } else if (value !== undefined && ts.isObjectLiteralExpression(value) && depth < 2) {
        visit({ node: value, index: object.index }, depth + 1);
      }
    }
  };
  visit(options, 0);
  return found;
}

/** The options objects passed to a call (`fetch(url, { signal })`, `axios.get(url, { timeout })`). */
export function callOptions(call: TS.CallExpression | TS.NewExpression, index: FileIndex, project: ProjectIndex): Expr[] {
  const found: Expr[] = [];
  for (const argument of call.arguments ?? []) {
    const object = project.objectOf(argument, index);
    if (object !== undefined) found.push(object);
  }
  return found;
}

/** Calls in a file by the name they call (`get(...)`, `this.get(...)`, `client.get(...)`), built once per file. */
export class CallerIndex {
  private readonly calls = new Map<string, TS.CallExpression[]>();

  constructor(ts: TypeScript, sourceFile: TS.SourceFile) {
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node)) {
        const name = calleeName(ts, node);
        if (name !== '') {
          const list = this.calls.get(name) ?? [];
          list.push(node);
          this.calls.set(name, list);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }

  callsOf(name: string): readonly TS.CallExpression[] {
    return this.calls.get(name) ?? [];
  }
}

/**
 * The handling around `call`: its own function's, then that of the calls of its function elsewhere in the
 * same file (two levels), each marked with the caller's name.
 */
export function handlingAround(ts: TypeScript, call: TS.Node, index: FileIndex, callers: CallerIndex, project: ProjectIndex): Handling[] {
  const found: Handling[] = [];
  const seen = new Set<TS.Node>();
  const visit = (node: TS.Node, via: string | undefined, level: number): void => {
    if (seen.has(node)) return;
    seen.add(node);
    for (const handling of ownHandling(ts, node, index)) found.push(via === undefined ? handling : { ...handling, via });
    if (via !== undefined && ts.isCallExpression(node)) {
      for (const options of callOptions(node, index, project)) for (const handling of optionHandling(ts, options, 'call option')) found.push({ ...handling, via });
    }
    if (level >= 2) return;
    const fn = enclosingFunction(ts, node);
    const name = fn === undefined ? undefined : declaredName(ts, fn);
    if (fn === undefined || name === undefined) return;
    const callerName = (caller: TS.Node): string => {
      const names = enclosingNames(ts, caller);
      return names.length === 0 ? `${index.line(caller)}` : names.join('.');
    };
    for (const caller of callers.callsOf(name)) {
      if (caller.pos >= fn.pos && caller.end <= fn.end) continue; // recursion
      visit(caller, callerName(caller), level + 1);
    }
  };
  visit(call, undefined, 0);
  return dedupe(found);
}

function dedupe(list: readonly Handling[]): Handling[] {
  const seen = new Set<string>();
  return list.filter((handling) => {
    const key = `${handling.kind}\0${handling.line}\0${handling.via ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
