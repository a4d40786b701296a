import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChaosReport } from './schema';

/**
 * The report as text: one line per run, suite and test (readable, grep-able and diff-able per test),
 * at about the size of compact JSON.
 */
export function serializeReport(report: ChaosReport): string {
  const fields = Object.entries(report).map(([key, value]) => {
    const text = Array.isArray(value)
      ? value.length === 0
        ? '[]'
        : `[\n${value.map((item) => `    ${JSON.stringify(item)}`).join(',\n')}\n  ]`
      : JSON.stringify(value);
    return `  ${JSON.stringify(key)}: ${text}`;
  });
  return `{\n${fields.join(',\n')}\n}\n`;
}

/**
 * Writes the report so that a reader never sees half of it: into a temporary file beside the target,
 * then renamed over it (a rename within one directory is atomic).
 */
export function writeReportFile(file: string, report: ChaosReport): void {
  writeAtomically(file, serializeReport(report));
}

/** The HTML report's default place: beside the JSON report, `.json` replaced by `.html`. */
export function htmlBeside(jsonFile: string): string {
  return jsonFile.endsWith('.json') ? `${jsonFile.slice(0, -'.json'.length)}.html` : `${jsonFile}.html`;
}

/** Writes `text` into `file` through a temporary file in the same folder, renamed over it. */
export function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
