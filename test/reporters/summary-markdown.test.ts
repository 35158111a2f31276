import { expect, test } from 'vitest';
import { renderSummaryMarkdown } from '../../reporters/summary-markdown.ts';
import { buildSummary } from '../../reporters/summary-model.ts';
import { normalise, summaryInput } from './fixtures.ts';

test('conformance-summary.md: verdict, run, matrix, violations, skips, ledger', () => {
  expect(normalise(renderSummaryMarkdown(buildSummary(summaryInput())))).toMatchInlineSnapshot(`
    "# SDRS conformance: NOT CONFORMANT

    3 cases failed or broke: deleteFailureJob.unknown-id, deleteFailureJob.wrong-method.get, deleteFailureJob.status-500.

    ## Run

    | Field | Value |
    | --- | --- |
    | Endpoint | https\\://sdrs.example.com/ (external) |
    | Profile | doc |
    | Spec | SDRS task center — failure jobs 2026-11-28 |
    | Spec sha256 | \`820ac589d2b86389ce4ff74f389753bac8d585365a626f08d168b19e2872480b\` |
    | Suite version | 0.1.0 |
    | Seed | 1 |
    | Started | TIMESTAMP |
    | Finished | TIMESTAMP (N s) |
    | Cases | 8: 3 passed, 2 failed, 1 broken, 2 skipped |

    ## Documented-status matrix — deleteFailureJob

    | Status | Description | Result | Shown by | Why |
    | --- | --- | --- | --- | --- |
    | 204 | No Content | verified on target | deleteFailureJob.own-job | Shown by deleteFailureJob.own-job, well formed. |
    | 400 | Bad Request (服务器未能处理请求) | not verified | — | No case covers this status: the suite generated none for it. |
    | 404 | Not Found | not verified | — | No case made https\\://sdrs.example.com answer 404, and it has no scenario control (Prefer: code=404). |
    | 500 | Internal Server Error | not verified | deleteFailureJob.unknown-id | The target answered 500 but broke the contract: Error body does not match the documented schema. |
    | 503 | Service Unavailable | verified on reference server only | scenario | Synthesised on request (Prefer: code=503); no case made the target answer it unprompted. |

    ## Violations

    ### \`deleteFailureJob.unknown-id\` A well-formed (UUID) job id that names no job — failed

    Expected status 404; received 500.

    | Check | Severity | Title | Expected | Received | Where |
    | --- | --- | --- | --- | --- | --- |
    | status-expected | error | Status is not one the condition allows | 404 | 500 | status |
    | error-body-schema | error | Error body does not match the documented schema | error\\_msg: "Job not found" &amp; co | error\\_msg: "&lt;script&gt;document.title="pwned"&lt;/script&gt;" | body\\#/error\\_msg |

    ### \`deleteFailureJob.wrong-method.get\` A method other than DELETE on the job's path: GET — broken

    Expected status 405; received —.

    Transport error: reset (ECONNRESET): socket hang up

    ### \`deleteFailureJob.status-500\` Documented response 500: Internal Server Error — failed

    Expected status 500; received 500.

    | Check | Severity | Title | Expected | Received | Where |
    | --- | --- | --- | --- | --- | --- |
    | error-body-schema | error | Error body does not match the documented schema | error\\_msg: "Job not found" &amp; co | error\\_msg: "&lt;script&gt;document.title="pwned"&lt;/script&gt;" | body\\#/error\\_msg |

    ## Not run

    | Reason | Why | Cases |
    | --- | --- | --- |
    | Needs a second identity in another project: supply --other-project-id with --other-token, or --other-ak/--other-sk. | missing-input | deleteFailureJob.other-project-token |
    | No case made https\\://sdrs.example.com answer 404, and it has no scenario control (Prefer: code=404). | not-provokable | deleteFailureJob.status-404 |

    ## Deletion ledger

    1 DELETE request answered 2xx, 1 distinct job.

    | Job | Deleted by | Status | Intended | Requests |
    | --- | --- | --- | --- | --- |
    | ff808082686f229a0168707b9be9013f | deleteFailureJob.own-job | 204 | yes | 1 |
    "
  `);
});

test('with a baseline, new failures come right after the verdict', () => {
  const previous = buildSummary(summaryInput({ outcomes: [] }));
  const markdown = renderSummaryMarkdown(buildSummary(summaryInput({ baseline: { summary: previous, source: 'main/conformance-summary.json' } })));
  const order = ['# SDRS conformance', '### New failures (3)', '## Run', '## Documented-status matrix'].map((heading) => markdown.indexOf(heading));
  expect(order.every((at) => at >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
});
