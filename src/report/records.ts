import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { FileChaos, TestRecord } from '../runtime/file-chaos';

/** Where the runner asks workers to leave per-file results for the reporter. */
export const RECORDS_DIR_VARIABLE = 'JEST_CHAOS_RECORDS_DIR';

export interface FileRecord {
  readonly testPath: string;
  readonly relativePath: string;
  readonly baseSeed: number;
  /** True when the file pins its base seed with `@chaos-seed`. */
  readonly seedPinned: boolean;
  readonly chaosSuite: boolean;
  readonly priority: 'A' | 'B' | 'C' | undefined;
  readonly tags: readonly string[];
  readonly tests: readonly TestRecord[];
}

export function recordFileName(testPath: string): string {
  return `${createHash('sha1').update(testPath).digest('hex')}.json`;
}

/** Leaves this file's chaos results where the reporter of this run will read them. */
export function writeFileRecords(file: FileChaos): void {
  const dir = process.env[RECORDS_DIR_VARIABLE];
  if (dir === undefined || dir === '') return;
  const record: FileRecord = {
    testPath: file.testPath,
    relativePath: file.relativePath,
    baseSeed: file.baseSeed,
    seedPinned: file.suite.seed !== undefined,
    chaosSuite: file.suite.isChaosSuite,
    priority: file.suite.priority,
    tags: file.suite.tags,
    tests: file.records,
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, recordFileName(file.testPath)), JSON.stringify(record));
}
