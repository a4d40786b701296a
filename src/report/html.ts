/**
 * `chaos-report.html`: the report as one self-contained page (inline CSS, inline SVG, one small inline
 * script for the copy buttons). It loads nothing: its Content-Security-Policy allows no request at all,
 * only its own style and script by their hashes. Everything that comes from the user's tests is escaped.
 */
import { createHash } from 'node:crypto';
import { applies, calledNeverFaulted, dependencyMatrix, neverFaulted, type Matrix, type MatrixCell, type MatrixRow } from './matrix';
import { failureReason, flakiest, hasRepeatedRuns, rateText, replaySeed, testName } from './rates';
import type { ChaosReport, ChaosTestRates, Priority, ReportTest } from './schema';
import { warningGroups } from './summary';

/** How many entries each list shows; the JSON report has the rest. */
export const HTML_LIMITS = { failingTests: 50, runsPerFailingTest: 3, flakiest: 25, warnings: 50 } as const;

export const PRIORITY_MEANING: Record<Priority, string> = {
  A: 'Financial decisions and safety: money, orders and safety checks stay right when a dependency fails.',
  B: 'State consistency: data stays consistent through the failure, nothing lost or written twice.',
  C: 'Self-repair: the service recovers by itself once the dependency answers again.',
};

const DEPENDENCY_LABEL = { host: 'host', driver: 'driver', seam: 'seam', socket: 'socket' } as const;

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const e = escapeHtml;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function percent(rate: number | null): string {
  return rate === null ? '-' : `${Math.round(rate * 100)}%`;
}

/** A horizontal bar of passed / failed / skipped parts, as inline SVG. */
function bar(passed: number, failed: number, skipped = 0, width = 220): string {
  const total = passed + failed + skipped;
  if (total === 0) return `<svg class="bar" width="${width}" height="12" role="img" aria-label="no runs"><rect width="${width}" height="12" rx="3" class="b-none"/></svg>`;
  const parts: string[] = [];
  let x = 0;
  for (const [count, cls] of [
    [passed, 'b-pass'],
    [failed, 'b-fail'],
    [skipped, 'b-skip'],
  ] as const) {
    if (count === 0) continue;
    const w = (count / total) * width;
    parts.push(`<rect x="${x.toFixed(2)}" width="${w.toFixed(2)}" height="12" class="${cls}"/>`);
    x += w;
  }
  return `<svg class="bar" width="${width}" height="12" role="img" aria-label="${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}">${parts.join('')}</svg>`;
}

function copyable(command: string): string {
  return `<div class="replay"><code>${e(command)}</code><button type="button" class="copy" data-copy="${e(command)}">Copy</button></div>`;
}

function runFacts(report: ChaosReport): string {
  const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
  const runs = report.runs;
  const seeds = unique(runs.filter((run) => run.enabled).map((run) => (run.baseSeed === null ? 'per file' : String(run.baseSeed))));
  const shards = runs.filter((run) => run.shard !== null).map((run) => `${run.shard?.index}/${run.shard?.count}`);
  const commits = unique(runs.map((run) => run.commit).filter((commit): commit is string => commit !== null));
  const branches = unique(runs.map((run) => run.branch).filter((branch): branch is string => branch !== null));
  const versions = unique(runs.map((run) => (run.versions === null ? null : `Node ${run.versions.node}, Jest ${run.versions.jest ?? '?'}, jest-chaos ${run.versions.jestChaos}`)).filter((text): text is string => text !== null));
  const starts = runs.map((run) => run.startedAt).sort();
  const ends = runs.map((run) => run.endedAt).filter((end): end is string => end !== null).sort();
  const chaosRuns = unique(runs.map((run) => run.chaosRuns)).filter((n) => n > 1);
  const tags = unique(runs.map((run) => run.tags).filter((tags): tags is string => tags !== null));
  const facts: [string, string][] = [
    [seeds.length === 1 ? 'base seed' : 'base seeds', seeds.length === 0 ? 'chaos disabled' : seeds.join(', ')],
    ['CHAOS_RUNS', chaosRuns.length === 0 ? '1' : chaosRuns.join(', ')],
    ['jest runs', `${runs.length}${shards.length > 0 ? ` (shards ${shards.join(', ')})` : ''}`],
    ['commit', commits.length === 0 ? 'unknown' : commits.map((commit) => commit.slice(0, 12)).join(', ')],
    ['branch', branches.length === 0 ? 'unknown' : branches.join(', ')],
    ['versions', versions.length === 0 ? `jest-chaos ${report.jestChaosVersion}` : versions.join('; ')],
    ['started', starts[0] ?? '-'],
    ['ended', ends.at(-1) ?? '-'],
  ];
  if (tags.length > 0) facts.push(['CHAOS_TAGS', tags.join(' | ')]);
  if (runs.some((run) => run.strict)) facts.push(['strict', 'CHAOS_STRICT on']);
  return `<dl class="facts">${facts.map(([label, value]) => `<div><dt>${e(label)}</dt><dd>${e(value)}</dd></div>`).join('')}</dl>`;
}

