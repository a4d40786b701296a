/**
 * node-redis (`redis` 4, 5 and 6, through the `@redis/client` next to it). Its 4 and its 5/6 lines are built
 * differently: 4 executes a `multi()` through `RedisClient.prototype.multiExecutor` and writes from a socket
 * `cork()`; 5 and 6 through `_executeMulti` and a write scheduled with `setImmediate`. The adapter looks for
 * which of the two the installed build has, never at the version number (node-redis-4.ts, node-redis-5.ts).
 */
import path from 'node:path';
import type { DriverAdapter } from './index';
import type { DriverRules } from './faults';
import { packageDir, type RealmLoader } from './loader';
import { installNodeRedis4 } from './node-redis-4';
import { installNodeRedis5 } from './node-redis-5';
import type { NodeRedisLayout, RedisErrors } from './node-redis-layout';
import { hasFile, packageVersion, UnsupportedDriverError } from './unsupported';

type Proto = Record<string, unknown>;

export const NODE_REDIS_SUPPORTED = 'node-redis (redis) 4, 5 and 6';

function defaultExport(load: RealmLoader, file: string): Proto | undefined {
  if (!hasFile(file)) return undefined;
  const prototype = (load(file) as { default?: { prototype?: unknown } }).default?.prototype;
  return typeof prototype === 'object' && prototype !== null ? (prototype as Proto) : undefined;
}

const isMethod = (proto: Proto | undefined, ...names: string[]): boolean => proto !== undefined && names.every((name) => typeof proto[name] === 'function');

export const nodeRedisAdapter: DriverAdapter = {
  driver: 'redis',
  domain: 'cache',
  entries: ['dist/index.js'],
  install(rules: DriverRules, load: RealmLoader, dir: string): void {
    const missing = (why: string): UnsupportedDriverError => new UnsupportedDriverError('redis', packageVersion(dir), dir, why, NODE_REDIS_SUPPORTED);
    const clientDir = packageDir('@redis/client', dir);
    if (clientDir === undefined) throw missing('no @redis/client can be resolved next to it');
    const lib = path.join(clientDir, 'dist', 'lib');
    const errors = (hasFile(path.join(lib, 'errors.js')) ? load(path.join(lib, 'errors.js')) : {}) as Partial<RedisErrors>;
    if (typeof errors.SocketClosedUnexpectedlyError !== 'function' || typeof errors.ErrorReply !== 'function' || typeof errors.AbortError !== 'function') {
      throw missing(`@redis/client ${packageVersion(clientDir)} has no SocketClosedUnexpectedlyError, ErrorReply and AbortError in dist/lib/errors.js`);
    }
    const layout: NodeRedisLayout = {
      errors: errors as RedisErrors,
      queueProto: defaultExport(load, path.join(lib, 'client', 'commands-queue.js')) ?? {},
      clientProto: defaultExport(load, path.join(lib, 'client', 'index.js')) ?? {},
      socketProto: defaultExport(load, path.join(lib, 'client', 'socket.js')) ?? {},
    };
    const { queueProto, clientProto, socketProto } = layout;
    // 4: multiExecutor, and the socket corked right after queueing.
    if (isMethod(clientProto, 'multiExecutor', 'emit') && isMethod(queueProto, 'addCommand') && isMethod(socketProto, 'cork', 'disconnect')) return installNodeRedis4(rules, layout);
    // 5 and 6: _executeMulti and _executePipeline, the socket reached through the client's ref().
    if (isMethod(clientProto, 'sendCommand', '_executeMulti', '_executePipeline', 'ref') && isMethod(socketProto, 'ref', 'destroy', 'emit') && typeof errors.TimeoutError === 'function') {
      return installNodeRedis5(rules, layout);
    }
    throw missing(`@redis/client ${packageVersion(clientDir)} has neither RedisClient.prototype.multiExecutor (node-redis 4) nor _executeMulti (node-redis 5 and 6)`);
  },
};
