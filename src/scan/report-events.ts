/** The faults that really fired, read from a chaos report (`chaos-report.json`, any schema version). */
import { readFileSync } from 'node:fs';
import { ScanError } from './scan-error';

export interface FiredFault {
  /** The test file, relative to the report's rootDir. */
  readonly file: string;
  readonly rule: string;
  readonly domain: string;
  readonly kind: string;
  /** What the fault hit: `GET https://host/path`, `pg query`, `db primary.findAccount`, ... */
  readonly call: string;
}

/** Every fault event of every test of the report at `file`. */
export function readFiredFaults(file: string): FiredFault[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ScanError(`cannot read the chaos report ${file}: ${why}. Pass the chaos-report.json a chaos run wrote (reporter option outputFile), or leave --report out`);
  }
  const tests = (parsed as { tests?: unknown } | null)?.tests;
  if (!Array.isArray(tests)) throw new ScanError(`cannot read the chaos report ${file}: it has no "tests" list, so it is not a jest-chaos report. Pass the chaos-report.json a chaos run wrote`);
  const fired: FiredFault[] = [];
  for (const test of tests as { file?: unknown; events?: unknown }[]) {
    if (typeof test?.file !== 'string' || !Array.isArray(test.events)) continue;
    for (const event of test.events as Record<string, unknown>[]) {
      if (typeof event?.rule !== 'string' || typeof event.domain !== 'string' || typeof event.kind !== 'string') continue;
      fired.push({ file: test.file, rule: event.rule, domain: event.domain, kind: event.kind, call: typeof event.call === 'string' ? event.call : '' });
    }
  }
  return fired;
}
