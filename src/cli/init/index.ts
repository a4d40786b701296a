/** `npx jest-chaos init`: adds jest-chaos to the project's Jest config, its CI workflows and its .gitignore (docs/ci.md). */
import { existsSync, statSync } from 'node:fs';
import { isChaosError } from '../../errors/chaos-error';
import { writeAgent } from '../../scan/agent';
import { detectPackageManager } from '../package-manager';
import { conflictLines, perform } from './actions';
import { configAction } from './config-files';
import { configError } from './config-error';
import { gitignoreAction } from './gitignore';
import { parseInitArgs, USAGE, type InitOptions } from './options';
import { repositoryNote, WORKFLOW_TEMPLATES, workflowActions } from './workflows';

function init(options: InitOptions): number {
  const pm = detectPackageManager(options.cwd);
  const workflows = options.workflows ? workflowActions(options.cwd, options.force, pm) : [];
  const actions = [configAction(options.cwd, options.force), ...workflows, gitignoreAction(options.cwd)];
  const conflicts = conflictLines(options.cwd, actions);
  if (conflicts.length > 0) {
    process.stderr.write(`${conflicts.join('\n')}\n`);
    return 1;
  }
  const out = [`jest-chaos init${options.dryRun ? ' --dry-run (nothing written)' : ''} in ${options.cwd}:`, ...perform(options.cwd, actions, options.dryRun)];
  const repoNote = options.workflows ? repositoryNote(options.cwd) : undefined;
  if (repoNote !== undefined) out.push(repoNote);
  if (options.workflows && pm.warning !== undefined) out.push(`warning: ${pm.warning}`);
  out.push('', `Next: \`${pm.exec} jest\` runs as before, with chaos tests skipped; \`CHAOS_ENABLED=1 ${pm.exec} jest\` runs them.`);
  // Only about a workflow that this run wrote (or would write): not after --no-workflows, nor over the user's own file.
  const everyday = workflows[0];
  if (everyday !== undefined && (everyday.kind === 'create' || everyday.kind === 'overwrite')) {
    out.push(`Keep your existing CI workflow if it already runs \`${pm.exec} jest\`, and delete .github/workflows/${WORKFLOW_TEMPLATES[0]} then.`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

export async function run(argv: readonly string[]): Promise<number> {
  try {
    const options = parseInitArgs(argv);
    if (options === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (!existsSync(options.cwd) || !statSync(options.cwd).isDirectory()) {
      throw configError(`cannot run jest-chaos init in ${options.cwd}: no such directory. Pass an existing project directory with --cwd <dir>.`);
    }
    if (options.agent) return writeAgent(options, (text) => process.stdout.write(text), (text) => process.stderr.write(text));
    return init(options);
  } catch (error) {
    if (isChaosError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
