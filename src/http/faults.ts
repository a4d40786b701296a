import type { HttpRule } from '../rules/types';
import type { RuleState } from '../runtime/rule-state';
import type { TestChaos } from '../runtime/test-chaos';
import {
  connectionRefused,
  connectTimedOut,
  endpointOf,
  fetchFailed,
  hostNotFound,
  connectionReset,
  undiciConnectTimeout,
} from './errors';
import { markInjected } from './realm-errors';

/** Which client API the request came through: `http` covers http, https, axios and got. */
export type Via = 'http' | 'fetch';

export interface FaultTarget {
  readonly state: RuleState<HttpRule>;
  readonly test: TestChaos;
  readonly url: URL;
  readonly call: string;
  readonly via: Via;
  readonly controller: { respondWith(response: Response): void; errorWith(reason?: unknown): void };
}

/** The kinds that answer the request themselves or let it go on; every other kind fails it with a network error. */
const NOT_ERRORS: ReadonlySet<HttpRule['kind']> = new Set(['hang', 'latency', 'status', 'malformed']);

/** A syntactically broken JSON document: what a connection cut mid-body leaves. */
const TRUNCATED_BODY = '{"id":1,"items":[{"id":1,"name":"al';

function networkError(kind: HttpRule['kind'], url: URL, via: Via): Error {
  const endpoint = endpointOf(url);
  switch (kind) {
    case 'refused':
      return via === 'fetch' ? fetchFailed(connectionRefused(endpoint)) : connectionRefused(endpoint);
    case 'timeout':
      return via === 'fetch' ? fetchFailed(undiciConnectTimeout(endpoint)) : connectTimedOut(endpoint);
    case 'dns':
      return via === 'fetch' ? fetchFailed(hostNotFound(endpoint)) : hostNotFound(endpoint);
    default:
      return via === 'fetch' ? fetchFailed(connectionReset()) : connectionReset();
  }
}

/**
 * Applies one fired rule to one intercepted request.
 * Returns true when the request was answered (an error or a response), false when it should go on
 * (latency) to the next rule, the test's own nock scopes, or the real server.
 */
export async function applyHttpFault({ state, test, url, call, via, controller }: FaultTarget): Promise<boolean> {
  const { rule } = state;
  // Made now, while the code that sent the request is on the stack: fetch's error leads back to it.
  const error = NOT_ERRORS.has(rule.kind) ? undefined : markInjected(networkError(rule.kind, url, via));
  const delay = rule.kind === 'hang' ? undefined : state.delay();
  test.record(state, call, delay === 0 ? undefined : delay);

  // A hung request is never answered: only the client's own timeout or abort ends it, during its test
  // or after it, as with a real server that stopped answering.
  if (rule.kind === 'hang') return true;
  if (delay !== undefined && delay > 0) {
    // A test that ended while its request waited out a delay leaves the request unanswered: the fault
    // neither fires nor lets the request through after its test.
    const inTime = await test.wait(delay);
    if (!inTime) return true;
  }
  switch (rule.kind) {
    case 'latency':
      return false;
    case 'status': {
      const status = rule.options.status ?? 503;
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (rule.options.retryAfter !== undefined) headers['retry-after'] = String(rule.options.retryAfter);
      const body = status === 204 || status === 304 || status < 200 ? null : `jest-chaos: injected status ${status}`;
      controller.respondWith(new Response(body, { status, headers }));
      return true;
    }
    case 'malformed':
      controller.respondWith(new Response(TRUNCATED_BODY, { status: 200, headers: { 'content-type': 'application/json' } }));
      return true;
    default:
      controller.errorWith(error);
      return true;
  }
}
