import { ChaosError } from '../errors/chaos-error';
import type { HttpRule } from '../rules/types';
import type { RuleState } from '../runtime/rule-state';
import type { TestChaos } from '../runtime/test-chaos';
import { loadNock, type LoadedNock, type Nock } from './nock-loader';
import { isLoopback, type UrlMatcher, compileTarget } from './target';
import { applyHttpFault, type Via } from './faults';
import { localizeArguments, localRegExps } from './realm-values';
import { activeTest } from '../runtime/test-context';
import { replaceProperty } from '../runtime/patches';
import { isChaosError } from '../errors/chaos-error';
import { deliverApart, handOver, isInjected, isNockRefusal, markNockError } from './realm-errors';
import { mswInterceptors, type MswInterceptor, type MswRequestEvent } from './msw-layer';

interface InterceptedRequest {
  readonly request: Request;
  readonly controller: { respondWith(response: Response): void; errorWith(reason?: unknown): void };
}

interface RunningInterceptor {
  readonly emitter: {
    prependListener(event: 'request', listener: (event: InterceptedRequest) => Promise<void>): void;
    addListener(event: 'request', listener: (event: InterceptedRequest) => Promise<void>): void;
    listeners(event: 'request'): readonly unknown[];
    removeListener(event: 'request', listener: (event: InterceptedRequest) => Promise<void>): void;
  };
}

/** nock's interceptors, named by the descriptions of their global symbols ("fetch" became "fetch-interceptor" in @mswjs/interceptors 0.41). */
const INTERCEPTORS = [
  [['client-request-interceptor'], 'http'],
  [['fetch-interceptor', 'fetch'], 'fetch'],
] as const;

/** The running instance of one of nock's interceptors, if it is applied. */
function runningInterceptor(descriptions: readonly string[]): RunningInterceptor | undefined {
  const symbol = Object.getOwnPropertySymbols(globalThis).find((s) => s.description !== undefined && descriptions.includes(s.description));
  return symbol === undefined ? undefined : (globalThis as Record<symbol, RunningInterceptor | undefined>)[symbol];
}

