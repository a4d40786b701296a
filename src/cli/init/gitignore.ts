/** The chaos reports in the project's .gitignore: a run writes them into rootDir, and they are no source. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Action } from './actions';

/** What the reporter writes by default (docs/report.md). */
const REPORT_FILES = ['chaos-report.json', 'chaos-report.html'] as const;

/**
 * The .gitignore with the report files added, each once. A line that already names one counts, as `name`,
 * `/name` or `!name` (a project that keeps its reports in git says so with `!`).
 */
export function gitignoreAction(cwd: string): Action {
  const file = path.join(cwd, '.gitignore');
  if (!existsSync(file)) return { file, kind: 'create', content: REPORT_FILES.map((name) => `${name}\n`).join(''), note: REPORT_FILES.join(', ') };
  const text = readFileSync(file, 'utf8');
  const lines = new Set(text.split(/\r?\n/).map((line) => line.trim().replace(/^!?\/?/, '')));
  const missing = REPORT_FILES.filter((name) => !lines.has(name));
  if (missing.length === 0) return { file, kind: 'unchanged', note: 'already lists the chaos reports' };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  return { file, kind: 'change', content: `${text}${separator}${missing.map((name) => `${name}${eol}`).join('')}`, note: `added ${missing.join(', ')}` };
}
