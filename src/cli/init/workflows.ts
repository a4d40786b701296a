/** The GitHub Actions workflows that init copies from the package's docs/ci/, made for the project's package manager. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { workflowFor, type PackageManager } from '../package-manager';
import type { Action } from './actions';
import { configError } from './config-error';

export const WORKFLOW_TEMPLATES = ['chaos-everyday.yml', 'chaos-scheduled.yml'] as const;

/** The package's docs/ci folder, from dist/src/cli/init (built) or src/cli/init (ts-jest). */
function templatesDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'docs', 'ci');
    if (existsSync(path.join(candidate, WORKFLOW_TEMPLATES[0]))) return candidate;
    if (path.dirname(dir) === dir) throw configError(`the CI workflow templates are missing from the jest-chaos package (docs/ci/ next to ${__dirname}): reinstall jest-chaos.`);
  }
}

export function workflowActions(cwd: string, force: boolean, pm: PackageManager): Action[] {
  const source = templatesDir();
  // npm's workflows are the templates as shipped; another package manager's say which they were made for.
  const madeFor = pm.name === 'npm' ? {} : { note: `for ${pm.name}: ${pm.source}` };
  return WORKFLOW_TEMPLATES.map((name): Action => {
    const file = path.join(cwd, '.github', 'workflows', name);
    const content = workflowFor(readFileSync(path.join(source, name), 'utf8'), pm);
    if (!existsSync(file)) return { file, kind: 'create', content, ...madeFor };
    if (readFileSync(file, 'utf8') === content) return { file, kind: 'unchanged', note: 'already the current template' };
    if (force) return { file, kind: 'overwrite', content, ...madeFor };
    return { file, kind: 'unchanged', conflict: `.github/workflows/${name} exists and differs from the template` };
  });
}

/** A note when the workflows would land outside the repository root, where GitHub does not read them. */
export function repositoryNote(cwd: string): string | undefined {
  if (existsSync(path.join(cwd, '.git'))) return undefined;
  for (let dir = path.dirname(cwd); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) {
      return `note: ${cwd} is not the repository root (${dir}). GitHub reads workflows only from ${path.join(dir, '.github', 'workflows')}: move them there and add defaults.run.working-directory: ${path.relative(dir, cwd)} to each job.`;
    }
  }
  return undefined;
}
