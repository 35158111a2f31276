import type { Verdict } from '../lib/run/verdict.ts';
import type { BaselineEntry } from './baseline.ts';
import { ledgerHeadline, ledgerRows } from './ledger-summary.ts';
import { formatDuration, formatThrottling, isFailing, type CaseSummary, type MatrixRow, type MatrixState, type RunSummary } from './summary-model.ts';
import { rootCauses, skipGroups, whyNotes } from './root-causes.ts';
import { inlineTerminalText } from '../lib/text/terminal-text.ts';

/**
 * conformance-summary.html — the verdict page for the release board. One file, no script and no external
 * asset, so it can be mailed or attached to a ticket and still open. Every interpolated value is escaped
 * by the `html` tag; the Content-Security-Policy forbids scripts besides, so a response body that smuggles
 * markup into a violation stays text.
 */
export function renderSummaryHtml(summary: RunSummary): string {
  const { run, spec, counts, baseline } = summary;
  const newIds = new Set(baseline?.newFailures.map((e) => e.caseId));
  const failing = summary.cases.filter((c) => isFailing(c.status));
  const newFailing = failing.filter((c) => newIds.has(c.caseId));
  const otherFailing = failing.filter((c) => !newIds.has(c.caseId));
  const warned = summary.cases.filter((c) => !failing.includes(c) && c.violations.length);
  const skips = skipGroups(summary.cases);
  const causes = rootCauses(otherFailing);
  const caseCounts = `${counts.total} cases: ${counts.passed} passed, ${counts.failed} failed, ${counts.broken} broken, ${counts.skipped} skipped`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${summary.verdict} — SDRS conformance, ${spec.title} ${spec.version}</title>
<style>${raw(CSS)}</style>
</head>
<body>
<header class="verdict ${VERDICT_CLASS[summary.verdict]}" id="verdict">
<p class="kicker">SDRS conformance · ${spec.title} ${spec.version}</p>
<h1>${summary.verdict}</h1>
<p>${summary.verdictReason}</p>
<p class="kicker">${run.endpoint} (${run.endpointClass}) · profile ${run.profile} · ${run.startedAt} · ${formatDuration(run.durationMs)} · ${caseCounts}</p>
</header>
<main>
${baseline ? baselineSection(baseline.source, baseline.baselineStartedAt, newFailing, baseline) : ''}
<section id="failures"><h2>${baseline ? 'Other failures' : 'Failures'} (${otherFailing.length}${causes.length > 1 ? `, ${causes.length} root causes` : ''})</h2>
${otherFailing.length ? causes.map((cause) => causeBlock(cause.cases)) : html`<p>${baseline && newFailing.length ? 'None besides the new failures above.' : 'None.'}</p>`}
</section>
${warned.length ? html`<section id="warnings"><h2>Warnings (${warned.length})</h2>${rootCauses(warned).map((cause) => causeBlock(cause.cases))}</section>` : ''}
<section id="not-run"><h2>Not verified (${counts.skipped})</h2>
${skips.length ? html`<table><thead><tr><th>Reason</th><th>Category</th><th>Cases</th></tr></thead><tbody>${skips.map((g) => html`<tr><td>${g.reason}</td><td>${g.category}</td><td>${idList(g.cases)}</td></tr>`)}</tbody></table>` : html`<p>Every case ran.</p>`}
</section>
${matrixSection(summary)}
<section id="ledger"><h2>Deletion ledger</h2>
${ledgerSection(summary)}
</section>
<section id="run"><details><summary><h2>Run</h2></summary>
<dl>
${fact('Endpoint', `${run.endpoint} (${run.endpointClass})`)}${fact('Profile', run.profile)}${fact('Spec', `${spec.title} ${spec.version}`)}
${fact('Spec sha256', spec.sha256)}${fact('Suite version', run.suiteVersion)}${fact('Seed', String(run.seed))}
${fact('Started', run.startedAt)}${fact('Finished', run.finishedAt)}${fact('Duration', formatDuration(run.durationMs))}
${fact('Cases', caseCounts)}${summary.throttling ? fact('Throttling', formatThrottling(summary.throttling)) : ''}
</dl></details></section>
<section id="cases"><details><summary><h2>All cases (${counts.total})</h2></summary>
<table><thead><tr><th>Case</th><th>Title</th><th>Result</th><th>Expected</th><th>Received</th><th>Time</th></tr></thead><tbody>
${summary.cases.map((c) => html`<tr><td><code>${c.caseId}</code></td><td>${c.title}</td><td><span class="badge s-${c.status}">${c.status}</span></td><td class="num">${c.expectedStatuses.join(', ')}</td><td class="num">${c.receivedStatus ?? '—'}</td><td class="num">${formatDuration(c.durationMs)}</td></tr>\n`)}
</tbody></table></details></section>
</main>
<footer>sdrs-conformance ${run.suiteVersion} · summary schema ${summary.schemaVersion} · seed ${run.seed}</footer>
</body>
</html>
`;
  return page.text;
}

/**
 * The documented-status matrix, one block of rows per operation. A "why" many rows share is a numbered
 * note under the table, said once; a why of its own follows the row's result.
 */
function matrixSection(summary: RunSummary): Html {
  const operations = [...new Set(summary.matrix.map((r) => r.operationId))];
  const { noteOf, notes } = whyNotes(summary.matrix);
  const why = (row: MatrixRow) => {
    const note = noteOf(row);
    return 'note' in note ? html` <sup class="note">[${note.note}]</sup>` : html`<br><span class="why">${note.text}</span>`;
  };
  const row = (r: MatrixRow) =>
    html`<tr><td class="num">${r.status}</td><td>${r.description}</td><td class="result"><span class="badge ${STATE_CLASS[r.state]}">${r.state}</span>${why(r)}</td><td><code>${r.verifiedBy ?? '—'}</code></td></tr>\n`;
  return html`<section id="matrix"><h2>Documented-status matrix${operations.length === 1 ? ` — ${operations[0]}` : ''}</h2>
<table class="matrix"><thead><tr><th>Status</th><th>Description</th><th>Result</th><th>Shown by</th></tr></thead>
${operations.map((op) => html`<tbody>${operations.length > 1 ? html`<tr class="operation"><th colspan="4"><code>${op}</code></th></tr>` : ''}${summary.matrix.filter((r) => r.operationId === op).map(row)}</tbody>`)}
</table>
${notes.length ? html`<ol class="notes">${notes.map((n) => html`<li>${n}</li>`)}</ol>` : ''}
</section>`;
}

/** Case ids as a list that wraps between ids, never inside one. */
const idList = (ids: readonly string[]) => html`<span class="ids">${ids.map((id, i) => html`${i ? ', ' : ''}<code>${id}</code>`)}</span>`;

/**
 * One root cause: what the cases received and what the first of them shows in full, then the cases it
 * covers. A cause of one case reads as that case.
 */
function causeBlock(cases: readonly CaseSummary[]): Html {
  const [first, ...rest] = cases as [CaseSummary, ...CaseSummary[]];
  if (rest.length === 0) return caseBlock(first);
  const received = [...new Set(cases.map((c) => c.receivedStatus ?? Number.NaN))]
    .sort((a, b) => a - b)
    .map((status) => (Number.isNaN(status) ? '—' : status))
    .join(', ');
  const expected = [...new Set(cases.flatMap((c) => c.expectedStatuses))].sort((a, b) => a - b).join(', ');
  const checks = [...new Set(first.violations.filter((v) => v.severity === 'error').map((v) => v.checkId))];
  return html`<article class="case cause">
<h3><span class="badge s-${first.status}">${first.status}</span> ${cases.length} cases · ${checks.length ? checks.map((c, i) => html`${i ? ' + ' : ''}<code>${c}</code>`) : (first.transportError ?? '').split(':')[0]}</h3>
<p><strong>Expected</strong> ${expected} · <strong>Received</strong> ${received}</p>
${first.transportError ? html`<p><strong>Transport error</strong> (as in <code>${first.caseId}</code>): ${first.transportError}</p>` : ''}
${first.violations.length ? html`<p class="muted">As in <code>${first.caseId}</code>:</p>${violationTable(first)}` : ''}
<details><summary>The ${cases.length} cases, and the first one's exchange</summary>
<p>${cases.map((c, i) => html`${i ? ', ' : ''}<code id="case-${c.caseId}">${c.caseId}</code>`)}</p>
${first.exchange ? html`<pre class="exchange">${first.exchange.request}\n→ ${first.exchange.response}</pre>` : ''}
</details>
</article>
`;
}

/** Every DELETE answered 2xx (alike requests on one row), then what vanished, then the ids not sent. */
function ledgerSection(summary: RunSummary): Html {
  const { ledgerTotals: totals } = summary;
  if (totals.requests === 0 && totals.vanished === 0 && summary.refusedJobIds.length === 0) return html`<p>This run deleted no job.</p>`;
  const rows = ledgerRows(summary.ledger);
  const projects = new Set(rows.map((r) => r.projectId)).size > 1;
  return html`<p>${ledgerHeadline(totals)}.</p>
${rows.length ? html`<table><thead><tr><th>Job</th>${projects ? html`<th>Project</th>` : ''}<th>Deleted by</th><th>Status</th><th>Intended</th><th>Requests</th></tr></thead><tbody>${rows.map((r) => html`<tr class="${r.intended ? '' : 'unintended'}"><td><code>${r.jobId}</code></td>${projects ? html`<td><code>${r.projectId}</code></td>` : ''}<td><code>${r.caseId}</code></td><td class="num">${r.status}</td><td>${r.intended ? 'yes' : 'NO — a request that should have been refused deleted this job'}</td><td class="num">${r.requests}</td></tr>`)}</tbody></table>` : ''}
${summary.vanished.length ? html`<h3>Vanished — gone from a list, and no DELETE of it was answered 2xx</h3><table><thead><tr><th>Job</th><th>Project</th><th>List</th><th>Seen by</th></tr></thead><tbody>${summary.vanished.map((v) => html`<tr class="unintended"><td><code>${v.jobId}</code></td><td><code>${v.projectId}</code></td><td>${v.list}</td><td><code>${v.seenBy}</code></td></tr>`)}</tbody></table>` : ''}
${summary.refusedJobIds.length ? html`<h3>Discovered ids the run did not send</h3><table><thead><tr><th>Id</th><th>Why</th></tr></thead><tbody>${summary.refusedJobIds.map((r) => html`<tr><td><code>${r.id}</code></td><td>the id ${r.why}</td></tr>`)}</tbody></table>` : ''}`;
}

function baselineSection(source: string, startedAt: string, newFailing: CaseSummary[], diff: NonNullable<RunSummary['baseline']>): Html {
  const list = (title: string, entries: BaselineEntry[]) =>
    entries.length
      ? html`<h3>${title} (${entries.length})</h3><ul>${entries.map((e) => html`<li><code>${e.caseId}</code> ${e.title} <span class="muted">(${e.before ?? 'absent'} → ${e.now ?? 'absent'})</span></li>`)}</ul>`
      : '';
  return html`<section id="new-failures" class="${newFailing.length ? 'alarm' : ''}"><h2>New failures since the baseline (${diff.newFailures.length})</h2>
<p class="muted">Baseline: ${source}, run started ${startedAt}. Fixed ${diff.fixed.length} · still failing ${diff.stillFailing.length}${diff.notRunNow.length ? ` · failed before, not run now ${diff.notRunNow.length}` : ''}.</p>
${newFailing.length ? rootCauses(newFailing).map((cause) => causeBlock(cause.cases)) : html`<p>No new failures.</p>`}
${list('Fixed', diff.fixed)}${list('Still failing', diff.stillFailing)}${list('Failed before, not run now', diff.notRunNow)}
</section>`;
}

function caseBlock(c: CaseSummary): Html {
  return html`<article class="case" id="case-${c.caseId}">
<h3><span class="badge s-${c.status}">${c.status}</span> <code>${c.caseId}</code> ${c.title}</h3>
<p><strong>Expected</strong> ${c.expectedStatuses.join(', ')} · <strong>Received</strong> ${c.receivedStatus ?? '—'} · <span class="muted">${c.source}</span></p>
${c.transportError ? html`<p><strong>Transport error:</strong> ${c.transportError}</p>` : ''}
${c.violations.length ? violationTable(c) : ''}
${c.exchange ? html`<pre class="exchange">${c.exchange.request}\n→ ${c.exchange.response}</pre>` : ''}
</article>
`;
}

function violationTable(c: CaseSummary): Html {
  return html`<table class="violations"><thead><tr><th>Check</th><th>Violation</th><th>Expected</th><th>Received</th><th>Where</th></tr></thead><tbody>
${c.violations.map((v) => html`<tr class="${v.severity}"><td><code>${v.checkId}</code>${v.severity === 'warning' ? ' (warning)' : ''}</td><td>${v.title}</td><td class="expected">${v.expected}</td><td class="received">${v.received}</td><td><code>${v.where}</code></td></tr>`)}
</tbody></table>`;
}

const fact = (name: string, value: string) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`;

const VERDICT_CLASS: Record<Verdict, string> = { CONFORMANT: 'v-ok', 'NOT CONFORMANT': 'v-fail', INCOMPLETE: 'v-incomplete' };
const STATE_CLASS: Record<MatrixState, string> = {
  'verified on target': 's-passed',
  'verified on reference server only': 's-reference',
  'not verified': 's-skipped',
};

/** Markup built by the `html` tag — the only kind that is not escaped when interpolated. */
class Html {
  constructor(readonly text: string) {}
}

type Interpolation = Html | string | number | null | undefined | readonly Interpolation[];

/** Escapes every interpolated value unless it is already Html: escaping is the default, not a habit. */
function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? fragment(values[i]) : ''), ''));
}

