import vm from 'node:vm';
import { captureDeep, headerOnly, withoutInjectionFrames, withoutFramesPassedThrough } from './stack';
import { ChaosError } from './chaos-error';
import { connectionRefused, fetchFailed, undiciConnectTimeout } from '../http/errors';
import { genericStoreError } from '../stub/store-errors';

/**
 * A function defined in a file of its own, outside this repository (whose every file counts as
 * jest-chaos's own code here): `user(fn)` calls `fn` from `/project/user.test.js`.
 */
const user = vm.runInThisContext('(function user(fn) { return fn(); })', { filename: '/project/user.test.js' }) as <T>(fn: () => T) => T;

/** Calls `fn` `depth` frames down, all of them in this file (jest-chaos's own code, as far as the stack helpers know). */
function deep<T>(depth: number, fn: () => T): T {
  return depth === 0 ? fn() : deep(depth - 1, fn);
}

/** Runs `fn` with V8's default stack trace limit, which Jest raises in its own realm. */
function withDefaultLimit<T>(fn: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 10;
  try {
    return fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const frames = (stack: string | undefined): string[] => (stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));

describe('captureDeep', () => {
  test('reaches the user frame below 20 frames of jest-chaos, then restores the limit', () => {
    const [error, limitAfter] = withDefaultLimit(() =>
      user(() =>
        deep(20, () => {
          const made = new Error('boom');
          captureDeep(made);
          return [made, Error.stackTraceLimit] as const;
        }),
      ),
    );
    expect(error.stack).toContain('/project/user.test.js');
    expect(limitAfter).toBe(10);
  });

  test('starts below the given function', () => {
    function api(): Error {
      const made = new Error('boom');
      captureDeep(made, api);
      return made;
    }
    const error = user(api);
    expect(frames(error.stack)[0]).toContain('/project/user.test.js');
  });
});

describe('withoutInjectionFrames', () => {
  test("drops jest-chaos's and the interception layer's frames, keeps the client's, Node's and the user's", () => {
    const stack = [
      'AxiosError: connect ECONNREFUSED 10.0.0.1:80',
      '    at Function.from (/project/node_modules/axios/dist/node/axios.cjs:1684:24)',
      '    at MockHttpSocket.emit (/project/node_modules/@mswjs/interceptors/src/interceptors/ClientRequest/MockHttpSocket.ts:165:12)',
      '    at until (/project/node_modules/@open-draft/until/src/until.ts:23:24)',
      '    at Object.<anonymous> (/project/node_modules/nock/lib/intercept.js:382:16)',
      '    at RequestController.controller.errorWith (/project/node_modules/jest-chaos/dist/src/http/engine.js:354:7)',
      '    at listOnTimeout (node:internal/timers:581:17)',
      '    at Axios.request (/project/node_modules/axios/dist/node/axios.cjs:6991:43)',
      '    at Object.<anonymous> (/project/orders.test.js:20:3)',
    ].join('\n');
    expect(withoutInjectionFrames(stack, '/project/node_modules/jest-chaos/')).toBe(
      [
        'AxiosError: connect ECONNREFUSED 10.0.0.1:80',
        '    at Function.from (/project/node_modules/axios/dist/node/axios.cjs:1684:24)',
        '    at listOnTimeout (node:internal/timers:581:17)',
        '    at Axios.request (/project/node_modules/axios/dist/node/axios.cjs:6991:43)',
        '    at Object.<anonymous> (/project/orders.test.js:20:3)',
      ].join('\n'),
    );
  });

  test('keeps a message of several lines whole', () => {
    const stack = 'Error: first line\n  second line\n    at x (/pkg/dist/a.js:1:1)';
    expect(withoutInjectionFrames(stack, '/pkg/')).toBe('Error: first line\n  second line');
  });
});

test('headerOnly leaves the first line alone, as V8 writes it', () => {
  expect(headerOnly(new Error('connect ECONNREFUSED 127.0.0.1:80')).stack).toBe('Error: connect ECONNREFUSED 127.0.0.1:80');
  expect(headerOnly(Object.assign(new Error(''), { name: 'AbortError' })).stack).toBe('AbortError');
});

describe('the stacks of what jest-chaos injects and raises', () => {
  const endpoint = { hostname: 'api.example.com', address: 'api.example.com', port: 80 };

  test("Node's and undici's network errors have no frame, as the real ones once Jest hides Node's", () => {
    expect(connectionRefused(endpoint).stack).toBe('Error: connect ECONNREFUSED api.example.com:80');
    expect(undiciConnectTimeout(endpoint).stack).toBe('ConnectTimeoutError: Connect Timeout Error (attempted address: api.example.com:80, timeout: 10000ms)');
  });

  test("fetch's TypeError leads to the code that called fetch, past every frame of jest-chaos", () => {
    const error = withDefaultLimit(() => user(() => deep(20, () => fetchFailed(connectionRefused(endpoint)))));
    expect(error.stack?.split('\n')[0]).toBe('TypeError: fetch failed');
    expect(frames(error.stack)[0]).toContain('/project/user.test.js');
  });

  test("a stub's failure leads to the call of the stubbed method", () => {
    const error = withDefaultLimit(() => user(() => deep(20, () => genericStoreError('down', 'repo.load'))));
    expect(frames(error.stack)[0]).toContain('/project/user.test.js');
    expect(error.stack?.split('\n')[0]).toBe('Error: connect ECONNREFUSED (repo.load)');
  });

  test("a ChaosError keeps its user's frame however deep jest-chaos raised it, and its cause", () => {
    const cause = new Error('Nock: No match for request');
    const error = withDefaultLimit(() => user(() => deep(20, () => new ChaosError('ERR_CHAOS_NET_CONNECT', 'refused', { cause }))));
    expect(frames(error.stack)).toEqual([expect.stringContaining('/project/user.test.js')]);
    expect(error.stack?.split('\n')[0]).toBe('ChaosError: jest-chaos: refused');
    expect(error.cause).toBe(cause);
  });
});

describe('withoutFramesPassedThrough', () => {
  /** What a test's function throws when jest-chaos's wrapper (here: this file) calls it. */
  const thrownThroughWrapper = (): Error => {
    try {
      deep(3, () => user(() => JSON.parse('{')));
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a throw');
  };

  test("keeps the test's frame and Node's, drops the wrapper's", () => {
    const error = withoutFramesPassedThrough(thrownThroughWrapper());
    expect(frames(error.stack).some((line) => line.includes('/project/user.test.js'))).toBe(true);
    expect(frames(error.stack).filter((line) => line.includes(__filename))).toEqual([]);
    expect(error.stack?.split('\n')[0]).toMatch(/^SyntaxError: /);
  });

  test("a client's error made while jest-chaos handed it a failure: the same drop in its causes", () => {
    const client = vm.runInThisContext('(function clientError(message) { return new Error(message); })', { filename: '/project/node_modules/client/index.js' }) as (message: string) => Error;
    const error = user(() => deep(2, () => client('wrapped')));
    error.cause = user(() => deep(2, () => client('cause')));
    withoutFramesPassedThrough(error);
    for (const each of [error, error.cause as Error]) {
      expect(frames(each.stack).filter((line) => line.includes(__filename))).toEqual([]);
      expect(frames(each.stack)[0]).toContain('/project/node_modules/client/index.js');
      expect(frames(each.stack).some((line) => line.includes('/project/user.test.js'))).toBe(true);
    }
  });

  test("an error that jest-chaos's own code threw keeps its frames: they are where to look", () => {
    const error = user(() => deep(2, () => new TypeError('a bug')));
    const before = error.stack;
    expect(withoutFramesPassedThrough(error).stack).toBe(before);
    expect(frames(before)[0]).toContain(__filename);
  });

  test('leaves what is not an error with a stack, and an error whose stack cannot be written, as it is', () => {
    expect(withoutFramesPassedThrough('text')).toBe('text');
    const frozen = Object.freeze(thrownThroughWrapper());
    const before = frozen.stack;
    expect(withoutFramesPassedThrough(frozen).stack).toBe(before);
  });
});
