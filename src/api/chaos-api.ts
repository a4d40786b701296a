import { ChaosError } from '../errors/chaos-error';
import { parseRule } from '../rules/parse';
import type { HttpRule, StoreRule } from '../rules/types';
import type { RuleState } from '../runtime/rule-state';
import type { FileChaos } from '../runtime/file-chaos';
import { releaseSeamCalls } from '../runtime/seam-calls';
import { MethodFaults } from '../stub/method-faults';
import { CALL_STYLES } from '../stub/call-style';
import type { Chaos, HttpFaultBuilder, Registration, Rules, StubBuilder, StubOptions } from './types';
import type { TestChaos } from '../runtime/test-chaos';
import { didYouMean } from '../errors/suggest';
import { builderMsText, checkBuilderTarget } from '../rules/builder';

type JestGlobals = {
  test: ((name: string, fn: unknown, timeout?: number) => void) & { skip(name: string, fn: unknown, timeout?: number): void };
  describe: ((name: string, fn: () => void) => void) & { skip(name: string, fn: () => void): void };
};

/** The file and line in the test file that called the API, from the call stack. */
function callSite(file: FileChaos): string {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n')) {
    const at = line.lastIndexOf(file.testPath);
    if (at === -1) continue;
    const lineNumber = /:(\d+):\d+\)?$/.exec(line)?.[1];
    return lineNumber === undefined ? file.relativePath : `${file.relativePath}:${lineNumber}`;
  }
  return file.relativePath;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object' || typeof value === 'function') return `the ${typeof value} given`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

/** `style x is not one of ...`, with a did-you-mean; the empty string for a valid style. */
function styleProblem(style: unknown): string {
  if (style === undefined || (CALL_STYLES as readonly unknown[]).includes(style)) return '';
  return `style ${JSON.stringify(style)} is not one of ${CALL_STYLES.join(', ')}.${didYouMean(String(style), CALL_STYLES)}`;
}

function constructorName(value: object): string | undefined {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/**
 * Why jest-chaos could not put its replacement on `object[method]` (a frozen or sealed object, a
 * non-configurable property), with what to do instead; undefined when it can. `owner` names the object.
 */
function lockedProblem(object: object, method: string, owner: string): string | undefined {
  const own = Object.getOwnPropertyDescriptor(object, method);
  let why: string | undefined;
  if (Object.isFrozen(object)) why = `${owner} is frozen`;
  else if (own !== undefined && own.configurable === false) why = `"${method}" is a non-configurable property of ${owner}`;
  else if (own === undefined && !Object.isExtensible(object)) why = `${owner} is sealed or not extensible, and "${method}" is inherited`;
  if (why === undefined) return undefined;
  // A method inherited from a prototype that can be changed: fault it there.
  let holder: object | null = Object.getPrototypeOf(object) as object | null;
  while (holder !== null && !Object.prototype.hasOwnProperty.call(holder, method)) holder = Object.getPrototypeOf(holder) as object | null;
  const holderName = holder === null ? undefined : constructorName(holder);
  const instead =
    own === undefined && holder !== null && holderName !== undefined && holder !== Object.prototype && lockedProblem(holder, method, 'it') === undefined
      ? ` "${method}" comes from ${holderName}.prototype, which can be changed: pass ${holderName}.prototype as the object instead.`
      : ' Pass an object that can be changed: the instance your code calls through, or a wrapper around the frozen one that your code uses.';
  return `${why}, so "${method}" cannot be replaced while it is faulted.${instead}`;
}

/** Checks a `chaos.register()` argument at the call, where a mistake is cheapest to read. */
function validRegistration(registration: Registration, where: string): Registration {
  const fail = (why: string): never => {
    throw new ChaosError('ERR_CHAOS_API', `chaos.register() at ${where}: ${why}`);
  };
  if (typeof registration !== 'object' || registration === null) fail('expected { domain, name, object, methods }.');
  const { domain, name, object, methods, style } = registration;
  if (domain !== 'db' && domain !== 'cache') fail(`domain ${JSON.stringify(domain)} is not one of "db", "cache".${didYouMean(String(domain), ['db', 'cache'])}`);
  if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) fail(`name ${JSON.stringify(name)} must be a word (letters, digits, "_", "-", "."), the target that rules name (${domain}.down <name>).`);
  if ((typeof object !== 'object' && typeof object !== 'function') || object === null) fail(`object must be the object that owns the methods, not ${describeValue(object)}.`);
  if (!Array.isArray(methods) || methods.length === 0) fail('methods must be a non-empty array of method names.');
  for (const method of methods) {
    if (typeof (object as Record<string, unknown>)[method] !== 'function') fail(`"${String(method)}" is not a method of the object registered as ${name}.`);
  }
  const badStyle = styleProblem(style);
  if (badStyle !== '') fail(`${badStyle} Valid: style: 'auto' (default: rejects from an async function, throws from any other), 'sync', 'promise' or 'callback'.`);
  for (const method of methods) {
    const locked = lockedProblem(object, method, `the object registered as ${name}`);
    if (locked !== undefined) fail(locked);
  }
  return registration;
}