function unsupportedLayout(version: string, descriptions: readonly string[]): ChaosError {
  return new ChaosError(
    'ERR_CHAOS_CONFIG',
    `the nock in use (${version}) does not apply the "${descriptions[0]}" interceptor of @mswjs/interceptors that jest-chaos hooks into, even after nock.activate(). jest-chaos supports nock 14 and 15 (it brings 14); make the project's nock resolve to one of them.`,
  );
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

type NetConnectCall = { readonly owner: TestChaos | undefined; readonly enable: boolean; readonly matcher: Parameters<Nock['enableNetConnect']>[0] };

type RequestListener = (event: InterceptedRequest) => Promise<void>;

type Controller = InterceptedRequest['controller'];

/** The listeners that jest-chaos put on one of msw's emitters, and how many chaos tests use them. */
interface MswHook {
  count: number;
  readonly remove: () => void;
}

/** What the guard says when msw is listening in the file: msw's handlers had their turn. */
const MSW_ADVICE =
  "msw is listening in this test file and none of its handlers answered it (msw's onUnhandledRequest let it through). Add a handler for it (server.use(...)), or allow the host with testEnvironmentOptions: { chaos: { allowNetConnect: ['host.example.com'] } }.";

const NOCK_ADVICE = "Mock the request with nock, or allow the host with testEnvironmentOptions: { chaos: { allowNetConnect: ['host.example.com'] } }.";

/** The guard's error; `cause` is nock's own refusal (no match, net connect disabled) that it stands for. */
function netConnectError(call: string, msw: boolean, cause?: unknown): ChaosError {
  return new ChaosError(
    'ERR_CHAOS_NET_CONNECT',
    `${call} was answered by no chaos rule and ${msw ? 'no msw handler' : 'no nock mock'}, and would leave this machine. ` +
      `While a chaos test runs, only loopback hosts are reached for real. ${msw ? MSW_ADVICE : NOCK_ADVICE}`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * The controller of a request that msw intercepted, as faults answer through it. The interceptors that
 * msw loaded in the test file's realm accept only that realm's errors (`reason instanceof Error`): the
 * error is handed over (see realm-errors.ts). With @mswjs/interceptors 0.45+ a fetch fault destroys the
 * request's socket, and undici wraps its cause into `TypeError: fetch failed` itself.
 */
function mswController({ controller }: MswRequestEvent, interceptor: MswInterceptor): Controller {
  const ignore = (): undefined => undefined;
  return {
    respondWith: (response) => void Promise.resolve(controller.respondWith(response)).catch(ignore),
    errorWith: (reason) => {
      const cause = interceptor.socketLevel && reason instanceof TypeError && reason.cause instanceof Error ? reason.cause : reason;
      handOver(cause, () => void Promise.resolve(controller.errorWith(cause)).catch(ignore));
    },
  };
}

/**
 * One per worker process: hooks jest-chaos in front of nock's interception, and keeps what a chaos test
 * changes in nock (interceptors, net connect) to that test. What other tests do with nock is left as it is.
 */
export class HttpEngine {
  readonly nock: Nock;
  /** The nock that test files get: the same instance, taking patterns created in their context. */
  readonly realmNock: Nock;
  readonly loaded: LoadedNock;
  allowNetConnect: readonly UrlMatcher[] = [];
  /** Whether the loopback guard applies to a request made now (set by the test file's environment). */
  guard: () => boolean = () => activeTest() !== undefined;
  /** The realm of the test file that runs now, where msw may be listening (set by the file). */
  realm: typeof globalThis | undefined;
  /**
   * Whether nock's interception stays on for the whole file: the file loads or names nock, as plain Jest
   * keeps a loaded nock active. Otherwise it is on only while a chaos test runs that needs it.
   */
  private keepActive = false;
  /** The chaos tests running now that hold nock's interception on. */
  private readonly holders = new Set<TestChaos>();
  /** Chaos tests whose rules act on msw's interceptors rather than nock's. */
  private readonly mswTests = new WeakSet<TestChaos>();
  private readonly mswHooks = new Map<object, MswHook>();
  private readonly mswKeys = new Map<TestChaos, object[]>();
  /** Interceptors each running chaos test added: removed when it ends. */
  private readonly added = new Map<TestChaos, object[]>();
  private readonly netConnectLog: NetConnectCall[] = [];
  private readonly matchers = new WeakMap<HttpRule, UrlMatcher>();
  private readonly originalNetConnect: Pick<Nock, 'enableNetConnect' | 'disableNetConnect'>;
  private readonly listeners = new Map<RunningInterceptor, readonly [RequestListener, RequestListener]>();

  /** The disposers of what this engine changed in nock and in the worker, last first. */
  private readonly undo: (() => void)[] = [];

  constructor(rootDir: string) {
    this.loaded = loadNock(rootDir);
    this.nock = this.loaded.nock;
    if (this.loaded.dispose !== undefined) this.undo.push(this.loaded.dispose);
    const { nock } = this;
    this.originalNetConnect = { enableNetConnect: nock.enableNetConnect, disableNetConnect: nock.disableNetConnect };
    try {
      this.hook();

      // Patterns created in a test file's context work as patterns (see realm-values.ts).
      const probe = nock('http://jest-chaos.invalid') as { get(uri: string): object };
      localizeArguments(Object.getPrototypeOf(probe) as Record<string, unknown>, ['intercept', 'filteringPath', 'filteringRequestBody', 'matchHeader'], this.undo);
      localizeArguments(Object.getPrototypeOf(probe.get('/')) as Record<string, unknown>, ['matchHeader', 'query', 'filteringPath'], this.undo);

      // Interceptors a chaos test adds are its own, and go when it ends.
      const scopeProto = Object.getPrototypeOf(probe) as { add(key: string, interceptor: object): unknown };
      const add = scopeProto.add;
      const engine = this;
      this.undo.push(
        replaceProperty(scopeProto, 'add', function (this: unknown, key: string, interceptor: object) {
          const owner = activeTest();
          if (owner !== undefined) engine.added.get(owner)?.push(interceptor);
          return add.call(this, key, interceptor);
        }),
      );
      this.undo.push(
        replaceProperty(nock, 'enableNetConnect', (given: Parameters<Nock['enableNetConnect']>[0]) => {
          const matcher = localRegExps(given);
          this.netConnectLog.push({ owner: activeTest(), enable: true, matcher });
          this.originalNetConnect.enableNetConnect(matcher);
        }),
      );
      this.undo.push(
        replaceProperty(nock, 'disableNetConnect', () => {
          this.netConnectLog.push({ owner: activeTest(), enable: false, matcher: undefined });
          this.originalNetConnect.disableNetConnect();
        }),
      );
    } catch (error) {
      // A failed start leaves nock and the worker as they were.
      this.dispose();
      throw error;
    }
    this.realmNock = new Proxy(nock, {
      apply: (target, thisArg, args: unknown[]) => Reflect.apply(target, thisArg, args.map((arg) => localRegExps(arg))),
    });
  }

  /** Undoes every change this engine made, last first. */
  dispose(): void {
    while (this.undo.length > 0) {
      try {
        this.undo.pop()!();
      } catch {
        // Undo the rest regardless.
      }
    }
  }

  /**
   * Puts jest-chaos's listeners in front of nock's on both interceptors. After `nock.restore()` (nock's
   * README suggests it in afterAll) nock is activated again, so that later files keep their mocks and
   * their faults; a nock whose interceptors cannot be found is named in the error.
   */
  hook(): void {
    const { nock } = this;
    if (!nock.isActive()) nock.activate();
    for (const [descriptions, via] of INTERCEPTORS) {
      const interceptor = runningInterceptor(descriptions);
      if (interceptor === undefined) throw unsupportedLayout(this.loaded.version, descriptions);
      const known = this.listeners.get(interceptor);
      if (known !== undefined && interceptor.emitter.listeners('request').includes(known[0])) continue;
      const listeners = [(event: InterceptedRequest) => this.beforeNock(event, via), (event: InterceptedRequest) => this.afterNock(event)] as const;
      interceptor.emitter.prependListener('request', listeners[0]);
      interceptor.emitter.addListener('request', listeners[1]);
      this.listeners.set(interceptor, listeners);
      // Activated again after a restore: the listeners are new, the disposer that takes them away is not.
      if (known !== undefined) continue;
      this.undo.push(() => {
        const current = this.listeners.get(interceptor);
        if (current === undefined) return;
        interceptor.emitter.removeListener('request', current[0]);
        interceptor.emitter.removeListener('request', current[1]);
        this.listeners.delete(interceptor);
      });
    }
  }

  /** The file loads or names nock: its interception stays on until the file ends. */
  keep(): void {
    this.keepActive = true;
    this.hook();
  }

  /**
   * Turns nock's interception off when no one needs it: it patches http, https and fetch for every request
   * of the worker, and some requests then fail where they would not in plain Jest (through an HTTP proxy,
   * @mswjs/interceptors rebuilds an absolute-form request target into an invalid URL: ERR_INVALID_URL).
   */
  settle(): void {
    if (this.holders.size === 0 && !this.keepActive && this.nock.isActive()) this.nock.restore();
  }

  /**
   * A chaos test's function starts: what it adds to nock from now on is its own. Its rules act on msw's
   * interceptors when msw listens in the file (msw answers fetch before nock would see it), else on
   * nock's, which are turned on for the test.
   */
  beginTest(test: TestChaos, realm: typeof globalThis): void {
    this.added.set(test, []);
    const msw = mswInterceptors(realm);
    if (msw.length > 0) {
      this.hookMsw(test, msw);
      if (this.keepActive) this.hook();
      return;
    }
    this.holders.add(test);
    this.hook();
  }

  /** Puts jest-chaos's listeners before and after msw's handlers, once per emitter however many tests run. */
  private hookMsw(test: TestChaos, interceptors: readonly MswInterceptor[]): void {
    this.mswTests.add(test);
    const keys: object[] = [];
    for (const interceptor of interceptors) {
      let hook = this.mswHooks.get(interceptor.key);
      if (hook === undefined) {
        const before = (event: MswRequestEvent) => this.beforeMsw(event, interceptor);
        const after = (event: MswRequestEvent) => this.afterMsw(event, interceptor);
        interceptor.prepend(before);
        interceptor.append(after);
        hook = {
          count: 0,
          remove: () => {
            interceptor.remove(before);
            interceptor.remove(after);
          },
        };
        this.mswHooks.set(interceptor.key, hook);
      }
      hook.count += 1;
      keys.push(interceptor.key);
    }
    this.mswKeys.set(test, keys);
  }

  private unhookMsw(test: TestChaos): void {
    for (const key of this.mswKeys.get(test) ?? []) {
      const hook = this.mswHooks.get(key);
      if (hook === undefined) continue;
      hook.count -= 1;
      if (hook.count > 0) continue;
      hook.remove();
      this.mswHooks.delete(key);
    }
    this.mswKeys.delete(test);
  }

  /** A chaos test's function ended: remove what it added to nock, and undo its net-connect changes. */
  endTest(test: TestChaos): void {
    this.unhookMsw(test);
    if (this.holders.delete(test)) this.settle();
    for (const interceptor of this.added.get(test) ?? []) this.nock.removeInterceptor(interceptor);
    this.added.delete(test);
    const kept = this.netConnectLog.filter((call) => call.owner !== test);
    if (kept.length === this.netConnectLog.length) return;
    this.netConnectLog.splice(0, this.netConnectLog.length, ...kept);
    this.replayNetConnect();
  }

  /** A test file ended: nothing it gave nock survives into the next file of this worker. */
  endFile(): void {
    for (const test of [...this.added.keys()]) this.endTest(test);
    this.nock.abortPendingRequests();
    this.nock.cleanAll();
    this.netConnectLog.length = 0;
    this.replayNetConnect();
    this.nock.emitter.removeAllListeners();
    this.keepActive = false;
    this.settle();
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
    this.localizeErrors(request, controller);
    const test = activeTest();
    // A test whose rules act on msw's interceptors: its requests were faulted there, or go there next.
    if (test === undefined || this.mswTests.has(test)) return;
    if (await this.applyRules(test, request, controller, via)) return never();
  }

  private async beforeMsw(event: MswRequestEvent, interceptor: MswInterceptor): Promise<void> {
    const test = activeTest();
    if (test === undefined) return;
    if (await this.applyRules(test, event.request, mswController(event, interceptor), interceptor.via(event))) return never();
  }

  /** Applies the test's http rules to one request, in order; true when the request must go no further. */
  private async applyRules(test: TestChaos, request: Request, controller: Controller, via: Via): Promise<boolean> {
    const url = new URL(request.url);
    test.called.http(url);
    if (test.httpRules.length === 0) return false;
    const call = `${request.method} ${request.url}`;
    for (const state of test.httpRules as readonly RuleState<HttpRule>[]) {
      const { rule } = state;
      if (rule.options.method !== undefined && rule.options.method !== request.method) continue;
      if (!this.matcherFor(rule)(url)) continue;
      if (!state.fires()) continue;
      const answered = await applyHttpFault({ state, test, url, call, via, controller });
      if (answered || test.disposed) return true;
    }
    return false;
  }

  /**
   * nock runs in the worker, not in the test file's realm as it does in plain Jest: the errors it hands a
   * request (no match, net connect not allowed, `replyWithError('text')`) are remembered, so that the
   * test realm's `instanceof Error` holds for them (see realm-errors.ts). jest-chaos's own faults and
   * errors are not: they are shaped like Node's, which come from outside the realm too, and reach the
   * request on a turn of their own (see deliverApart). In a chaos test, nock's refusal of a request that
   * the guard refuses too becomes the guard's error: one error for a request that nothing answers.
   */
  private localizeErrors(request: Request, controller: InterceptedRequest['controller']): void {
    const errorWith = controller.errorWith.bind(controller);
    controller.errorWith = (reason?: unknown) => {
      if (isChaosError(reason) || isInjected(reason)) return deliverApart(errorWith, reason);
      const refusal = isNockRefusal(reason) ? this.refuse(request, controller, reason) : undefined;
      if (refusal !== undefined) return deliverApart(errorWith, refusal);
      markNockError(reason);
      errorWith(reason);
    };
  }

  /** The loopback guard behind nock's mocks; msw's handlers, when its rules act there, come after it. */
  private async afterNock({ request, controller }: InterceptedRequest): Promise<void> {
    const refusal = this.refuse(request, controller);
    if (refusal === undefined) return;
    controller.errorWith(refusal);
    // Handled once the error arrives: returning now would let the request through.
    return never();
  }

  /** The guard's error for a request behind nock that it refuses (listed as refused), else undefined. */
  private refuse(request: Request, controller: object, nockRefusal?: unknown): ChaosError | undefined {
    const test = activeTest();
    if (test !== undefined && this.mswTests.has(test)) return undefined;
    const call = this.guarded(request, controller);
    if (call === undefined) return undefined;
    test?.refused.push(call);
    return netConnectError(call, this.realm !== undefined && mswInterceptors(this.realm).length > 0, nockRefusal);
  }

  /** The loopback guard behind msw's handlers. */
  private async afterMsw(event: MswRequestEvent, interceptor: MswInterceptor): Promise<void> {
    const call = this.guarded(event.request, event.controller);
    if (call === undefined) return;
    activeTest()?.refused.push(call);
    mswController(event, interceptor).errorWith(netConnectError(call, true));
  }

  /** The request, as `METHOD url`, when the loopback guard refuses it: nothing answered it, and it would leave the machine. */
  private guarded(request: Request, controller: object): string | undefined {
    if (isHandled(controller) || !this.guard()) return undefined;
    const url = new URL(request.url);
    if (isLoopback(url.hostname) || this.allowNetConnect.some((allowed) => allowed(url))) return undefined;
    return `${request.method} ${request.url}`;
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