function tiles(report: ChaosReport): string {
  const { tests, chaosTests, suites } = report.totals;
  const faults = report.totals.faults.reduce((sum, rule) => sum + rule.hits, 0);
  const ran = tests.passed + tests.failed;
  const items: [string, string, string][] = [
    ['chaos tests', String(chaosTests.ran), ''],
    ['runs', String(ran), ''],
    ['passed', String(tests.passed), tests.passed > 0 ? 'good' : ''],
    ['failed', String(tests.failed), tests.failed > 0 ? 'bad' : ''],
    ['flaky', String(chaosTests.someFailed), chaosTests.someFailed > 0 ? 'warn' : ''],
    ['faults injected', String(faults), ''],
  ];
  if (suites.errored > 0) items.push(['suites failed to run', String(suites.errored), 'bad']);
  return `<div class="tiles">${items.map(([label, value, tone]) => `<div class="tile ${tone}"><div class="num">${e(value)}</div><div class="lbl">${e(label)}</div></div>`).join('')}</div>`;
}

function priorities(report: ChaosReport): string {
  const cards: string[] = [];
  const groups: (Priority | null)[] = ['A', 'B', 'C'];
  if (report.chaosTests.some((rate) => rate.priority === null)) groups.push(null);
  for (const priority of groups) {
    const rates = report.chaosTests.filter((rate) => rate.priority === priority);
    const runs = rates.reduce((sum, rate) => sum + rate.runs, 0);
    const passed = rates.reduce((sum, rate) => sum + rate.passed, 0);
    const failed = rates.reduce((sum, rate) => sum + rate.failed, 0);
    const skipped = rates.reduce((sum, rate) => sum + rate.skipped, 0);
    const failing = rates.filter((rate) => rate.failed > 0).length;
    const title = priority === null ? 'No priority' : `Priority ${priority}`;
    const meaning = priority === null ? 'Chaos tests of files without @chaos-priority.' : PRIORITY_MEANING[priority];
    const status = rates.length === 0 ? 'none' : failed > 0 ? 'fail' : runs === 0 ? 'none' : 'pass';
    const summary =
      rates.length === 0
        ? 'No chaos test has this priority.'
        : `${plural(rates.length, 'test')}, ${plural(runs, 'run')}: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}${runs > 0 ? ` (${percent(passed / runs)} pass)` : ''}${failing > 0 ? `; ${plural(failing, 'test')} failing` : ''}`;
    cards.push(
      `<div class="prio ${status}" data-priority="${priority ?? '-'}"><h3>${e(title)}</h3><p class="meaning">${e(meaning)}</p>${bar(passed, failed, skipped)}<p class="count">${e(summary)}</p></div>`,
    );
  }
  return `<section id="priorities"><h2>Outcome by priority</h2><div class="prios">${cards.join('')}</div></section>`;
}

