import path from 'node:path';
import { ChaosError } from '../errors/chaos-error';
import type { StoreRule } from '../rules/types';
import type { RuleState } from '../runtime/rule-state';
import type { TestChaos } from '../runtime/test-chaos';
import { DriverRules } from './faults';
import { packageDir, realmLoader, realmLoaded, type RealmLoader } from './loader';
import { pgAdapter } from './pg';
import { mysql2Adapter } from './mysql2';
import { ioredisAdapter } from './ioredis';
import { nodeRedisAdapter } from './node-redis';
import { UnsupportedDriverError } from './unsupported';

/** One zero-config driver: which package it is, which domain it serves, and how it is faulted. */
export interface DriverAdapter {
  /** The name a rule targets, and the package it is loaded from. */
  readonly driver: 'pg' | 'mysql2' | 'ioredis' | 'redis';
  readonly domain: 'db' | 'cache';
  /** Files of the package (relative to its folder): one of them in the test file's module registry means the file loaded the driver. */
  readonly entries: readonly string[];
  /** Patches the driver as the test realm loads it from `dir`; every patch's disposer goes on the test. */
  install(rules: DriverRules, load: RealmLoader, dir: string): void;
}

export const ADAPTERS: readonly DriverAdapter[] = [pgAdapter, mysql2Adapter, ioredisAdapter, nodeRedisAdapter];

/** The drivers patched in each running test, with their rules. */
const active = new WeakMap<TestChaos, Map<string, DriverRules>>();

/** Where the test file finds its drivers and which seam names it registered itself. */
export interface DriverContext {
  readonly realm: object;
  readonly rootDir: string;
  /** True when `chaos.register` made a target of that domain and name (it then takes the rule). */
  readonly registered: (domain: string, name: string) => boolean;
}

const SETUP_HINT =
  "Use preset: 'jest-chaos' or withChaos() from 'jest-chaos/config', which add it, or add it yourself: setupFiles: [require('jest-chaos/config').chaosSetupFile]";

/**
 * Sends a db or cache rule to the driver adapters it targets: `*` means every installed driver of the
 * rule's domain, a driver name means that driver. A driver is resolved from rootDir once per worker and
 * loaded through the test realm only when a rule targets it.
 */
export function applyDriverRule(state: RuleState<StoreRule>, test: TestChaos, context: DriverContext): void {
  const { rule } = state;
  const named = rule.target !== '*';
  const adapters = named ? ADAPTERS.filter((adapter) => adapter.driver === rule.target) : ADAPTERS.filter((adapter) => adapter.domain === rule.domain);
  if (adapters.length === 0) return;
  if (named && context.registered(rule.domain, rule.target)) return;
  for (const adapter of adapters) {
    if (adapter.domain !== rule.domain) {
      const other = rule.source.replace(/^\w+/, adapter.domain);
      throw new ChaosError('ERR_CHAOS_RULE', `jest-chaos: invalid rule "${rule.source}" in ${rule.origin}: ${adapter.driver} is a ${adapter.domain} driver. Write "${other}".`);
    }
    const dir = packageDir(adapter.driver, context.rootDir);
    if (dir === undefined) {
      if (!named) continue;
      throw new ChaosError('ERR_CHAOS_CONFIG', `jest-chaos: rule "${rule.source}" in ${rule.origin} targets ${adapter.driver}, which cannot be resolved from rootDir ${context.rootDir}. Install it, or register your own seam with chaos.register({ domain: '${rule.domain}', name: '${rule.target}', ... }).`);
    }
    const load = realmLoader(context.realm);
    if (load === undefined) {
      if (!named) continue;
      throw new ChaosError('ERR_CHAOS_CONFIG', `jest-chaos: rule "${rule.source}" in ${rule.origin} targets ${adapter.driver}, but jest-chaos's setup file did not run in this test file, so the driver the test loads cannot be reached. ${SETUP_HINT}.`);
    }
    let rules: DriverRules;
    try {
      rules = driverRules(test, adapter, context, load, dir);
    } catch (error) {
      if (!(error instanceof UnsupportedDriverError)) throw error;
      throw new ChaosError(
        'ERR_CHAOS_CONFIG',
        `jest-chaos: rule "${rule.source}" in ${rule.origin} cannot fault ${error.driver} ${error.version} (${error.dir}): ${error.why}. jest-chaos supports ${error.supported}: install one of them, or register your own seam with chaos.register({ domain: '${rule.domain}', name: '${rule.target === '*' ? error.driver : rule.target}', ... }).`,
      );
    }
    rules.states.push(state);
  }
}

/** The test's patch of one driver: made and installed the first time a rule or the counting needs it. */
function driverRules(test: TestChaos, adapter: DriverAdapter, context: DriverContext, load: RealmLoader, dir: string): DriverRules {
  let drivers = active.get(test);
  if (drivers === undefined) {
    drivers = new Map();
    active.set(test, drivers);
  }
  let rules = drivers.get(adapter.driver);
  if (rules === undefined) {
    rules = new DriverRules(test, adapter.driver, adapter.domain, (context.realm as { Error?: ErrorConstructor }).Error ?? Error);
    adapter.install(rules, load, dir);
    drivers.set(adapter.driver, rules);
  }
  return rules;
}

/**
 * Patches, for the calls of one chaos test, every driver that the test file has already loaded and no rule
 * has patched yet, with no rule on it: its calls are only counted (`TestChaos.called`), and a rule of the
 * test that targets it later joins the same patch. A driver version jest-chaos cannot patch is left alone:
 * counting calls never fails a test (a rule that targets it does, with the reason).
 */
export function recordDrivers(test: TestChaos, context: DriverContext): void {
  const loaded = realmLoaded(context.realm);
  const load = realmLoader(context.realm);
  if (loaded === undefined || load === undefined) return;
  for (const adapter of ADAPTERS) {
    const dir = packageDir(adapter.driver, context.rootDir);
    if (dir === undefined || !adapter.entries.some((entry) => loaded(path.join(dir, entry)))) continue;
    try {
      driverRules(test, adapter, context, load, dir);
    } catch (error) {
      if (!(error instanceof UnsupportedDriverError)) throw error;
    }
  }
}
