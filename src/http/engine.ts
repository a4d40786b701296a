import { ChaosError } from '../errors/chaos-error';
import type { HttpRule } from '../rules/types';
import type { RuleState } from '../runtime/rule-state';
import type { TestChaos } from '../runtime/test-chaos';
import { loadNock, type LoadedNock, type Nock } from './nock-loader';
import { isLoopback, type UrlMatcher, compileTarget } from './target';
import { applyHttpFault, type Via } from './faults';
import { localizeArguments, localRegExps } from './realm-values';

interface InterceptedRequest {
  readonly request: Request;
  readonly controller: { respondWith(response: Response): void; errorWith(reason?: unknown): void };
}

interface RunningInterceptor {
  readonly emitter: {
    prependListener(event: 'request', listener: (event: InterceptedRequest) => Promise<void>): void;
    addListener(event: 'request', listener: (event: InterceptedRequest) => Promise<void>): void;
  };
}

/**
 * The interceptors nock applied, found by the descriptions of their global symbols.
 * @mswjs/interceptors renamed the fetch one in 0.41 ("fetch" became "fetch-interceptor"): accept both.
 */
function runningInterceptor(descriptions: readonly string[]): RunningInterceptor {
  const symbol = Object.getOwnPropertySymbols(globalThis).find((s) => s.description !== undefined && descriptions.includes(s.description));
  const instance = symbol === undefined ? undefined : (globalThis as Record<symbol, RunningInterceptor | undefined>)[symbol];
  if (instance === undefined) {
    throw new ChaosError('ERR_CHAOS_CONFIG', `nock's "${descriptions[0]}" interceptor is not active. Do not call nock.restore() in tests that run under jest-chaos.`);
  }
  return instance;
}

const HANDLED_SYMBOL = new WeakMap<object, symbol | null>();

/**
 * Whether some listener already answered the request. Controllers of @mswjs/interceptors 0.41+ expose
 * `readyState` (0 = pending); older ones keep a `kRequestHandled` flag under a private symbol.
 */
function isHandled(controller: object): boolean {
  const { readyState } = controller as { readyState?: unknown };
  if (typeof readyState === 'number') return readyState !== 0;
  const proto = Object.getPrototypeOf(controller) as object;
  let key = HANDLED_SYMBOL.get(proto);
  if (key === undefined) {
    key = Object.getOwnPropertySymbols(controller).find((s) => s.description === 'kRequestHandled') ?? null;
    HANDLED_SYMBOL.set(proto, key);
  }
  return key !== null && (controller as Record<symbol, unknown>)[key] === true;
}

/**
 * A request that jest-chaos answered: keep nock's own listener from seeing it too. A new promise per
 * request: a shared one would keep every request's awaiting listener (and through it the test file's
 * realm) alive for the rest of the worker.
 */
function never(): Promise<void> {
  return new Promise<void>(() => undefined);
}

/** Interceptors added by the test (or file) that is running: removed when it ends. */
class InterceptorLedger {
  private readonly added: object[] = [];
  track(interceptor: object): void {
    this.added.push(interceptor);
  }
  removeAll(nock: Nock): void {
    for (const interceptor of this.added.splice(0)) nock.removeInterceptor(interceptor);
  }
}

type NetConnectCall = { readonly enable: boolean; readonly matcher: Parameters<Nock['enableNetConnect']>[0] };

/**
 * One per worker process: hooks jest-chaos in front of nock's interception, and keeps nock's global
 * state (interceptors, net connect) scoped to the test or file that changed it.
 */
export class HttpEngine {
  readonly nock: Nock;
  /** The nock that test files get: the same instance, taking patterns created in their context. */
  readonly realmNock: Nock;
  readonly loaded: LoadedNock;
  /** The chaos test running now, if any. */
  current: TestChaos | undefined;
  allowNetConnect: readonly UrlMatcher[] = [];
  private ledger = new InterceptorLedger();
  private readonly fileLedger = new InterceptorLedger();
  private readonly netConnectLog: NetConnectCall[] = [];
  private testNetConnectMark: number | undefined;
  private readonly matchers = new WeakMap<HttpRule, UrlMatcher>();
  private readonly originalNetConnect: Pick<Nock, 'enableNetConnect' | 'disableNetConnect'>;