function matrixCell(cell: MatrixCell | undefined, applicable: boolean, row: MatrixRow, kind: string): string {
  const dependency = row.name;
  const attrs = `data-dep="${e(dependency)}" data-kind="${e(kind)}"`;
  if (!applicable) return `<td class="cell na" ${attrs} data-state="na" title="${e(`${kind} does not apply here`)}">·</td>`;
  if (cell === undefined || cell.passed + cell.failed + cell.armed === 0) {
    const why = neverFaulted(row) ? `never faulted: ${plural(row.called, 'test run')} called ${dependency}, none faulted it` : `never tested: no chaos test faulted ${dependency} with ${kind}`;
    return `<td class="cell empty" ${attrs} data-state="never" title="${e(why)}"></td>`;
  }
  const names = cell.tests.join('\n');
  if (cell.passed + cell.failed === 0) {
    return `<td class="cell armed" ${attrs} data-state="armed" data-armed="${cell.armed}" title="${e(`a rule names it in ${plural(cell.armed, 'test run')} but never fired:\n${names}`)}">0 fired</td>`;
  }
  const state = cell.failed > 0 ? 'fail' : 'pass';
  const text = [cell.passed > 0 ? `<span class="ok">✓${cell.passed}</span>` : '', cell.failed > 0 ? `<span class="ko">✗${cell.failed}</span>` : ''].filter((part) => part !== '').join(' ');
  return `<td class="cell ${state}" ${attrs} data-state="${state}" data-passed="${cell.passed}" data-failed="${cell.failed}" title="${e(`${cell.passed} passed, ${cell.failed} failed:\n${names}`)}">${text}</td>`;
}

/** The one-line warning above the matrix: every dependency called and never faulted (loopback aside). */
function neverFaultedNote(matrix: Matrix): string {
  const rows = calledNeverFaulted(matrix);
  if (rows.length === 0) return '';
  const names = rows.map((row) => `${row.name} (${row.domain} ${row.type})`);
  return `<p class="never-faulted" id="never-faulted">Called, never faulted: ${e(names.join(', '))}</p>`;
}

