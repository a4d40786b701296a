import { parseRule } from './parse';
import { checkStoreTarget, storeTargetError } from './store-target';
import type { StoreRule } from './types';

const ORIGIN = 'orders.test.js:2';
const rule = (text: string) => parseRule(text, ORIGIN) as StoreRule;
const SEAMS = [
  { domain: 'db', name: 'primary' },
  { domain: 'db', name: 'replica' },
  { domain: 'cache', name: 'sessions' },
];
const messageOf = (text: string, registered = SEAMS) => storeTargetError(rule(text), registered)?.message;

describe('storeTargetError', () => {
  test('accepts *, the drivers of the rule\'s domain and the seams registered for it', () => {
    for (const text of ['db.down', 'db.down *', 'db.down pg', 'db.lost mysql2', 'cache.down ioredis', 'cache.timeout redis', 'db.down primary', 'cache.error sessions']) {
      expect([text, storeTargetError(rule(text), SEAMS)]).toEqual([text, undefined]);
    }
  });

  test('a misspelt seam: the message lists the valid targets and the near miss', () => {
    const error = storeTargetError(rule('db.down primray'), SEAMS);
    expect(error?.code).toBe('ERR_CHAOS_RULE');
    expect(error?.message).toBe(
      'jest-chaos: invalid rule "db.down primray" in orders.test.js:2: the target "primray" is neither a supported db driver nor a registered db seam, so the rule would never fire. ' +
        "Valid db targets: * (every db driver and seam), the drivers pg, mysql2, or the name of a db seam registered with chaos.register({ domain: 'db', name, object, methods }) (registered: primary, replica). Did you mean \"primary\"?",
    );
  });

  test('names users reach for instead of a driver: postgres, postgresql, mysql, node-redis', () => {
    expect(messageOf('db.down postgresql')).toContain('Did you mean "pg"?');
    expect(messageOf('db.lost postgres')).toContain('Did you mean "pg"?');
    expect(messageOf('db.down mariadb')).toContain('Did you mean "mysql2"?');
    expect(messageOf('cache.down node-redis')).toContain('Did you mean "redis"?');
    expect(messageOf('cache.down iorediss')).toContain('Did you mean "ioredis"?');
  });

  test('a driver or seam of the other domain: the rule of that domain is suggested', () => {
    expect(messageOf('db.down ioredis')).toBe(
      'jest-chaos: invalid rule "db.down ioredis" in orders.test.js:2: ioredis is a cache driver, not a db one, so the rule would never fire. ' +
        "Valid db targets: * (every db driver and seam), the drivers pg, mysql2, or the name of a db seam registered with chaos.register({ domain: 'db', name, object, methods }) (registered: primary, replica). Did you mean \"cache.down ioredis\"?",
    );
    expect(messageOf('cache.latency pg ms=5')).toContain('pg is a db driver, not a cache one, so the rule would never fire.');
    expect(messageOf('cache.latency pg ms=5')).toContain('Did you mean "db.latency pg"?');
    expect(messageOf('db.down sessions')).toContain('"sessions" is registered as a cache seam, not a db one');
    expect(messageOf('db.down node-redis')).toContain('Did you mean "db.down redis"?'.replace('db.down', 'cache.down'));
  });

  test('an unsupported store with nothing near: no suggestion, and "none registered yet" without seams', () => {
    const message = messageOf('cache.down memcached', []);
    expect(message).toBe(
      'jest-chaos: invalid rule "cache.down memcached" in orders.test.js:2: the target "memcached" is neither a supported cache driver nor a registered cache seam, so the rule would never fire. ' +
        "Valid cache targets: * (every cache driver and seam), the drivers ioredis, redis, or the name of a cache seam registered with chaos.register({ domain: 'cache', name, object, methods }) (none registered yet).",
    );
  });

  test('checkStoreTarget throws the same error', () => {
    expect(() => checkStoreTarget(rule('db.down primray'), SEAMS)).toThrow('Did you mean "primary"?');
    expect(() => checkStoreTarget(rule('db.down primary'), SEAMS)).not.toThrow();
  });
});
