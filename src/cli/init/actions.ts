/** What init does to each file: the actions it plans, then writes (or, with --dry-run, only prints). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One file init writes, or leaves alone and says why. */
export interface Action {
  readonly file: string;
  readonly kind: 'create' | 'change' | 'overwrite' | 'unchanged';
  readonly content?: string;
  readonly note?: string;
  /** Set when writing the file needs --force. */
  readonly conflict?: string;
}

const VERBS: Record<Action['kind'], readonly [done: string, dryRun: string]> = {
  create: ['created', 'would create'],
  change: ['changed', 'would change'],
  overwrite: ['overwrote', 'would overwrite'],
  unchanged: ['unchanged', 'unchanged'],
};

/** The lines that refuse the run when an action needs --force; none when every action can go ahead. */
export function conflictLines(cwd: string, actions: readonly Action[]): string[] {
  const conflicts = actions.filter((action) => action.conflict !== undefined);
  if (conflicts.length === 0) return [];
  return [
    ...conflicts.map((action) => `jest-chaos: not overwriting ${path.relative(cwd, action.file)} in ${cwd}: ${action.conflict}.`),
    'jest-chaos: nothing was written. Run jest-chaos init --force to overwrite the workflow files (a config that already uses jest-chaos is left as it is).',
  ];
}

/** Writes each action's file (not with dryRun) and returns the line that reports it. */
export function perform(cwd: string, actions: readonly Action[], dryRun: boolean): string[] {
  return actions.map((action) => {
    if (!dryRun && action.content !== undefined && action.kind !== 'unchanged') {
      mkdirSync(path.dirname(action.file), { recursive: true });
      writeFileSync(action.file, action.content);
    }
    const note = action.note === undefined ? '' : ` (${action.note})`;
    return `  ${VERBS[action.kind][dryRun ? 1 : 0]} ${path.relative(cwd, action.file)}${note}`;
  });
}
