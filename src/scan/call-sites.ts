/**
 * Finds, in one source file, the places where the code reaches a dependency: HTTP requests with the URL
 * they call, database, cache and broker clients where they are made and where their methods are called.
 */
import type * as TS from 'typescript';
import { CallerIndex, callOptions, declaredName, enclosingFunction, enclosingNames, handlingAround, optionHandling, type Handling } from './handling';
import { GLOBAL_FETCH, hasPath, LIFECYCLE_METHODS, normalPath, type Library } from './libraries';
import { propertyName, unwrap, type Expr, type FileIndex, type ProjectIndex, type Value } from './resolver';
import { constantText, fullText, joinText, prefixOf, type StaticText } from './text';
import type { TypeScript } from './typescript';
import { findWord, words } from './words';

export type CallRole = 'request' | 'connect' | 'command';

/** Text around a call site that priority signals read, each with where it came from. */
export interface SiteText {
  readonly where: 'file' | 'function' | 'call' | 'url' | 'sql';
  readonly text: string;
}

export interface CallSite {
  /** Path relative to the scan's rootDir, `/`-separated. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly library: Library;
  readonly role: CallRole;
  /** The call as written (shortened): `fetch`, `this.pool.query`, `new Pool`. */
  readonly call: string;
  /** HTTP method (`GET`), or the client method called (`query`). */
  readonly method: string | undefined;
  /** HTTP: the URL requested; other clients: the connection string or address, when given. */
  readonly address: StaticText | undefined;
  /** Enclosing functions and classes, outermost first. */
  readonly enclosing: readonly string[];
  readonly handling: readonly Handling[];
  readonly write: boolean;
  readonly transaction: boolean;
  readonly idempotencyKey: boolean;
  readonly texts: readonly SiteText[];
}

const SQL_WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'UPSERT', 'MERGE', 'REPLACE']);
const REDIS_WRITES = new Set(
  'set setex psetex setnx mset msetnx getset getdel del unlink expire pexpire expireat persist incr incrby incrbyfloat decr decrby append hset hsetnx hmset hdel hincrby lpush rpush lpop rpop lset lrem ltrim sadd srem spop smove zadd zrem zincrby xadd xdel xtrim rename publish eval evalsha exec'
    .split(' '),
);
const TRANSACTION_CALLS = new Set(['transaction', 'beginTransaction', 'startTransaction', 'withTransaction', '$transaction', 'runInTransaction', 'multi']);
const TRANSACTION_WORDS = ['transaction', 'tx', 'trx'];
const HTTP_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

