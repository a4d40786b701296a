import { spawn } from 'node:child_process';

export interface ProcessRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved in the order they arrived, as a terminal would show them. */
  readonly output: string;
}

/**
 * `base` (default: this process's environment) with `extra` on top, less the parent run's own variables:
 * jest-chaos's (`CHAOS_*`, `JEST_CHAOS_*`) and Jest's worker ones (`JEST_*`). A child Jest, npm or CLI
 * then starts as a user's would.
 */
export function withoutRunVariables(extra: NodeJS.ProcessEnv = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...extra };
  for (const key of Object.keys(env)) if ((key.startsWith('CHAOS_') || key.startsWith('JEST_')) && !(key in extra)) delete env[key];
  return env;
}

/** Runs a child process to its end and collects what it printed. */
export function runProcess(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, output }));
  });
}
