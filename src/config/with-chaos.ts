import { ChaosError } from '../errors/chaos-error';
import { defaultTransform, parts, withSetupFile } from './parts';

/** The setup file that lets db/cache rules reach the drivers a test file loads (for configs that list parts by hand). */
export const chaosSetupFile: string = parts.setup;

type Config = Record<string, unknown>;
type ReporterEntry = string | [string, Record<string, unknown>];

const NODE_ENVIRONMENTS = new Set([undefined, 'node', 'jest-environment-node', 'jest-chaos/environment', parts.environment]);
const DEFAULT_RUNNERS = new Set([undefined, 'jest-runner', 'jest-chaos/runner', parts.runner]);

/** The keys jest-chaos sets on one project (or a config without `projects`). */
function projectKeys(config: Config, where: string): Config {
  const environment = config.testEnvironment as string | undefined;
  if (!NODE_ENVIRONMENTS.has(environment)) {
    throw new ChaosError('ERR_CHAOS_CONFIG', `withChaos() in ${where}: testEnvironment "${environment}" is not Node's. jest-chaos runs on its Node environment; remove testEnvironment or set it to 'jest-chaos/environment'.`);
  }
  const runner = config.runner as string | undefined;
  if (!DEFAULT_RUNNERS.has(runner)) {
    throw new ChaosError('ERR_CHAOS_CONFIG', `withChaos() in ${where}: runner "${runner}" would replace the chaos runner that keeps chaos suites out of runs that do not select them. Remove runner, or use testEnvironment: 'jest-chaos/environment' alone and give up file-level selection.`);
  }
  const hasTransform = config.transform !== undefined || config.preset !== undefined;
  return {
    ...config,
    testEnvironment: parts.environment,
    runner: parts.runner,
    setupFiles: withSetupFile(config.setupFiles),
    // The user's mappings win; `nock` maps to the instance jest-chaos drives.
    moduleNameMapper: { '^nock$': parts.nock, ...(config.moduleNameMapper as Config | undefined) },
    ...(hasTransform ? {} : { transform: defaultTransform() }),
  };
}

function withReporter(reporters: ReporterEntry[] | undefined): ReporterEntry[] {
  const list = reporters ?? ['default'];
  const named = (entry: ReporterEntry) => (typeof entry === 'string' ? entry : entry[0]);
  return list.some((entry) => named(entry) === parts.reporter || named(entry) === 'jest-chaos/reporter') ? list : [...list, parts.reporter];
}

/**
 * Adds jest-chaos to an existing Jest config, keeping every key it has (another preset included).
 * With `projects`, each inline project gets the environment and runner; the reporter goes at the top.
 */
export function withChaos<T extends Config>(config: T): T {
  const projects = config.projects as (string | Config)[] | undefined;
  const top: Config = { ...config, reporters: withReporter(config.reporters as ReporterEntry[] | undefined), filter: config.filter ?? parts.filter };
  if (projects === undefined) return projectKeys(top, 'the config') as T;
  return {
    ...top,
    projects: projects.map((project, index) => (typeof project === 'string' ? project : projectKeys(project, `projects[${index}]`))),
  } as unknown as T;
}

export default withChaos;