const STUB_OPTIONS = ['style'] as const;

/** Checks the third argument of `chaos.stub()`. */
function validStubOptions(options: unknown, where: string): StubOptions {
  const fail = (why: string): never => {
    throw new ChaosError('ERR_CHAOS_API', `chaos.stub() at ${where}: ${why}`);
  };
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) fail(`the third argument must be an options object such as { style: 'sync' }, not ${describeValue(options)}.`);
  for (const key of Object.keys(options as object)) {
    if (!(STUB_OPTIONS as readonly string[]).includes(key)) fail(`unknown option "${key}". Valid options: ${STUB_OPTIONS.join(', ')}.${didYouMean(key, STUB_OPTIONS)}`);
  }
  const { style } = options as StubOptions;
  const badStyle = styleProblem(style);
  if (badStyle !== '') fail(`${badStyle} Valid: { style: 'auto' } (default: rejects from an async function, throws from any other), 'sync', 'promise' or 'callback'.`);
  return options as StubOptions;
}

/**
 * Builds a rule from chained calls: the kind call activates it, later option calls refine it.
 * Every step goes through the rule parser, so builder mistakes read like pragma mistakes.
 */
class RuleBuilder<R extends HttpRule | StoreRule> {
  private kind: string | undefined;
  private readonly options = new Map<string, string>();
  private state: RuleState<R> | undefined;

  constructor(
    private readonly domain: string,
    private readonly target: string,
    private readonly origin: string,
    private readonly activate: (rule: R) => RuleState<R>,
    test: TestChaos,
  ) {
    // A builder that never got a fault kind did nothing: say so rather than let the test pass unfaulted.
    test.disposers.add(() => {
      if (this.kind !== undefined) return;
      test.problems.push(
        new ChaosError('ERR_CHAOS_API', `chaos.${this.domain === 'http' ? 'http' : 'stub'}() at ${this.origin} was never given a fault kind, so it injected nothing. Call one of ${this.domain === 'http' ? '.timeout() .hang() .refused() .reset() .dns() .status() .latency() .malformed()' : '.down() .lost() .timeout() .latency() .fail()'} on it.`),
      );
    });
  }

  setKind(kind: string, options: Record<string, string | undefined> = {}): void {
    if (this.kind !== undefined) {
      throw new ChaosError('ERR_CHAOS_API', `a fault builder takes one fault kind; it already has "${this.kind}" (${this.origin}). Start another chaos.http()/chaos.stub() for a second fault.`);
    }
    this.kind = kind;
    for (const [key, value] of Object.entries(options)) if (value !== undefined) this.options.set(key, value);
    this.state = this.activate(this.build());
  }

  setOption(key: string, value: string): void {
    this.options.set(key, value);
    if (this.state !== undefined) this.state.replace(this.build());
  }

  private build(): R {
    const options = [...this.options].map(([key, value]) => `${key}=${value}`).join(' ');
    return parseRule(`${this.domain}.${this.kind ?? 'latency'} ${this.target} ${options}`.trim(), this.origin) as R;
  }
}