function shortText(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

/** What a call or `new` reaches, when it reaches a dependency. */
interface Reach {
  readonly library: Library;
  readonly role: CallRole;
  readonly method: string | undefined;
  readonly address: StaticText | undefined;
  /** Options of the client the call goes through (its timeouts and retries count for the call). */
  readonly clientOptions: Expr | undefined;
}

export class CallSiteFinder {
  private readonly transactions = new Map<TS.Node, boolean>();

  constructor(
    private readonly ts: TypeScript,
    private readonly project: ProjectIndex,
  ) {}

  /** Every call site of the file. `relative` is the file's path as results show it. */
  find(index: FileIndex, relative: string): CallSite[] {
    const ts = this.ts;
    const sites: CallSite[] = [];
    let callers: CallerIndex | undefined;
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const reach = this.reach(node, index);
        if (reach !== undefined) {
          callers ??= new CallerIndex(ts, index.sourceFile);
          sites.push(this.site(node, reach, index, relative, callers));
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(index.sourceFile);
    return sites.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  private reach(node: TS.CallExpression | TS.NewExpression, index: FileIndex): Reach | undefined {
    const ts = this.ts;
    const project = this.project;
    if (ts.isNewExpression(node)) {
      const made = project.valueOf(node, index);
      if (made?.kind !== 'instance' || made.library.domain === 'http') return undefined;
      return { library: made.library, role: 'connect', method: undefined, address: made.base, clientOptions: made.options };
    }
    const callee = unwrap(ts, node.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const owner = project.valueOf(callee.expression, index);
      if (owner?.kind === 'instance') return this.instanceCall(owner, method, node, index);
      if (owner?.kind === 'module') {
        const path = [...owner.path, method];
        if (owner.library.domain === 'http' && hasPath(owner.library.requests, path)) return this.request(owner.library, normalPath(path), node, index, undefined);
        if (owner.library.domain !== 'http' && hasPath(owner.library.factories, path)) return this.madeHere(node, index);
        return undefined;
      }
    }
    const value = project.valueOf(callee, index);
    if (value === undefined) return undefined;
    if (value.kind === 'global-fetch') return this.request(GLOBAL_FETCH, [], node, index, undefined);
    if (value.kind === 'module') {
      if (value.library.domain === 'http' && hasPath(value.library.requests, value.path)) return this.request(value.library, normalPath(value.path), node, index, undefined);
      if (value.library.domain !== 'http' && hasPath(value.library.factories, value.path)) return this.madeHere(node, index);
      return undefined;
    }
    if (value.kind === 'instance' && value.library.instanceRequests?.includes('call') === true) return this.request(value.library, [], node, index, value);
    return undefined;
  }

  private madeHere(node: TS.CallExpression, index: FileIndex): Reach | undefined {
    const made = this.project.valueOf(node, index);
    if (made?.kind !== 'instance') return undefined;
    return { library: made.library, role: 'connect', method: undefined, address: made.base, clientOptions: made.options };
  }

  private instanceCall(owner: Extract<Value, { kind: 'instance' }>, method: string, node: TS.CallExpression, index: FileIndex): Reach | undefined {
    const library = owner.library;
    if (library.domain === 'http') {
      if (library.instanceRequests?.includes(method) !== true) return undefined;
      return this.request(library, [method], node, index, owner);
    }
    if (LIFECYCLE_METHODS.has(method)) return undefined;
    const role: CallRole = method === 'connect' ? 'connect' : 'command';
    return { library, role, method, address: owner.base, clientOptions: owner.options };
  }

  /** An HTTP request: its URL (the client's base URL joined with the path) and method. */
  private request(library: Library, path: readonly string[], call: TS.CallExpression, index: FileIndex, instance: Extract<Value, { kind: 'instance' }> | undefined): Reach {
    const ts = this.ts;
    const project = this.project;
    const args = call.arguments;
    const verb = path[path.length - 1];
    let method = verb !== undefined && HTTP_VERBS.has(verb) ? verb.toUpperCase() : undefined;
    let url: StaticText | undefined;
    let base = instance?.base;
    const first = args[0];
    const config = first === undefined ? undefined : project.objectOf(first, index);
    const optionText = (object: Expr | undefined, name: string): StaticText | undefined => {
      const found = object === undefined ? undefined : project.property(object, name);
      return found === undefined ? undefined : project.textOf(found.node, found.index);
    };
    const optionMethod = (object: Expr | undefined): void => {
      const text = optionText(object, 'method');
      const value = text === undefined ? undefined : fullText(text);
      if (value !== undefined) method = value.toUpperCase();
    };
    if (library.id === 'http' || library.id === 'https') {
      if (config !== undefined) {
        const protocol = optionText(config, 'protocol') ?? constantText(`${library.id}:`);
        const host = optionText(config, 'hostname') ?? optionText(config, 'host');
        const port = optionText(config, 'port');
        const pathText = optionText(config, 'path') ?? constantText('/');
        if (host !== undefined) url = joinText(protocol, constantText('//'), host, ...(port === undefined ? [] : [constantText(':'), port]), pathText);
        optionMethod(config);
      } else if (first !== undefined) {
        url = project.textOf(first, index);
        const second = args[1] === undefined ? undefined : project.objectOf(args[1], index);
        optionMethod(second);
      }
      method ??= verb === 'get' ? 'GET' : undefined;
    } else if (library.id === 'axios' || library.id === 'got') {
      const baseKey = library.id === 'axios' ? 'baseURL' : 'prefixUrl';
      if (config !== undefined && (verb === undefined || verb === 'request')) {
        url = optionText(config, 'url');
        base = optionText(config, baseKey) ?? base;
        optionMethod(config);
      } else if (first !== undefined) {
        url = project.textOf(first, index);
        const options = args.slice(1).map((argument) => project.objectOf(argument, index)).find((object) => object !== undefined && project.property(object, 'method') !== undefined);
        optionMethod(options);
        const withBase = args.slice(1).map((argument) => project.objectOf(argument, index)).find((object) => object !== undefined && project.property(object, baseKey) !== undefined);
        base = optionText(withBase, baseKey) ?? base;
      }
      method ??= 'GET';
    } else if (library.id === 'undici' && instance !== undefined) {
      url = optionText(config, 'path');
      optionMethod(config);
    } else {
      // fetch(input, init), node-fetch, undici.request/fetch
      const input = first === undefined ? undefined : unwrap(ts, first);
      const target = input !== undefined && ts.isNewExpression(input) && ts.isIdentifier(input.expression) && input.expression.text === 'Request' ? input.arguments?.[0] : input;
      if (target !== undefined) url = project.textOf(target, index);
      optionMethod(args[1] === undefined ? undefined : project.objectOf(args[1], index));
      method ??= 'GET';
    }
    const address = joinUrl(base, url);
    return { library, role: 'request', method, address, clientOptions: instance?.options };
  }

  private site(node: TS.CallExpression | TS.NewExpression, reach: Reach, index: FileIndex, relative: string, callers: CallerIndex): CallSite {
    const ts = this.ts;
    const project = this.project;
    const sourceFile = index.sourceFile;
    const start = node.getStart(sourceFile);
    const position = sourceFile.getLineAndCharacterOfPosition(start);
    const callee = ts.isNewExpression(node) ? `new ${index.text(node.expression)}` : index.text(node.expression);
    const enclosing = enclosingNames(ts, node);
    const handling: Handling[] = [...handlingAround(ts, node, index, callers, project)];
    for (const options of callOptions(node, index, project)) handling.push(...optionHandling(ts, options, 'call option'));
    if (reach.clientOptions !== undefined && !callOptions(node, index, project).some((options) => options.node === reach.clientOptions!.node)) {
      handling.push(...optionHandling(ts, reach.clientOptions, 'client option'));
    }

    // Most specific first: the signal that decides names the function before the file.
    const texts: SiteText[] = [];
    if (enclosing.length > 0) texts.push({ where: 'function', text: enclosing.join('.') });
    let sql: string | undefined;
    if (reach.library.domain === 'http') {
      if (reach.address !== undefined) texts.push({ where: 'url', text: reach.address.parts.map((part) => ('text' in part ? part.text : '')).join(' ') });
    } else if (reach.role === 'command' && ts.isCallExpression(node) && node.arguments[0] !== undefined) {
      const first = node.arguments[0];
      const config = project.objectOf(first, index);
      const textNode = config === undefined ? { node: first, index } : (project.property(config, 'text') ?? project.property(config, 'sql'));
      if (textNode !== undefined) {
        const text = project.textOf(textNode.node, textNode.index);
        const constant = text.parts.map((part) => ('text' in part ? part.text : ' ')).join('');
        if (constant.trim() !== '' && text.parts.some((part) => 'text' in part)) {
          sql = constant;
          texts.push({ where: 'sql', text: constant });
        }
      }
    }
    texts.push({ where: 'call', text: callee }, { where: 'file', text: relative });
    const firstWord = sql?.trim().split(/\s+/)[0]?.toUpperCase();
    const write =
      reach.library.domain === 'http'
        ? reach.method !== undefined && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(reach.method)
        : (firstWord !== undefined && SQL_WRITES.has(firstWord)) || ((reach.library.id === 'ioredis' || reach.library.id === 'redis') && reach.method !== undefined && REDIS_WRITES.has(reach.method.toLowerCase()));
    return {
      file: relative,
      line: position.line + 1,
      column: position.character + 1,
      library: reach.library,
      role: reach.role,
      call: shortText(callee),
      method: reach.method,
      address: reach.address,
      enclosing,
      handling,
      write,
      transaction: reach.library.domain !== 'http' && this.inTransaction(node, enclosing),
      idempotencyKey: mentionsIdempotency(ts, node, index, project),
      texts,
    };
  }

  /** Inside a transaction: a callback of `transaction()`/`multi()`, or a function that begins one, or is named for one. */
  private inTransaction(node: TS.Node, enclosing: readonly string[]): boolean {
    const ts = this.ts;
    if (findWord(enclosing.flatMap((name) => words(name)), TRANSACTION_WORDS) !== undefined) return true;
    for (let current: TS.Node | undefined = node.parent; current !== undefined; current = current.parent) {
      if (ts.isCallExpression(current) && current.arguments.some((argument) => argument.pos <= node.pos && node.end <= argument.end)) {
        const callee = current.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (TRANSACTION_CALLS.has(name)) return true;
      }
      if (ts.isFunctionLike(current) && declaredName(ts, current) !== undefined) break;
    }
    const fn = enclosingFunction(ts, node);
    if (fn === undefined) return false;
    const cached = this.transactions.get(fn);
    if (cached !== undefined) return cached;
    let begins = false;
    const visit = (child: TS.Node): void => {
      if (begins || (child !== fn && ts.isFunctionLike(child) && declaredName(ts, child) !== undefined)) return;
      if (ts.isCallExpression(child)) {
        const callee = child.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (TRANSACTION_CALLS.has(name)) begins = true;
        const first = child.arguments[0];
        if (first !== undefined && ts.isStringLiteralLike(first)) {
          const statement = first.text.trim().toUpperCase();
          if (statement === 'BEGIN' || statement.startsWith('BEGIN ') || statement.startsWith('START TRANSACTION')) begins = true;
        }
      }
      ts.forEachChild(child, visit);
    };
    visit(fn);
    this.transactions.set(fn, begins);
    return begins;
  }
}

/** A base URL joined with a path (`https://api.example.com/v1` + `/charges`); an absolute URL stands alone. */
export function joinUrl(base: StaticText | undefined, url: StaticText | undefined): StaticText | undefined {
  if (base === undefined) return url;
  if (url === undefined) return base;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(prefixOf(url))) return url;
  const baseText = base.parts[base.parts.length - 1];
  const urlText = url.parts[0];
  if (baseText !== undefined && 'text' in baseText && baseText.text.endsWith('/') && urlText !== undefined && 'text' in urlText && urlText.text.startsWith('/')) {
    return joinText({ parts: [...base.parts.slice(0, -1), { text: baseText.text.slice(0, -1) }], env: base.env }, url);
  }
  const needsSlash = !(baseText !== undefined && 'text' in baseText && baseText.text.endsWith('/')) && !(urlText !== undefined && 'text' in urlText && /^[/?#]/.test(urlText.text));
  return needsSlash ? joinText(base, constantText('/'), url) : joinText(base, url);
}

/** Whether the call passes an idempotency key (a header or option named so, in its arguments). */
function mentionsIdempotency(ts: TypeScript, call: TS.CallExpression | TS.NewExpression, index: FileIndex, project: ProjectIndex): boolean {
  const isKey = (text: string): boolean => findWord(words(text), ['idempotency', 'idempotent']) !== undefined;
  const visit = (node: TS.Node, depth: number): boolean => {
    if (depth > 4) return false;
    if (ts.isStringLiteralLike(node) && isKey(node.text)) return true;
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && isKey(propertyName(ts, node.name) ?? '')) return true;
    if (ts.isIdentifier(node)) {
      const object = project.objectOf(node, index);
      if (object !== undefined && object.node !== node && visit(object.node, depth + 1)) return true;
    }
    return ts.forEachChild(node, (child) => (visit(child, depth + 1) ? true : undefined)) === true;
  };
  return (call.arguments ?? []).some((argument) => visit(argument, 0));
}