function matrixTable(matrix: Matrix): string {
  if (matrix.rows.length === 0) return '<section id="matrix"><h2>Dependencies × fault kinds</h2><p class="muted">No dependency was called, faulted or named by a rule in this run.</p></section>';
  const head = `<tr><th class="dep">dependency</th>${matrix.kinds.map((kind) => `<th class="kind" scope="col">${e(kind)}</th>`).join('')}</tr>`;
  const rows = matrix.rows.map((row) => {
    const ports = row.ports.length === 0 ? '' : ` <span class="ports" title="${e(row.ports.join(', '))}">:${e(row.ports.length <= 2 ? row.ports.join(', :') : `${row.ports.slice(0, 2).join(', :')} +${row.ports.length - 2}`)}</span>`;
    const unfaulted = neverFaulted(row);
    const note = unfaulted ? ` <span class="unfaulted" title="${e(`called by ${plural(row.called, 'test run')}, faulted by none`)}">never faulted</span>` : '';
    const label = `<th class="dep" scope="row"><span class="tag t-${row.type}">${e(row.domain)} ${DEPENDENCY_LABEL[row.type]}</span> ${e(row.name)}${ports}${row.refused > 0 ? ` <span class="refused" title="requests refused by the loopback guard">${plural(row.refused, 'refused request')}</span>` : ''}${note}</th>`;
    return `<tr data-dep="${e(row.name)}" data-called="${row.called}"${unfaulted ? ' class="unfaulted"' : ''}>${label}${matrix.kinds.map((kind) => matrixCell(row.cells[kind], applies(row.type, kind), row, kind)).join('')}</tr>`;
  });
  return `<section id="matrix"><h2>Dependencies × fault kinds</h2>${neverFaultedNote(matrix)}
<p class="legend"><span class="cell pass">✓ passed</span> <span class="cell fail">✗ failed</span> test runs that got this fault · <span class="cell armed">0 fired</span> a rule named it, it never fired · <span class="cell empty">&nbsp;&nbsp;</span> never tested · <span class="unfaulted">never faulted</span> called by the chaos tests, faulted by none · <span class="cell na">·</span> does not apply</p>
<div class="scroll"><table class="matrix"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

function flakiestTable(report: ChaosReport): string {
  const list = flakiest(report.chaosTests);
  if (list.length === 0) return '';
  const repeated = hasRepeatedRuns(report.chaosTests);
  const rows = list.slice(0, HTML_LIMITS.flakiest).map((rate) => {
    const seeds = rate.failingSeeds.map((seed) => seed.baseSeed ?? '-');
    const shown = seeds.slice(0, 8).join(', ') + (seeds.length > 8 ? `, … (${seeds.length - 8} more)` : '');
    return `<tr><td class="rate">${bar(rate.passed, rate.failed, 0, 90)} ${e(rateText(rate))}</td><td>${e(rate.name)}</td><td class="file">${e(rate.file)}</td><td>${rate.priority ?? '-'}</td><td class="seeds">${e(shown)}</td></tr>`;
  });
  const more = list.length > HTML_LIMITS.flakiest ? `<p class="muted">… and ${list.length - HTML_LIMITS.flakiest} more in the JSON report.</p>` : '';
  return `<section id="flakiest"><h2>${repeated ? 'Flakiest tests by pass rate' : 'Failing tests by pass rate'}</h2><table class="list"><thead><tr><th>pass rate</th><th>test</th><th>file</th><th>prio</th><th>failing seeds (CHAOS_SEED)</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}</section>`;
}

function eventList(test: ReportTest): string {
  if (test.events.length === 0) return '<p class="muted">No fault was injected in this run.</p>';
  const items = test.events.map(
    (event) =>
      `<li><span class="kind k-${e(event.domain)}">${e(event.domain)}.${e(event.kind)}</span> <span class="target">${e(event.target)}</span> <code>${e(event.call)}</code>${event.delayMs === undefined ? '' : ` <span class="muted">after ${event.delayMs} ms</span>`} <span class="muted">rule ${e(event.rule)}</span></li>`,
  );
  return `<ol class="events">${items.join('')}</ol>`;
}

function failingRun(test: ReportTest): string {
  const facts = [
    `seed ${replaySeed(test) ?? '-'}`,
    test.chaosRun === null ? '' : `run ${test.chaosRun.index}/${test.chaosRun.of}`,
    test.attempts !== null && test.attempts > 1 ? `${test.attempts} attempts` : '',
    test.durationMs === null ? '' : `${Math.round(test.durationMs)} ms`,
  ].filter((fact) => fact !== '');
  const message = test.failure === null ? '<p class="muted">No failure message was recorded.</p>' : `<pre class="message">${e(test.failure.message)}</pre>${test.failure.frame === null ? '' : `<p class="frame">at <code>${e(test.failure.frame)}</code></p>`}`;
  return `<div class="run" data-seed="${replaySeed(test) ?? ''}"><p class="runfacts">${e(facts.join(' · '))}</p>${eventList(test)}${message}${test.replay === null ? '' : copyable(test.replay)}</div>`;
}

function failingTests(report: ChaosReport): string {
  const order = (priority: Priority | null): number => (priority === null ? 3 : 'ABC'.indexOf(priority));
  const failing = report.chaosTests.filter((rate) => rate.failed > 0).sort((a, b) => order(a.priority) - order(b.priority) || (a.passRate ?? 0) - (b.passRate ?? 0));
  if (failing.length === 0) return '<section id="failing"><h2>Failing tests</h2><p class="good-note">No chaos test failed.</p></section>';
  const byKey = new Map<string, ReportTest[]>();
  for (const test of report.tests) {
    if (!test.chaos || test.status !== 'failed') continue;
    const key = `${test.file}\u0000${testName(test)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), test]);
  }
  const blocks = failing.slice(0, HTML_LIMITS.failingTests).map((rate: ChaosTestRates) => {
    const runs = byKey.get(`${rate.file}\u0000${rate.name}`) ?? [];
    const shown = runs.slice(0, HTML_LIMITS.runsPerFailingTest);
    const rest = runs.slice(HTML_LIMITS.runsPerFailingTest);
    const reason = runs[0] === undefined ? null : failureReason(runs[0]);
    const more =
      rest.length === 0
        ? ''
        : `<p class="muted">${plural(rest.length, 'more failing run')}: seeds ${e(rest.map((test) => String(replaySeed(test) ?? '-')).join(', '))}. Replay commands are in the JSON report.</p>`;
    return `<article class="failing" data-test="${e(rate.name)}"><h3><span class="prio-badge">${rate.priority ?? '-'}</span> ${e(rate.name)}</h3><p class="sub"><span class="file">${e(rate.file)}</span> · failed ${rate.failed} of ${plural(rate.runs, 'run')} (${e(rateText(rate))} passed)${reason === null ? '' : ` · ${e(reason)}`}</p>${shown.map(failingRun).join('')}${more}</article>`;
  });
  const more = failing.length > HTML_LIMITS.failingTests ? `<p class="muted">… and ${failing.length - HTML_LIMITS.failingTests} more failing tests in the JSON report.</p>` : '';
  return `<section id="failing"><h2>Failing tests</h2>${blocks.join('')}${more}</section>`;
}

