import { AsyncResource } from 'node:async_hooks';

/**
 * Runs `fn` in the async context this module was loaded in (the worker's, outside any test). The relay's
 * server and the sockets jest-chaos opens to the real servers are created through it: made inside a test's
 * context, they would carry that test (and through its clock, the test file's realm) for as long as a
 * pooled connection lives, and attribute their own events to it.
 */
export const detached = AsyncResource.bind(<T>(fn: () => T): T => fn());
