import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A lock older than this was left by a process that died. */
export const STALE_LOCK_MS = 10 * 60_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` under an exclusive lock between processes (the Jest workers of this run, other runs on the
 * machine): the lock is a folder, taken by creating it, given back by removing it.
 */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > STALE_LOCK_MS) rmSync(lockDir, { recursive: true, force: true });
      } catch {
        // Released meanwhile: try again.
      }
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** The file whose presence says that a cache folder was filled completely. */
const INSTALLED_MARKER = '.jest-chaos-installed';

/**
 * Fills the cache folder `dir` once per machine: `fill` runs in a new empty `dir` under the machine-wide
 * lock, unless a complete earlier fill is there; a fill that throws leaves no marker, so the next caller
 * starts again from an empty folder.
 */
export async function installOnce(dir: string, fill: (dir: string) => Promise<void>): Promise<void> {
  const marker = path.join(dir, INSTALLED_MARKER);
  if (existsSync(marker)) return;
  mkdirSync(path.dirname(dir), { recursive: true });
  await withLock(`${dir}.lock`, async () => {
    if (existsSync(marker)) return;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await fill(dir);
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  });
}
