import { buildReport } from './build';
import { CONTENT_SECURITY_POLICY, escapeHtml, renderHtml } from './html';
import type { ReportRun } from './schema';

const RUN: Omit<ReportRun, 'source'> = { baseSeed: null, seedSource: 'none', enabled: false, tags: null, shard: null, startedAt: 's', endedAt: 'e', durationMs: 1, strict: false, chaosRuns: 1, commit: null, branch: null, versions: null };

test('escapeHtml escapes what could open markup or leave an attribute', () => {
  expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;amp;&#60;/a&#62;');
});

test('the policy allows no request: only the page own style and script', () => {
  expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+'; img-src data:; base-uri 'none'; form-action 'none'$/);
});

test('a run with chaos disabled says so and how to enable it', () => {
  const report = buildReport({
    version: '1.0.0',
    run: RUN,
    records: [],
    skippedSuites: [{ relativePath: 'a.test.js', reason: 'disabled', chaos: true, seed: undefined, priority: 'A', tags: ['chaos'] }],
    failedSuites: [],
    generatedAt: 'now',
  });
  const html = renderHtml(report, 'chaos-report.json');
  expect(html).toContain('Chaos was disabled in this run: 1 chaos suite and 0 chaos tests in other files were skipped. Run them with <code>CHAOS_ENABLED=1 npx jest</code>.');
  expect(html).toContain('from <code>chaos-report.json</code> (schemaVersion 2)');
});
