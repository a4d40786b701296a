import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseSuite } from '../pragma/parse';
import { isChaosError } from '../errors/chaos-error';
import { parseCommandLine, type CommandLine } from './args';

const HELP = `Usage: jest-chaos check [--cwd <dir>] [--config <file>]

Compiles every chaos suite of the project (every test file with an @chaos pragma) with the project's own
Jest transform (ts-jest type errors included) and checks its pragmas, without running a test. Exits 1
when a suite does not compile or a pragma is wrong, 0 otherwise. Everyday CI runs it, so that chaos suites
that only the scheduled job runs cannot rot.

  --cwd <dir>      the project directory (default: the current directory)
  --config <file>  the Jest config file, as for jest --config
  -h, --help       this help

Exit codes: 0 every chaos suite compiles and its pragmas are right, 1 one does not, 2 bad options.
`;

/** Exit code of a mistake on the command line. */
const EXIT_USAGE = 2;

/** A mistake on the command line: printed, exit code 2. */
class CheckUsageError extends Error {}

const OPTIONS = { cwd: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

const CHECK_COMMAND_LINE: CommandLine<typeof OPTIONS> = {
  command: 'jest-chaos check',
  options: OPTIONS,
  placeholders: { cwd: '<dir>', config: '<file>' },
  positionals: false,
  error: (message) => new CheckUsageError(`${message} Run \`jest-chaos check --help\` for what they do.`),
};

interface ProjectConfig {
  readonly rootDir: string;
  readonly roots?: readonly string[];
}

interface ScriptTransformer {
  transformSource(filename: string, content: string, options: Record<string, boolean>): { code: string };
}

/** What the project's own Jest gives: its configs, and a transformer per config. */
interface ProjectJest {
  readonly configs: readonly ProjectConfig[];
  transformer(config: ProjectConfig): Promise<ScriptTransformer>;
}

function loadProjectJest(cwd: string, configFile: string | undefined): Promise<ProjectJest> {
  // The project's own Jest packages, found the way Node finds them from its jest and jest-cli.
  const projectRequire = createRequire(path.join(cwd, 'package.json'));
  const jestDir = path.dirname(projectRequire.resolve('jest/package.json'));
  const cliDir = path.dirname(createRequire(path.join(jestDir, 'package.json')).resolve('jest-cli/package.json'));
  const resolve = (name: string): string => projectRequire.resolve(name, { paths: [cliDir, jestDir, cwd] });
  const jestConfig = projectRequire(resolve('jest-config')) as {
    readConfigs(argv: Record<string, unknown>, paths: string[]): Promise<{ configs: ProjectConfig[] }>;
  };
  const transform = projectRequire(resolve('@jest/transform')) as {
    createScriptTransformer(config: ProjectConfig): Promise<ScriptTransformer>;
  };
  return jestConfig.readConfigs({ $0: 'jest', _: [], ...(configFile === undefined ? {} : { config: configFile }) }, [cwd]).then(({ configs }) => ({
    configs,
    transformer: (config) => transform.createScriptTransformer(config),
  }));
}

/** The test files of the run as Jest lists them with chaos enabled (so chaos suites are listed too). */
function listTests(cwd: string, configFile: string | undefined): string[] {
  const jestBin = require.resolve('jest/bin/jest', { paths: [cwd] });
  const env: NodeJS.ProcessEnv = { ...process.env, CHAOS_ENABLED: '1' };
  delete env.CHAOS_TAGS;
  const result = spawnSync(process.execPath, [jestBin, '--listTests', '--json', ...(configFile === undefined ? [] : ['--config', configFile])], { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`jest-chaos check: \`jest --listTests\` failed in ${cwd}:\n${result.stderr.trim()}`);
  const start = result.stdout.indexOf('[');
  return JSON.parse(start === -1 ? '[]' : result.stdout.slice(start)) as string[];
}

/** The config a test file belongs to: the one whose roots (or rootDir) hold it. */
function configOf(configs: readonly ProjectConfig[], file: string): ProjectConfig | undefined {
  const holds = (dir: string): boolean => !path.relative(dir, file).startsWith('..');
  return configs.find((config) => (config.roots ?? [config.rootDir]).some(holds)) ?? configs[0];
}

export async function run(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseCommandLine(argv, CHECK_COMMAND_LINE));
  } catch (error) {
    if (!(error instanceof CheckUsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return EXIT_USAGE;
  }
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const cwd = path.resolve(values.cwd ?? process.cwd());
  const configFile = values.config === undefined ? undefined : path.resolve(cwd, values.config);
  const jest = await loadProjectJest(cwd, configFile);
  const files = listTests(cwd, configFile);
  const transformers = new Map<ProjectConfig, Promise<ScriptTransformer>>();
  let suites = 0;
  const problems: string[] = [];
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const config = configOf(jest.configs, file);
    const shown = path.relative(config?.rootDir ?? cwd, file).split(path.sep).join('/');
    let chaosSuite: boolean;
    try {
      chaosSuite = parseSuite(source, shown).isChaosSuite;
    } catch (error) {
      problems.push(isChaosError(error) ? error.message : `jest-chaos: ${shown}: ${(error as Error).message}`);
      continue;
    }
    if (!chaosSuite || config === undefined) continue;
    suites += 1;
    let transformer = transformers.get(config);
    if (transformer === undefined) {
      transformer = jest.transformer(config);
      transformers.set(config, transformer);
    }
    try {
      (await transformer).transformSource(file, source, { instrument: false, supportsDynamicImport: true, supportsExportNamespaceFrom: true, supportsStaticESM: false, supportsTopLevelAwait: false });
    } catch (error) {
      // eslint-disable-next-line no-control-regex
      const message = (error as Error).message.replace(/\u001b\[[0-9;]*m/g, '').trim();
      problems.push(`jest-chaos: ${shown} does not compile with the project's Jest transform:\n${message}`);
    }
  }
  for (const problem of problems) process.stderr.write(`${problem}\n\n`);
  process.stdout.write(`jest-chaos check: ${suites} chaos suite${suites === 1 ? '' : 's'} checked, ${problems.length} with errors.\n`);
  return problems.length === 0 ? 0 : 1;
}