function warnings(report: ChaosReport): string {
  const warned = warningGroups(report);
  if (warned.length === 0) return '';
  const rows = warned.slice(0, HTML_LIMITS.warnings).map(
    (group) => `<tr><td>${e(group.name)}${group.of > 1 ? ` <span class="muted">in ${group.runs} of ${group.of} runs</span>` : ''}</td><td class="file">${e(group.file)}</td><td>${group.lines.map(e).join('<br>')}</td></tr>`,
  );
  const more = warned.length > HTML_LIMITS.warnings ? `<p class="muted">… and ${warned.length - HTML_LIMITS.warnings} more in the JSON report.</p>` : '';
  return `<section id="warnings"><h2>Tests that may have tested nothing</h2><p class="muted">Rules that matched no call and requests refused by the loopback guard.${report.runs.some((run) => run.strict) ? '' : ' CHAOS_STRICT=1 fails these tests.'}</p><table class="list"><thead><tr><th>test</th><th>file</th><th>warning</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}</section>`;
}

function errored(report: ChaosReport): string {
  const suites = report.suites.filter((suite) => suite.status === 'error');
  if (suites.length === 0) return '';
  return `<section id="errors"><h2>Chaos suites that failed to run</h2>${suites.map((suite) => `<article class="failing"><h3>${e(suite.file)}</h3><pre class="message">${e(suite.error ?? '')}</pre></article>`).join('')}</section>`;
}