  constructor(rootDir: string) {
    this.loaded = loadNock(rootDir);
    this.nock = this.loaded.nock;
    const { nock } = this;
    this.originalNetConnect = { enableNetConnect: nock.enableNetConnect, disableNetConnect: nock.disableNetConnect };

    const interceptors = [
      [['client-request-interceptor'], 'http'],
      [['fetch-interceptor', 'fetch'], 'fetch'],
    ] as const;
    for (const [descriptions, via] of interceptors) {
      const interceptor = runningInterceptor(descriptions);
      interceptor.emitter.prependListener('request', (event) => this.beforeNock(event, via));
      interceptor.emitter.addListener('request', async (event) => this.afterNock(event));
    }

    // Patterns created in a test file's context work as patterns (see realm-values.ts).
    const probe = nock('http://jest-chaos.invalid') as { get(uri: string): object };
    localizeArguments(Object.getPrototypeOf(probe) as Record<string, unknown>, ['intercept', 'filteringPath', 'filteringRequestBody', 'matchHeader']);
    localizeArguments(Object.getPrototypeOf(probe.get('/')) as Record<string, unknown>, ['matchHeader', 'query', 'filteringPath']);
    this.realmNock = new Proxy(nock, {
      apply: (target, thisArg, args: unknown[]) => Reflect.apply(target, thisArg, args.map((arg) => localRegExps(arg))),
    });

    // Track the interceptors each test adds, so that they can be removed when it ends.
    const scopeProto = Object.getPrototypeOf(probe) as { add(key: string, interceptor: object): unknown };
    const add = scopeProto.add;
    const engine = this;
    scopeProto.add = function (this: unknown, key: string, interceptor: object) {
      (engine.testNetConnectMark === undefined ? engine.fileLedger : engine.ledger).track(interceptor);
      return add.call(this, key, interceptor);
    };
    nock.enableNetConnect = (given) => {
      const matcher = localRegExps(given);
      this.netConnectLog.push({ enable: true, matcher });
      this.originalNetConnect.enableNetConnect(matcher);
    };
    nock.disableNetConnect = () => {
      this.netConnectLog.push({ enable: false, matcher: undefined });
      this.originalNetConnect.disableNetConnect();
    };
  }

  /** A test starts: what it adds to nock from now on is its own. */
  beginTest(): void {
    this.testNetConnectMark = this.netConnectLog.length;
  }

  /** A test ended: remove what it added to nock, and the net-connect changes it made. */
  endTest(): void {
    this.ledger.removeAll(this.nock);
    this.nock.abortPendingRequests();
    if (this.testNetConnectMark !== undefined && this.netConnectLog.length > this.testNetConnectMark) {
      this.netConnectLog.length = this.testNetConnectMark;
      this.replayNetConnect();
    }
    this.testNetConnectMark = undefined;
  }

  /** A test file ended: nothing it gave nock survives into the next file of this worker. */
  endFile(): void {
    this.endTest();
    this.fileLedger.removeAll(this.nock);
    this.nock.cleanAll();
    this.netConnectLog.length = 0;
    this.replayNetConnect();
    this.nock.emitter.removeAllListeners();
  }

  private replayNetConnect(): void {
    this.originalNetConnect.enableNetConnect();
    for (const call of this.netConnectLog) {
      if (call.enable) this.originalNetConnect.enableNetConnect(call.matcher);
      else this.originalNetConnect.disableNetConnect();
    }
  }

  private matcherFor(rule: HttpRule): UrlMatcher {
    let matcher = this.matchers.get(rule);
    if (matcher === undefined) {
      matcher = compileTarget(rule.target);
      this.matchers.set(rule, matcher);
    }
    return matcher;
  }

  private async beforeNock({ request, controller }: InterceptedRequest, via: Via): Promise<void> {
    const test = this.current;
    if (test === undefined || test.httpRules.length === 0) return;
    const url = new URL(request.url);
    const call = `${request.method} ${request.url}`;
    for (const state of test.httpRules as readonly RuleState<HttpRule>[]) {
      const { rule } = state;
      if (rule.options.method !== undefined && rule.options.method !== request.method) continue;
      if (!this.matcherFor(rule)(url)) continue;
      if (!state.fires()) continue;
      const answered = await applyHttpFault({ state, test, url, call, via, controller });
      if (answered) return never();
      if (test.disposed) return never();
    }
  }

  private async afterNock({ request, controller }: InterceptedRequest): Promise<void> {
    if (this.current === undefined || isHandled(controller)) return;
    const url = new URL(request.url);
    if (isLoopback(url.hostname) || this.allowNetConnect.some((allowed) => allowed(url))) return;
    controller.errorWith(
      new ChaosError(
        'ERR_CHAOS_NET_CONNECT',
        `${request.method} ${request.url} was answered by no chaos rule and no nock mock, and would leave this machine. ` +
          'While a chaos test runs, only loopback hosts are reached for real. Mock the request with nock, or allow the host with ' +
          "testEnvironmentOptions: { chaos: { allowNetConnect: ['host.example.com'] } }.",
      ),
    );
  }
}

let engine: HttpEngine | undefined;

/** The worker's engine, created on first use. */
export function httpEngine(rootDir: string): HttpEngine {
  engine ??= new HttpEngine(rootDir);
  return engine;
}

/** The engine if some file of this worker already needed it. */
export function existingHttpEngine(): HttpEngine | undefined {
  return engine;
}
