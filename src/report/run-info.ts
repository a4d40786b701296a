/** What a run's report says about where it ran: the commit, the branch and the versions. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunVersions } from './schema';

export interface SourceInfo {
  readonly commit: string | null;
  readonly branch: string | null;
}

/** Runs git in `cwd` and returns its trimmed output, or undefined when git is missing or says no. */
export type GitCommand = (args: readonly string[], cwd: string) => string | undefined;

const runGit: GitCommand = (args, cwd) => {
  try {
    const out = execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 });
    const trimmed = out.trim();
    return trimmed === '' ? undefined : trimmed;
  } catch {
    return undefined;
  }
};

function variable(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/**
 * The commit and branch of `rootDir`: from git when it is a repository, else from the CI's own variables
 * (GitHub Actions: GITHUB_SHA, GITHUB_HEAD_REF for a pull request, else GITHUB_REF_NAME; GitLab:
 * CI_COMMIT_SHA, CI_COMMIT_REF_NAME). A detached HEAD (as CI checks out) takes its branch from the CI.
 */
export function sourceInfo(rootDir: string, env: NodeJS.ProcessEnv = process.env, git: GitCommand = runGit): SourceInfo {
  const commit = git(['rev-parse', 'HEAD'], rootDir);
  const gitBranch = commit === undefined ? undefined : git(['rev-parse', '--abbrev-ref', 'HEAD'], rootDir);
  const ciCommit = variable(env, 'GITHUB_SHA', 'CI_COMMIT_SHA');
  const ciBranch = variable(env, 'GITHUB_HEAD_REF', 'GITHUB_REF_NAME', 'CI_COMMIT_REF_NAME');
  return {
    commit: commit ?? ciCommit ?? null,
    branch: gitBranch !== undefined && gitBranch !== 'HEAD' ? gitBranch : (ciBranch ?? null),
  };
}

/** The version in the package.json of the package `name` found above `file`, or undefined. */
function versionAbove(file: string, names: readonly string[]): string | undefined {
  for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name !== undefined && names.includes(manifest.name) && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // no package.json here
    }
  }
  return undefined;
}

/**
 * The version of the Jest that runs: the package of the running `jest` binary (jest or jest-cli), else
 * the `jest` that `cwd` resolves; null when neither is found.
 */
export function jestVersion(binary: string | undefined = process.argv[1], cwd: string = process.cwd()): string | null {
  if (binary !== undefined && binary !== '') {
    const found = versionAbove(binary, ['jest', 'jest-cli']);
    if (found !== undefined) return found;
  }
  try {
    return (JSON.parse(readFileSync(require.resolve('jest/package.json', { paths: [cwd] }), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

export function runVersions(jestChaos: string): RunVersions {
  return { node: process.versions.node, jest: jestVersion(), jestChaos };
}
