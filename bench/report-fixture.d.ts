import type { FileRecord } from '../src/report/records';
import type { ReportInput } from '../src/report/build';

export function largeRunRecords(options?: { files?: number; testsPerFile?: number; called?: boolean }): FileRecord[];
export const LARGE_RUN: ReportInput['run'];
export const CHROMIUM: string;
export const CHROMIUM_ARGS: readonly string[];
