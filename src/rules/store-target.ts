import { ChaosError } from '../errors/chaos-error';
import { closest } from '../errors/suggest';
import type { StoreRule } from './types';

/** The zero-config drivers that a db or cache rule may name (docs/db-and-cache.md). */
export const STORE_DRIVERS: Readonly<Record<StoreRule['domain'], readonly string[]>> = {
  db: ['pg', 'mysql2'],
  cache: ['ioredis', 'redis'],
};

/** Names users reach for instead of a driver's package name. */
const DRIVER_ALIASES: ReadonlyMap<string, string> = new Map([
  ['postgres', 'pg'],
  ['postgresql', 'pg'],
  ['pgsql', 'pg'],
  ['node-postgres', 'pg'],
  ['pg-pool', 'pg'],
  ['mysql', 'mysql2'],
  ['mariadb', 'mysql2'],
  ['node-redis', 'redis'],
  ['@redis/client', 'redis'],
  ['io-redis', 'ioredis'],
]);

/** A seam made with `chaos.register()`: only its domain and name matter here. */
export interface RegisteredName {
  readonly domain: string;
  readonly name: string;
}

/** What a db or cache rule can name, as its message lists it. */
function validTargets(domain: StoreRule['domain'], registered: readonly string[]): string {
  const seams = registered.length === 0 ? 'none registered yet' : `registered: ${registered.join(', ')}`;
  return `Valid ${domain} targets: * (every ${domain} driver and seam), the drivers ${STORE_DRIVERS[domain].join(', ')}, or the name of a ${domain} seam registered with chaos.register({ domain: '${domain}', name, object, methods }) (${seams})`;
}

/**
 * Why a db or cache rule's target can never match, as a ChaosError (`ERR_CHAOS_RULE`), or undefined when it
 * can: `*`, a supported driver of the rule's domain, or the name of a seam registered for that domain.
 * `registered` is every seam registered so far (any domain). Pure: call it when a test starts, with the
 * registrations known by then, and again at the end of the file for rules that no test reached.
 *
 * The message names the rule and where it was written, says why, lists the valid targets and suggests the
 * near miss: `db.down primray` -> "primary", `db.down postgresql` -> "pg", `db.down ioredis` -> cache.down.
 */
export function storeTargetError(rule: Pick<StoreRule, 'domain' | 'kind' | 'target' | 'source' | 'origin'>, registered: readonly RegisteredName[]): ChaosError | undefined {
  const { domain, target } = rule;
  if (target === '*' || STORE_DRIVERS[domain].includes(target)) return undefined;
  const own = registered.filter((seam) => seam.domain === domain).map((seam) => seam.name);
  if (own.includes(target)) return undefined;
  const fail = (why: string, suggestion = ''): ChaosError =>
    new ChaosError('ERR_CHAOS_RULE', `jest-chaos: invalid rule "${rule.source}" in ${rule.origin}: ${why}, so the rule would never fire. ${validTargets(domain, [...new Set(own)])}.${suggestion}`);
  const other: StoreRule['domain'] = domain === 'db' ? 'cache' : 'db';
  const written = (to: StoreRule['domain'], name: string): string => ` Did you mean "${to}.${rule.kind} ${name}"?`;
  if (STORE_DRIVERS[other].includes(target)) return fail(`${target} is a ${other} driver, not a ${domain} one`, written(other, target));
  if (registered.some((seam) => seam.domain === other && seam.name === target)) return fail(`"${target}" is registered as a ${other} seam, not a ${domain} one`, written(other, target));
  const alias = DRIVER_ALIASES.get(target.toLowerCase());
  const why = `the target "${target}" is neither a supported ${domain} driver nor a registered ${domain} seam`;
  if (alias !== undefined) {
    if (STORE_DRIVERS[domain].includes(alias)) return fail(why, ` Did you mean "${alias}"?`);
    return fail(why, written(other, alias));
  }
  const near = closest(target, [...new Set([...own, ...STORE_DRIVERS[domain]])]);
  return fail(why, near === undefined ? '' : ` Did you mean "${near}"?`);
}

/** Throws storeTargetError's error, if any. */
export function checkStoreTarget(rule: Pick<StoreRule, 'domain' | 'kind' | 'target' | 'source' | 'origin'>, registered: readonly RegisteredName[]): void {
  const error = storeTargetError(rule, registered);
  if (error !== undefined) throw error;
}