const STYLE = `
:root{--fg:#1d232b;--muted:#5d6875;--bg:#fff;--panel:#f5f7f9;--line:#dde2e7;--pass:#1f8a4c;--pass-bg:#e3f4ea;--fail:#c62828;--fail-bg:#fbe4e4;--warn:#a86400;--warn-bg:#fdf0d9;--na:#eceff2}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1200px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}h3{font-size:15px;margin:0 0 4px}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.muted{color:var(--muted)}.good-note{color:var(--pass)}
.facts{display:flex;flex-wrap:wrap;gap:4px 20px;margin:10px 0 0}.facts div{display:flex;gap:6px}.facts dt{color:var(--muted)}.facts dd{margin:0;font-weight:500}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0 0}.tile{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:110px}
.tile .num{font-size:22px;font-weight:650}.tile .lbl{color:var(--muted);font-size:12px}.tile.bad .num{color:var(--fail)}.tile.good .num{color:var(--pass)}.tile.warn .num{color:var(--warn)}
.prios{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:12px}
.prio{border:1px solid var(--line);border-left:5px solid var(--line);border-radius:8px;padding:10px 12px;background:var(--panel)}
.prio.pass{border-left-color:var(--pass)}.prio.fail{border-left-color:var(--fail)}.prio .meaning{margin:0 0 8px;color:var(--muted);font-size:13px}.prio .count{margin:6px 0 0;font-size:13px}
.b-pass{fill:var(--pass)}.b-fail{fill:var(--fail)}.b-skip{fill:#b8c0c8}.b-none{fill:var(--na)}
.scroll{overflow-x:auto}
table{border-collapse:collapse}
.matrix th,.matrix td{border:1px solid var(--line);padding:4px 6px;text-align:center;white-space:nowrap}
.matrix th.kind{font-weight:600;font-size:12px;background:var(--panel)}.matrix th.dep{text-align:left;font-weight:500;background:var(--panel)}
.cell{display:table-cell;min-width:54px;font-size:12px}span.cell{display:inline-block;min-width:0;padding:0 6px;border:1px solid var(--line);border-radius:3px}
.cell.pass{background:var(--pass-bg)}.cell.fail{background:var(--fail-bg)}.cell.armed{background:var(--warn-bg);color:var(--warn)}.cell.empty{background:#fff}.cell.na{background:var(--na);color:#9aa4ad}
.ok{color:var(--pass);font-weight:600}.ko{color:var(--fail);font-weight:600}
.tag{font-size:11px;border-radius:3px;padding:0 5px;margin-right:4px;background:#e6ebf0;color:var(--muted)}.refused{font-size:11px;color:var(--warn)}.ports{font-size:11px;color:var(--muted)}
.legend{font-size:12px;color:var(--muted)}.unfaulted{font-size:11px;color:var(--warn);background:var(--warn-bg);border-radius:3px;padding:0 5px}
tr.unfaulted .cell.empty{background:repeating-linear-gradient(135deg,#fff 0 6px,var(--warn-bg) 6px 8px)}.never-faulted{color:var(--warn);background:var(--warn-bg);border-radius:6px;padding:6px 10px}
.list{width:100%}.list th,.list td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}.list th{font-size:12px;color:var(--muted);font-weight:600}
.file{color:var(--muted)}.rate{white-space:nowrap}.rate svg{vertical-align:middle}
.failing{border:1px solid var(--line);border-left:5px solid var(--fail);border-radius:8px;padding:10px 14px;margin:0 0 12px}
.failing .sub{margin:0 0 6px;color:var(--muted)}.prio-badge{display:inline-block;min-width:20px;text-align:center;background:var(--fail-bg);color:var(--fail);border-radius:4px;font-size:12px}
.run{border-top:1px dashed var(--line);padding-top:8px;margin-top:8px}.runfacts{margin:0 0 4px;font-weight:500}
.events{margin:4px 0 8px;padding-left:22px}.events li{margin:1px 0}.kind{font-weight:600}.target{font-weight:500}
.message{background:var(--fail-bg);padding:8px 10px;border-radius:6px;white-space:pre-wrap;word-break:break-word;margin:6px 0;max-height:240px;overflow:auto}
.frame{margin:0 0 6px;color:var(--muted)}
.replay{display:flex;gap:8px;align-items:center;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:6px 8px}
.replay code{flex:1;overflow-x:auto;white-space:pre}
.copy{font:inherit;font-size:12px;padding:3px 10px;border:1px solid #aab4be;border-radius:4px;background:#fff;cursor:pointer}.copy:hover{background:#eef2f5}
footer{margin-top:32px;color:var(--muted);font-size:12px}
`;

const SCRIPT = `
document.addEventListener('click', function (event) {
  var button = event.target instanceof Element ? event.target.closest('button.copy') : null;
  if (!button) return;
  var text = button.getAttribute('data-copy') || '';
  function done() { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); }
  function fallback() {
    var area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); done(); } catch (error) { button.textContent = 'Select and copy'; }
    area.remove();
  }
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
  else fallback();
});
`;

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** No request of any kind: only this page's own style and script, by their hashes. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;

/** The HTML report of a (run or merged) report. `jsonName` names the JSON report beside it. */
export function renderHtml(report: ChaosReport, jsonName?: string): string {
  const enabled = report.runs.some((run) => run.enabled);
  const body = enabled
    ? [tiles(report), priorities(report), matrixTable(dependencyMatrix(report)), flakiestTable(report), failingTests(report), warnings(report), errored(report)].join('\n')
    : `<p class="muted">Chaos was disabled in this run: ${plural(report.totals.suites.skippedDisabled, 'chaos suite')} and ${plural(report.totals.tests.skippedDisabled, 'chaos test')} in other files were skipped. Run them with <code>CHAOS_ENABLED=1 npx jest</code>.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>jest-chaos report</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header><h1>jest-chaos report</h1>${runFacts(report)}</header>
${body}
<footer>Written by jest-chaos ${e(report.jestChaosVersion)} at ${e(report.generatedAt)}${jsonName === undefined ? '' : ` from <code>${e(jsonName)}</code> (schemaVersion ${report.schemaVersion}), which holds every test`}.</footer>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
