import { expect, test } from 'vitest';
import { renderSummaryHtml } from '../../reporters/summary-html.ts';
import { buildSummary } from '../../reporters/summary-model.ts';
import { SCRIPT, summaryInput, unknownId500 } from './fixtures.ts';

const page = renderSummaryHtml(buildSummary(summaryInput()));

test('a violation carrying <script> renders as text, and the page forbids scripts anyway', () => {
  expect(page).not.toContain(SCRIPT);
  expect(page).not.toMatch(/<script/i);
  expect(page).toContain('error_msg: &quot;&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;&quot;');
  expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
});

test('standalone: no external asset, no script, one file', () => {
  expect(page).not.toMatch(/\b(src|href)\s*=/i);
  expect(page).not.toMatch(/@import|url\(/i);
  expect(page.startsWith('<!doctype html>')).toBe(true);
});

test('escapes attribute context too: a case id cannot break out of id="…"', () => {
  const hostile = { ...unknownId500, caseId: 'x" onmouseover="alert(1)' };
  const html = renderSummaryHtml(buildSummary(summaryInput({ outcomes: [hostile] })));
  expect(html).toContain('id="case-x&quot; onmouseover=&quot;alert(1)"');
  expect(html).not.toContain('" onmouseover="');
});

test('leads with new failures when a baseline is given', () => {
  const previous = buildSummary(summaryInput({ outcomes: [] }));
  const html = renderSummaryHtml(buildSummary(summaryInput({ baseline: { summary: previous, source: 'base.json' } })));
  const order = ['id="verdict"', 'id="new-failures"', 'id="failures"', 'id="matrix"', 'id="run"'].map((marker) => html.indexOf(marker));
  expect(order.every((at) => at >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  // A new failure is shown once, in full, at the top.
  expect(html.split(`id="case-${unknownId500.caseId}"`)).toHaveLength(2);
  expect(html.indexOf(`id="case-${unknownId500.caseId}"`)).toBeLessThan(html.indexOf('id="run"'));
});

test('without a baseline there is no baseline section', () => {
  expect(page).not.toContain('id="new-failures"');
  expect(page.indexOf('id="verdict"')).toBeLessThan(page.indexOf('id="matrix"'));
});