export function createChaosApi(file: FileChaos, globals: () => JestGlobals): Chaos {
  const defineTest = (name: string, rules: Rules, fn: unknown, timeout?: number): void => {
    const parsed = file.parseInlineRules(rules, `${callSite(file)} (chaos.test "${name}")`);
    file.pendingTest = { rules: parsed };
    try {
      globals().test(name, fn, timeout);
    } finally {
      file.pendingTest = undefined;
    }
  };

  const api: Chaos = {
    get enabled() {
      return file.settings.enabled;
    },
    get seed() {
      return file.assertNoChaosTestRunning('seed').seed;
    },
    get baseSeed() {
      return file.baseSeed;
    },
    random: () => file.assertNoChaosTestRunning('random').random(),
    events: () => [...(file.current?.events ?? [])],
    http(target = '*') {
      const test = file.assertNoChaosTestRunning('http');
      const where = callSite(file);
      checkBuilderTarget(target, 'chaos.http()', where);
      const builder = new RuleBuilder<HttpRule>('http', target, where, (rule) => test.addRule(rule) as RuleState<HttpRule>, test);
      const self: HttpFaultBuilder = {
        timeout: (ms) => (builder.setKind('timeout', { ms: ms === undefined ? undefined : String(ms) }), self),
        hang: () => (builder.setKind('hang'), self),
        refused: () => (builder.setKind('refused'), self),
        reset: () => (builder.setKind('reset'), self),
        dns: () => (builder.setKind('dns'), self),
        status: (code, retryAfter) => (builder.setKind('status', { status: code === undefined ? undefined : String(code), 'retry-after': retryAfter === undefined ? undefined : String(retryAfter) }), self),
        latency: (ms) => (builder.setKind('latency', { ms: builderMsText(ms, '.latency()', where) }), self),
        malformed: () => (builder.setKind('malformed'), self),
        probability: (p) => (builder.setOption('p', String(p)), self),
        times: (n) => (builder.setOption('times', String(n)), self),
        method: (method) => (builder.setOption('method', method), self),
      };
      return self;
    },
    stub(object, method, options) {
      const test = file.assertNoChaosTestRunning('stub');
      const where = callSite(file);
      if ((typeof object !== 'object' && typeof object !== 'function') || object === null || typeof (object as Record<string, unknown>)[method] !== 'function') {
        throw new ChaosError('ERR_CHAOS_API', `chaos.stub() at ${where}: ${describeValue(object)} has no method "${String(method)}" to fault. Pass the object that owns the method and the method's name.`);
      }
      const { style = 'auto' } = validStubOptions(options, where);
      const locked = lockedProblem(object, method, 'the object given');
      if (locked !== undefined) throw new ChaosError('ERR_CHAOS_API', `chaos.stub() at ${where}: ${locked}`);
      // The method may be a registered seam's whose calls this test counts: the stub takes its place.
      releaseSeamCalls(test, object, method);
      const label = constructorName(object) ?? 'object';
      const subject = {
        what: `the method ${label}.${method} stubbed at ${where}`,
        declareSync: "pass { style: 'sync' } to chaos.stub()",
        declarePromise: "pass { style: 'promise' } to chaos.stub()",
      };
      const faults = new MethodFaults(test);
      let custom: unknown;
      const builder = new RuleBuilder<StoreRule>('db', 'stub', where, (rule) => {
        const state = test.createState(rule);
        faults.add(object, method, label, state, style, { subject, ...(custom === undefined ? {} : { makeError: () => custom }) });
        return state;
      }, test);
      const self: StubBuilder = {
        down: () => (builder.setKind('down'), self),
        lost: () => (builder.setKind('lost'), self),
        timeout: (ms) => (builder.setKind('timeout', { ms: ms === undefined ? undefined : String(ms) }), self),
        latency: (ms) => (builder.setKind('latency', { ms: builderMsText(ms, '.latency()', where) }), self),
        fail: (error) => ((custom = error), builder.setKind('error'), self),
        probability: (p) => (builder.setOption('p', String(p)), self),
        times: (n) => (builder.setOption('times', String(n)), self),
      };
      return self;
    },
    register: (registration: Registration) => file.register(validRegistration(registration, callSite(file))),
    test: defineTest,
    it: defineTest,
    describe(name, rules, fn) {
      const parsed = file.parseInlineRules(rules, `${callSite(file)} (chaos.describe "${name}")`);
      globals().describe(name, () => {
        file.describeRules.push(parsed);
        try {
          fn();
        } finally {
          file.describeRules.pop();
        }
      });
    },
  };
  return api;
}
