/** The command line of `jest-chaos init`: its help and its options. */
import path from 'node:path';
import { parseCommandLine, type CommandLine } from '../args';
import { configError } from './config-error';

export const USAGE = `Usage: jest-chaos init [--cwd <dir>] [--dry-run] [--force] [--no-workflows] [--agent]

Adds jest-chaos to the Jest config of the current directory (or --cwd), copies the CI workflow
templates into .github/workflows/, with the install and run commands of the project's package manager
(npm, yarn or pnpm: package.json's packageManager, else the lockfile), and adds the chaos reports
(chaos-report.json, chaos-report.html) to .gitignore.

  - a config without a preset gets preset: 'jest-chaos';
  - a JavaScript or TypeScript config with a preset (or its own environment, runner or reporters) is
    wrapped with withChaos(...);
  - a JSON config or package.json#jest with a preset gets the parts: testEnvironment, runner, reporters;
  - without any config, jest.config.js is created.

Options:
  --cwd <dir>      the project directory (default: the current directory)
  --dry-run        print what would be created or changed, write nothing
  --force          overwrite existing workflow files; leave a config that already uses jest-chaos as it is
  --no-workflows   do not copy the CI workflow templates
  --agent          only write .claude/agents/chaos-engineer.md, an agent that finds failure scenarios with
                   jest-chaos scan --json and writes chaos suites (never overwritten without --force)
  -h, --help       print this help`;

export interface InitOptions {
  readonly cwd: string;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly workflows: boolean;
  readonly agent: boolean;
}

const OPTIONS = {
  cwd: { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  'no-workflows': { type: 'boolean' },
  agent: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const INIT_COMMAND_LINE: CommandLine<typeof OPTIONS> = {
  command: 'jest-chaos init',
  options: OPTIONS,
  placeholders: { cwd: '<dir>' },
  positionals: false,
  error: configError,
};

/** The options of `jest-chaos init`, or 'help'; `--cwd` resolves from `cwd`. */
export function parseInitArgs(argv: readonly string[], cwd: string = process.cwd()): InitOptions | 'help' {
  const { values } = parseCommandLine(argv, INIT_COMMAND_LINE);
  if (values.help === true) return 'help';
  return {
    cwd: path.resolve(cwd, values.cwd ?? '.'),
    dryRun: values['dry-run'] === true,
    force: values.force === true,
    workflows: values['no-workflows'] !== true,
    agent: values.agent === true,
  };
}
