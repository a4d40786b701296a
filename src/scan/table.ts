/** The readable output of `jest-chaos scan`: one row per dependency, then the missing scenarios by priority. */
import path from 'node:path';
import type { ScanDependency, ScanResult, ScanScenario } from './schema';

const DOMAIN_LABEL: Readonly<Record<ScanDependency['domain'], string>> = { http: 'http', db: 'db', cache: 'cache', tcp: 'tcp' };

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** A tested kind as the table shows it: `?` when tied only by a guess (unresolved host), `*` when it fired in the report. */
function testedLabel(tested: ScanDependency['tested'][number]): string {
  const guess = tested.by.every((entry) => entry.match === 'unresolved-host');
  const fired = tested.by.some((entry) => (entry.fired ?? 0) > 0);
  return `${tested.kind}${guess ? '?' : ''}${fired ? '*' : ''}`;
}

function dependencyLabel(dependency: ScanDependency): string {
  const kind = dependency.type === 'seam' ? 'seam ' : dependency.type === 'unresolved-host' ? 'host? ' : '';
  return `${DOMAIN_LABEL[dependency.domain]} ${kind}${dependency.name}`;
}

function callSitesLabel(dependency: ScanDependency): string {
  const first = dependency.callSites[0];
  if (first === undefined) {
    const seam = dependency.seams[0];
    return seam === undefined ? '0' : `0 (registered ${seam.file}:${seam.line})`;
  }
  const more = dependency.callSites.length > 1 ? ', …' : '';
  return `${dependency.callSites.length} (${first.file}:${first.line}${more})`;
}

function renderRows(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The table and the scenario list, as printed without `--json`. */
export function formatTable(result: ScanResult, cwd: string = process.cwd()): string {
  const out: string[] = [];
  const { files, summary } = result;
  const where = path.relative(cwd, result.rootDir).split(path.sep).join('/') || '.';
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  out.push(`jest-chaos scan of ${where}: ${count(files.source, 'source file')}, ${count(files.test, 'test file')}, ${count(files.chaosSuites, 'chaos suite')}${result.report === null ? '' : `, ${result.report.events} faults fired in ${result.report.file}`}`);
  out.push('');
  if (result.dependencies.length === 0) {
    out.push('No dependencies found: no HTTP client, database, cache or broker call, and no chaos.register() seam. See docs/scan.md for what scan recognises.');
  } else {
    const top = new Map<string, ScanScenario>();
    for (const scenario of result.scenarios) if (!top.has(scenario.dependency)) top.set(scenario.dependency, scenario);
    const rows = result.dependencies.map((dependency) => {
      const scenario = top.get(dependency.id);
      return [
        clip(dependencyLabel(dependency), 48),
        clip(callSitesLabel(dependency), 52),
        dependency.tested.length === 0 ? '-' : dependency.tested.map(testedLabel).join(' '),
        dependency.missing.length === 0 ? '-' : dependency.missing.join(' '),
        scenario?.priority ?? '-',
        scenario === undefined ? 'every kind is exercised' : scenario.reason.replace(/^[ABC]: /, ''),
      ];
    });
    out.push(...renderRows(['DEPENDENCY', 'CALL SITES', 'TESTED', 'MISSING', 'PRIORITY', 'REASON'], rows));
    const legend: string[] = [];
    if (result.dependencies.some((dependency) => dependency.tested.some((tested) => testedLabel(tested).includes('?')))) legend.push('? tied by a guess: a rule whose host matches no host found in the code counts for the hosts scan could not resolve');
    if (result.dependencies.some((dependency) => dependency.tested.some((tested) => testedLabel(tested).includes('*')))) legend.push('* fired in the report');
    if (legend.length > 0) out.push('', ...legend);
  }
  if (result.scenarios.length > 0) {
    out.push('', `Missing scenarios: ${summary.scenarios} (A ${summary.byPriority.A}, B ${summary.byPriority.B}, C ${summary.byPriority.C})`);
    const rows = result.scenarios.map((scenario) => [scenario.priority, scenario.rule, scenario.reason.replace(/^[ABC]: /, '')]);
    out.push(...renderRows(['', 'RULE', 'REASON'], rows).map((line) => `  ${line}`));
  }
  for (const warning of result.warnings) out.push('', `warning: ${warning}`);
  out.push('', 'Details: jest-chaos scan --json. Skeleton suites: jest-chaos scan --write <dir>.');
  return `${out.join('\n')}\n`;
}
