import { flakiest, hasRepeatedRuns, rateText, replaySeed, testName } from './rates';
import type { ChaosReport, ChaosTestRates, Priority, ReportRun, ReportTest } from './schema';
import { calledNeverFaulted, dependencyMatrix } from './matrix';

/** How the terminal summary is styled. */
export interface SummaryStyle {
  readonly color: boolean;
}

const ANSI = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] } as const;
type Paint = (style: keyof typeof ANSI, text: string) => string;

function painter(color: boolean): Paint {
  return (style, text) => (color ? `\u001b[${ANSI[style][0]}m${text}\u001b[${ANSI[style][1]}m` : text);
}

/**
 * Whether to colour what is written to a stream: never with NO_COLOR set (non-empty), as FORCE_COLOR
 * says when it is set (`0`/`false` off, anything else on), else only on a terminal.
 */
export function useColor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  return isTTY === true;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const SEED_SOURCE: Record<ReportRun['seedSource'], string> = { CHAOS_SEED: 'from CHAOS_SEED', drawn: 'drawn', none: 'none given' };

function shardText(run: ReportRun): string {
  return run.shard === null ? '' : `${run.shard.index}/${run.shard.count}`;
}

/** The distinct base seeds of the runs, with how each was chosen and the shards it covered. */
function seedGroups(report: ChaosReport): { seed: number | null; text: string }[] {
  const groups = new Map<string, { seed: number | null; sources: Set<string>; shards: string[] }>();
  for (const run of report.runs.filter((r) => r.enabled)) {
    const key = String(run.baseSeed);
    const group = groups.get(key) ?? { seed: run.baseSeed, sources: new Set<string>(), shards: [] };
    group.sources.add(SEED_SOURCE[run.seedSource]);
    if (run.shard !== null) group.shards.push(shardText(run));
    groups.set(key, group);
  }
  return [...groups.values()].map(({ seed, sources, shards }) => ({
    seed,
    text: `${seed ?? 'per file'} (${[...sources].join(', ')}${shards.length > 0 ? `; ${shards.length === 1 ? 'shard' : 'shards'} ${shards.join(', ')}` : ''})`,
  }));
}

function priorityLabel(priority: Priority | null): string {
  return priority ?? '-';
}

function counts(parts: readonly [number, string][]): string {
  return parts.filter(([n]) => n > 0).map(([n, text]) => `${n} ${text}`).join(', ');
}

export function failedChaosTests(report: ChaosReport): ReportTest[] {
  const order = (priority: Priority | null): number => (priority === null ? 3 : 'ABC'.indexOf(priority));
  return report.tests.filter((test) => test.chaos && test.status === 'failed').sort((a, b) => order(a.priority) - order(b.priority));
}

/** The chaos tests that ran with a rule that matched no call or a request refused by the loopback guard. */
export function testsWithWarnings(report: ChaosReport): ReportTest[] {
  return report.tests.filter((test) => test.chaos && test.status !== 'skipped' && ((test.unmatched?.length ?? 0) > 0 || (test.refused?.length ?? 0) > 0));
}

/** One line per warning of a test, as the summary and the step summary list them. */
export function warningLines(test: ReportTest): string[] {
  return [...(test.unmatched ?? []).map((rule) => `rule matched no call: ${rule}`), ...(test.refused ?? []).map((call) => `refused by the loopback guard: ${call}`)];
}