function fragment(value: Interpolation): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(fragment).join('');
  if (value === null || value === undefined) return '';
  return escapeHtml(String(value));
}

const raw = (text: string) => new Html(text);

/**
 * Markup characters become references (the quotes too: values land in attributes). Controls and bidi
 * overrides, invisible on a page but able to reorder or hide what it shows, become visible escapes;
 * line feeds and tabs stay, for the preformatted exchange.
 */
function escapeHtml(text: string): string {
  const visible = text.replace(/[^\n\t]+/g, (run) => inlineTerminalText(run));
  return visible.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const CSS = `
:root { --ok: #1a7f37; --fail: #cf222e; --warn: #9a6700; --ref: #0969da; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; }
header.verdict { padding: 12px 32px; color: #fff; }
header.verdict h1 { margin: 2px 0; font-size: 34px; letter-spacing: .02em; }
header.verdict p { margin: 4px 0; }
.v-ok { background: var(--ok); } .v-fail { background: var(--fail); } .v-incomplete { background: var(--warn); }
.kicker { opacity: .9; font-size: 13px; }
main { padding: 8px 32px 32px; max-width: 1400px; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: 4px; margin: 20px 0 8px; font-size: 20px; }
section.alarm { border-left: 6px solid var(--fail); padding-left: 16px; }
dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 8px 24px; }
dt { color: var(--muted); font-size: 12px; text-transform: uppercase; } dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
code { white-space: nowrap; } pre code, .exchange code { white-space: pre-wrap; }
table.matrix { font-size: 12.5px; } table.matrix td { padding: 2px 6px; } section p { margin: 6px 0; } ol.notes { font-size: 13px; color: var(--muted); margin: 4px 0; }
.note { color: var(--ref); } td.result { white-space: nowrap; } td.result .why { white-space: normal; display: block; max-width: 24em; } .why { color: var(--muted); font-size: 12px; } tr.operation th { background: #eaeef2; }
details > summary { cursor: pointer; } details > summary h2 { display: inline-block; border: 0; margin: 12px 0 0; }
th { background: #f6f8fa; white-space: nowrap; } td.num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; color: #fff; white-space: nowrap; }
.s-passed { background: var(--ok); } .s-failed, .s-broken { background: var(--fail); } .s-skipped { background: var(--muted); } .s-reference { background: var(--ref); }
.case { border: 1px solid var(--line); border-radius: 6px; padding: 8px 16px; margin: 12px 0; }
.case h3 { margin: 4px 0; font-size: 16px; }
tr.warning td { background: #fff8c5; } tr.unintended td { background: #ffebe9; font-weight: 600; } td.received { color: var(--fail); font-weight: 600; } td.expected { color: var(--ok); }
pre.exchange { background: #f6f8fa; padding: 8px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
.muted { color: var(--muted); }
footer { padding: 16px 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); }
@media print { header.verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
`;