/** Warnings per chaos test (its runs together): the distinct warning lines, and in how many of its runs. */
export function warningGroups(report: ChaosReport): { file: string; name: string; runs: number; of: number; lines: string[] }[] {
  const groups = new Map<string, { file: string; name: string; runs: number; of: number; lines: string[] }>();
  for (const test of testsWithWarnings(report)) {
    const name = testName(test);
    const key = `${test.file}\u0000${name}`;
    const group = groups.get(key) ?? { file: test.file, name, runs: 0, of: report.chaosTests.find((rate) => rate.file === test.file && rate.name === name)?.runs ?? 1, lines: [] };
    group.runs += 1;
    for (const line of warningLines(test)) if (!group.lines.includes(line)) group.lines.push(line);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The one-line head of the summary; the only line printed when chaos was disabled. */
export function headline(report: ChaosReport): string | undefined {
  const { suites, tests } = report.totals;
  if (!report.runs.some((run) => run.enabled)) {
    if (suites.skippedDisabled + tests.skippedDisabled === 0) return undefined;
    return `jest-chaos: chaos is disabled: skipped ${plural(suites.skippedDisabled, 'chaos suite')} and ${plural(tests.skippedDisabled, 'chaos test')} in other files. Run them with CHAOS_ENABLED=1 npx jest`;
  }
  const seeds = seedGroups(report).map((group) => group.seed ?? 'per file');
  const ran = tests.passed + tests.failed;
  const tagged = report.runs.some((run) => run.tags !== null) || suites.notSelected > 0;
  const warned = warningGroups(report).length;
  const rates = report.chaosTests;
  const outcome = hasRepeatedRuns(rates)
    ? `${plural(report.totals.chaosTests.ran, 'chaos test')} ran (${plural(ran, 'run')}), ${rates.filter((rate) => rate.failed > 0).length} failed (${plural(tests.failed, 'run')})`
    : `${plural(ran, 'chaos test')} ran, ${tests.failed} failed`;
  return `jest-chaos: base ${seeds.length === 1 ? 'seed' : 'seeds'} ${seeds.join(', ')}; ${outcome}${tagged ? `, ${plural(suites.notSelected, 'suite')} not selected by CHAOS_TAGS` : ''}${suites.errored > 0 ? `, ${plural(suites.errored, 'suite')} failed to run` : ''}${warned > 0 ? `, ${warned} with warnings` : ''}`;
}

/** The seed column of a failing test: `seed 1234`, or `2/4 runs failed, seeds 11, 12`. */
function seedText(rate: ChaosTestRates): string {
  const seeds = [...new Set(rate.failingSeeds.map((seed) => String(seed.baseSeed ?? '-')))];
  const shown = seeds.length > 6 ? `${seeds.slice(0, 6).join(', ')}, …` : seeds.join(', ');
  if (rate.runs <= 1) return `seed ${shown}`;
  return `${rate.failed}/${rate.runs} runs failed, ${seeds.length === 1 ? 'seed' : 'seeds'} ${shown}`;
}

/** Failing chaos tests (each once over its runs), A first, then lowest pass rate. */
export function failingTests(report: ChaosReport): ChaosTestRates[] {
  const order = (priority: Priority | null): number => (priority === null ? 3 : 'ABC'.indexOf(priority));
  return report.chaosTests.filter((rate) => rate.failed > 0).sort((a, b) => order(a.priority) - order(b.priority) || (a.passRate ?? 0) - (b.passRate ?? 0));
}

/** Replay commands listed per failing test in the terminal summary (its first failing seeds). */
const SUMMARY_REPLAYS = 3;

/** Pass-rate lines listed in the terminal summary; the rest is counted. */
const SUMMARY_RATES = 10;

/**
 * The chaos summary for a terminal or a CI log. `reportPath` and `htmlPath` are shown when the JSON and
 * HTML reports were written.
 */
export function formatSummary(report: ChaosReport, style: SummaryStyle, reportPath?: string, htmlPath?: string): string[] {
  const head = headline(report);
  if (head === undefined) return [];
  const paint = painter(style.color);
  const written = [reportPath, htmlPath].filter((file): file is string => file !== undefined);
  const reportRows = written.map((file, i) => `  ${i === 0 ? paint('dim', 'report'.padEnd(9)) : ' '.repeat(9)} ${file}`);
  if (!report.runs.some((run) => run.enabled)) {
    return [paint('yellow', head), ...reportRows];
  }
  const { suites, tests, faults, byPriority } = report.totals;
  const repeated = hasRepeatedRuns(report.chaosTests);
  const lines: string[] = [paint('bold', head)];
  const row = (label: string, first: string, rest: readonly string[] = []): void => {
    lines.push(`  ${paint('dim', label.padEnd(9))} ${first}`);
    for (const line of rest) lines.push(`  ${' '.repeat(9)} ${line}`);
  };

  const groups = seedGroups(report);
  const pinned = [...new Map(report.suites.filter((suite) => suite.seedPinned && suite.baseSeed !== null && suite.status !== 'skipped').map((suite) => [suite.file, suite.baseSeed])).entries()];
  const seedLines = groups.map((group) => group.text);
  if (groups.length === 1 && groups[0]?.seed !== null) seedLines[0] += `; rerun with CHAOS_SEED=${groups[0]?.seed}`;
  if (pinned.length > 0) seedLines.push(`own @chaos-seed: ${pinned.map(([file, seed]) => `${file} (${seed})`).join(', ')}`);
  row(groups.length === 1 ? 'seed' : 'seeds', seedLines[0] ?? 'none', seedLines.slice(1));

  const tagsExpressions = [...new Set(report.runs.map((run) => run.tags).filter((tags): tags is string => tags !== null))];
  const notSelected = `not selected by CHAOS_TAGS${tagsExpressions.length > 0 ? ` (${tagsExpressions.join(' | ')})` : ''}`;
  row('suites', counts([[suites.ran, suites.ran === 1 ? 'chaos suite ran' : 'chaos suites ran'], [suites.notSelected, notSelected], [suites.errored, 'failed to run']]) || 'no chaos suites');

  const ownSkips = tests.skipped - tests.notSelected - tests.skippedDisabled;
  const ranText = repeated ? `${plural(report.totals.chaosTests.ran, 'chaos test')}, ${plural(tests.passed + tests.failed, 'run')}` : `${plural(tests.passed + tests.failed, 'chaos test')} ran`;
  const testParts = [`${ranText}: ${tests.passed} passed, ${tests.failed > 0 ? paint('red', `${tests.failed} failed`) : '0 failed'}`];
  const skipParts = counts([[tests.notSelected, notSelected], [ownSkips, 'skipped in the test files (.skip, .todo or -t)']]);
  if (skipParts !== '') testParts.push(`${tests.skipped} skipped: ${skipParts}`);
  row('tests', testParts.join('; '));

  if (byPriority.length > 0) {
    const priorityLines = byPriority.map((group) => {
      const parts = counts([[group.passed, 'passed'], [group.failed, 'failed'], [group.skipped, 'skipped']]);
      const tests = report.chaosTests.filter((rate) => rate.priority === group.priority).length;
      const size = repeated ? `${plural(tests, 'test')}, ${plural(group.tests, 'run')}` : plural(group.tests, 'test');
      const text = `${priorityLabel(group.priority)}  ${size}${parts === '' ? '' : `: ${parts}`}${group.priority === null ? ' (no @chaos-priority)' : ''}`;
      return group.failed > 0 ? paint('red', text) : text;
    });
    row('priority', priorityLines[0] ?? '', priorityLines.slice(1));
  }

  if (faults.length > 0) {
    const width = String(faults[0]?.hits ?? 0).length;
    const faultLines = faults.map(({ rule, hits }) => `${String(hits).padStart(width)} × ${rule}`);
    row('faults', faultLines[0] ?? '', faultLines.slice(1));
  } else {
    row('faults', 'none injected');
  }

  const unfaulted = neverFaultedList(report);
  if (unfaulted !== undefined) row('unfaulted', paint('yellow', `called, never faulted: ${unfaulted}`));

  const warned = warningGroups(report);
  if (warned.length > 0) {
    const warningRows = warned.flatMap((group) => [
      `${paint('yellow', group.name)}  ${paint('dim', group.file)}${group.of > 1 ? paint('dim', `  in ${group.runs} of ${group.of} runs`) : ''}`,
      ...group.lines.map((line) => `  ${line}`),
    ]);
    if (!report.runs.some((run) => run.strict === true)) warningRows.push(paint('dim', 'CHAOS_STRICT=1 fails chaos tests with warnings.'));
    row('warnings', warningRows[0] ?? '', warningRows.slice(1));
  }

  if (repeated) {
    const flaky = flakiest(report.chaosTests);
    const steady = report.chaosTests.filter((rate) => rate.runs > 0 && rate.failed === 0).length;
    const width = Math.max(0, ...flaky.slice(0, SUMMARY_RATES).map((rate) => rateText(rate).length));
    const rateLines = flaky.slice(0, SUMMARY_RATES).map((rate) => paint(rate.passed === 0 ? 'red' : 'yellow', `${rateText(rate).padEnd(width)}  ${rate.name}  `) + paint('dim', rate.file));
    if (flaky.length > SUMMARY_RATES) rateLines.push(`… and ${flaky.length - SUMMARY_RATES} more below 100% (see the report)`);
    if (steady > 0) rateLines.push(`${plural(steady, 'chaos test')} passed every run`);
    row('pass rate', rateLines[0] ?? '', rateLines.slice(1));
  }

  const failing = failingTests(report);
  if (failing.length > 0) {
    const failedLines = failing.flatMap((rate) => {
      const first = rate.failingSeeds[0];
      const reason = first?.reason ?? null;
      const replays = rate.failingSeeds.map((seed) => seed.replay).filter((command): command is string => command !== null);
      return [
        `${paint('red', `✕ [${priorityLabel(rate.priority)}] ${rate.name}`)}  ${paint('dim', rate.file)}  ${seedText(rate)}`,
        ...(reason === null ? [] : [`  ${reason}`]),
        ...replays.slice(0, SUMMARY_REPLAYS).map((command) => `  ${command}`),
        ...(replays.length > SUMMARY_REPLAYS ? [paint('dim', `  … and ${plural(replays.length - SUMMARY_REPLAYS, 'more failing seed')}, replay commands in the report`)] : []),
      ];
    });
    row('failed', failedLines[0] ?? '', failedLines.slice(1));
  }

  const errored = report.suites.filter((suite) => suite.status === 'error');
  if (errored.length > 0) {
    const errorLines = errored.map((suite) => paint('red', `${suite.file}: ${(suite.error ?? '').split('\n')[0]}`));
    row('errors', errorLines[0] ?? '', errorLines.slice(1));
  }
  lines.push(...reportRows);
  return lines;
}

/** Names listed in the one-line "called, never faulted" warning; the HTML report lists them all. */
const NEVER_FAULTED_NAMES = 10;

/** The dependencies the chaos tests called and never faulted, as one line (`pg (db driver), ...`); undefined when none. */
function neverFaultedList(report: ChaosReport): string | undefined {
  const rows = calledNeverFaulted(dependencyMatrix(report));
  if (rows.length === 0) return undefined;
  const names = rows.slice(0, NEVER_FAULTED_NAMES).map((row) => `${row.name} (${row.domain} ${row.type})`);
  return `${names.join(', ')}${rows.length > NEVER_FAULTED_NAMES ? `, … and ${rows.length - NEVER_FAULTED_NAMES} more (see the HTML report)` : ''}`;
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

/** Rows per priority table in the GitHub step summary; the rest is counted, not listed. */
const MARKDOWN_ROWS = 200;

const STATUS_MARK: Record<ReportTest['status'], string> = { passed: '✅ passed', failed: '❌ failed', skipped: '⏭️ skipped' };

/** The Markdown section appended to `$GITHUB_STEP_SUMMARY`. */
export function formatMarkdown(report: ChaosReport): string {
  const out: string[] = ['## jest-chaos', ''];
  const { suites, tests, faults, byPriority } = report.totals;
  if (!report.runs.some((run) => run.enabled)) {
    out.push(`Chaos is disabled: skipped ${plural(suites.skippedDisabled, 'chaos suite')} and ${plural(tests.skippedDisabled, 'chaos test')} in other files. Run them with \`CHAOS_ENABLED=1 npx jest\`.`, '');
    return `${out.join('\n')}\n`;
  }
  const seeds = seedGroups(report).map((group) => group.text);
  const repeated = hasRepeatedRuns(report.chaosTests);
  const sources = [...new Set(report.runs.map((run) => (run.commit === null ? null : `${run.commit.slice(0, 12)}${run.branch === null ? '' : ` (${run.branch})`}`)).filter((text): text is string => text !== null))];
  out.push(
    `**Base ${seeds.length === 1 ? 'seed' : 'seeds'}:** ${cell(seeds.join('; '))}  `,
    repeated
      ? `**Chaos tests:** ${report.totals.chaosTests.ran} ran in ${tests.passed + tests.failed} runs, ${report.totals.chaosTests.someFailed + report.totals.chaosTests.allFailed} failed in ${tests.failed} runs, ${tests.skipped} runs skipped  `
      : `**Chaos tests:** ${tests.passed + tests.failed} ran, ${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped  `,
    `**Chaos suites:** ${suites.ran} ran, ${suites.notSelected} not selected by CHAOS_TAGS${suites.errored > 0 ? `, ${suites.errored} failed to run` : ''}${sources.length > 0 ? '  ' : ''}`,
    ...(sources.length > 0 ? [`**Commit:** ${cell(sources.join(', '))}`] : []),
    '',
  );
  const unfaulted = neverFaultedList(report);
  if (unfaulted !== undefined) out.push(`⚠️ **Called, never faulted:** ${cell(unfaulted)}`, '');
  const failing = failingTests(report);
  if (failing.length > 0) {
    out.push('### Failed chaos tests', '');
    for (const rate of failing.slice(0, MARKDOWN_ROWS)) {
      const first = rate.failingSeeds[0];
      out.push(`- ❌ **${cell(rate.name)}** (${priorityLabel(rate.priority)}, ${cell(rate.file)}, ${cell(seedText(rate))}): ${cell(first?.reason ?? 'no failure message recorded')}`);
    }
    if (failing.length > MARKDOWN_ROWS) out.push('', `… and ${failing.length - MARKDOWN_ROWS} more (see the JSON report).`);
    out.push('');
  }
  if (repeated) {
    out.push('### Pass rates', '', '| Pass rate | Test | File | Runs | Failing seeds |', '| ---: | --- | --- | ---: | --- |');
    const rated = [...flakiest(report.chaosTests), ...report.chaosTests.filter((rate) => rate.runs > 0 && rate.failed === 0)];
    for (const rate of rated.slice(0, MARKDOWN_ROWS)) {
      const seedsFailed = [...new Set(rate.failingSeeds.map((seed) => String(seed.baseSeed ?? '-')))].join(', ');
      out.push(`| ${rate.passRate === null ? '-' : `${Math.round(rate.passRate * 100)}%`} | ${cell(rate.name)} | ${cell(rate.file)} | ${rate.passed}/${rate.runs} | ${cell(seedsFailed)} |`);
    }
    if (rated.length > MARKDOWN_ROWS) out.push('', `… and ${rated.length - MARKDOWN_ROWS} more (see the JSON report).`);
    out.push('');
  }
  for (const group of byPriority) {
    const title = group.priority === null ? 'No priority' : `Priority ${group.priority}`;
    out.push(`### ${title}: ${plural(group.tests, repeated ? 'run' : 'test')}, ${group.failed} failed`, '', '| Status | Test | File | Seed | Faults |', '| --- | --- | --- | ---: | --- |');
    const rows = report.tests.filter((test) => test.chaos && test.priority === group.priority);
    const ordered = [...rows.filter((test) => test.status === 'failed'), ...rows.filter((test) => test.status !== 'failed')];
    for (const test of ordered.slice(0, MARKDOWN_ROWS)) {
      const fired = test.faults.map(({ rule, hits }) => `${hits} × ${rule}`).join('<br>');
      out.push(`| ${STATUS_MARK[test.status]}${(test.attempts ?? 1) > 1 && test.status === 'passed' ? ` (attempt ${test.attempts})` : ''} | ${cell(test.fullName)} | ${cell(test.file)} | ${replaySeed(test) ?? ''} | ${fired === '' ? '' : fired.split('<br>').map(cell).join('<br>')} |`);
    }
    if (ordered.length > MARKDOWN_ROWS) out.push('', `… and ${ordered.length - MARKDOWN_ROWS} more (see the JSON report).`);
    out.push('');
  }
  if (faults.length > 0) {
    out.push('### Faults injected', '', '| Rule | Hits |', '| --- | ---: |');
    for (const { rule, hits } of faults) out.push(`| ${cell(rule)} | ${hits} |`);
    out.push('');
  }
  const warned = testsWithWarnings(report);
  if (warned.length > 0) {
    out.push('### Chaos tests with warnings', '', 'Rules that matched no call and requests refused by the loopback guard: these tests may have tested nothing.', '', '| Test | File | Warning |', '| --- | --- | --- |');
    for (const test of warned.slice(0, MARKDOWN_ROWS)) out.push(`| ${cell(test.fullName)} | ${cell(test.file)} | ${warningLines(test).map(cell).join('<br>')} |`);
    if (warned.length > MARKDOWN_ROWS) out.push('', `… and ${warned.length - MARKDOWN_ROWS} more (see the JSON report).`);
    out.push('');
  }
  const replays = failing.filter((rate) => rate.failingSeeds.some((seed) => seed.replay !== null));
  // Every failing seed's command, up to five per test.
  if (replays.length > 0) {
    out.push('### Replay failed chaos tests', '');
    for (const rate of replays.slice(0, MARKDOWN_ROWS)) {
      const commands = rate.failingSeeds.map((seed) => seed.replay).filter((command): command is string => command !== null);
      out.push(`**${cell(rate.name)}** (${priorityLabel(rate.priority)}, ${cell(rate.file)})`, '', '```sh', ...commands.slice(0, 5), '```', '');
      if (commands.length > 5) out.push(`… and ${commands.length - 5} more failing seeds (see the JSON report).`, '');
    }
  }
  return `${out.join('\n')}\n`;
}
