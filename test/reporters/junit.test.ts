import { expect, test } from 'vitest';
import type { CaseOutcome } from '../../lib/run/case-outcome.ts';
import { renderJunit } from '../../reporters/junit.ts';
import { buildSummary } from '../../reporters/summary-model.ts';
import { normalise, otherProject, SCRIPT, status404, summaryInput } from './fixtures.ts';

const junit = (outcomes: CaseOutcome[]) => normalise(renderJunit(buildSummary(summaryInput({ outcomes }))));

test('the whole document: suites, properties, failures with every violation, errors, skips with reasons', () => {
  expect(normalise(renderJunit(buildSummary(summaryInput())))).toMatchInlineSnapshot(`
    "<?xml version="1.0" encoding="UTF-8"?>
    <testsuites name="sdrs-conformance" tests="8" failures="2" errors="1" skipped="2" time="N" timestamp="TIMESTAMP">
      <testsuite name="deleteFailureJob" tests="8" failures="2" errors="1" skipped="2" time="N" timestamp="TIMESTAMP">
        <properties>
          <property name="verdict" value="NOT CONFORMANT"/>
          <property name="endpoint" value="https://sdrs.example.com/"/>
          <property name="endpoint_class" value="external"/>
          <property name="profile" value="doc"/>
          <property name="spec" value="SDRS task center — failure jobs 2026-11-28"/>
          <property name="spec_sha256" value="820ac589d2b86389ce4ff74f389753bac8d585365a626f08d168b19e2872480b"/>
          <property name="suite_version" value="0.1.0"/>
          <property name="seed" value="1"/>
          <property name="ledger_delete_2xx_requests" value="1"/>
          <property name="ledger_deleted_jobs" value="1"/>
          <property name="ledger_unexpected_requests" value="0"/>
          <property name="ledger_vanished_jobs" value="0"/>
        </properties>
        <testcase classname="deleteFailureJob" name="[deleteFailureJob.own-job] Delete a failed task of the caller&apos;s own project" time="N"/>
        <testcase classname="deleteFailureJob" name="[deleteFailureJob.unknown-id] A well-formed (UUID) job id that names no job" time="N">
          <failure message="[status-expected] Status is not one the condition allows — Received: 500 / Expected: 404 (at status)" type="status-expected">Expected status 404; received 500.

    [status-expected] Status is not one the condition allows — Received: 500 / Expected: 404 (at status)
    [error-body-schema] Error body does not match the documented schema — Received: error_msg: "&lt;script&gt;document.title="pwned"&lt;/script&gt;" / Expected: error_msg: "Job not found" &amp; co (at body#/error_msg)

    DELETE http://127.0.0.1:PORT/v1/0123456789abcdef0123456789abcdef/task-center/failure-jobs/2abdad28-1e23-4a60-ae0b-de44930de3de
    → 500 (application/json;charset=UTF-8) {"error_msg":"&lt;script&gt;document.title=\\"pwned\\"&lt;/script&gt;","error_code":"SDRS.1500"}</failure>
        </testcase>
        <testcase classname="deleteFailureJob" name="[deleteFailureJob.other-project-token] Another project&apos;s credentials on this project&apos;s job" time="N">
          <skipped message="missing-input: Needs a second identity in another project: supply --other-project-id with --other-token, or --other-ak/--other-sk."/>
        </testcase>
        <testcase classname="deleteFailureJob" name="[deleteFailureJob.wrong-method.get] A method other than DELETE on the job&apos;s path: GET" time="N">
          <error message="transport error: reset (ECONNRESET): socket hang up" type="transport">GET http://127.0.0.1:PORT/v1/0123456789abcdef0123456789abcdef/task-center/failure-jobs/x
    → no response: reset (ECONNRESET) socket hang up</error>
        </testcase>
        <testcase classname="deleteFailureJob" name="[deleteFailureJob.status-204] Documented response 204: No Content" time="N"/>
        <testcase classname="deleteFailureJob" name="[deleteFailureJob.status-404] Documented response 404: Not Found" time="N">
          <skipped message="not-provokable: No case made https://sdrs.example.com answer 404, and it has no scenario control (Prefer: code=404)."/>
        </testcase>
        <testcase classname="deleteFailureJob" name="[deleteFailureJob.status-500] Documented response 500: Internal Server Error" time="N">
          <failure message="[error-body-schema] Error body does not match the documented schema — Received: error_msg: &quot;&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;&quot; / Expected: error_msg: &quot;Job not found&quot; &amp; co (at body#/error_msg)" type="error-body-schema">Expected status 500; received 500.

    [error-body-schema] Error body does not match the documented schema — Received: error_msg: "&lt;script&gt;document.title="pwned"&lt;/script&gt;" / Expected: error_msg: "Job not found" &amp; co (at body#/error_msg)

    DELETE http://127.0.0.1:PORT/v1/0123456789abcdef0123456789abcdef/task-center/failure-jobs/2abdad28-1e23-4a60-ae0b-de44930de3de
    → 500 (application/json;charset=UTF-8) {"error_msg":"&lt;script&gt;document.title=\\"pwned\\"&lt;/script&gt;","error_code":"SDRS.1500"}</failure>
        </testcase>
        <testcase classname="deleteFailureJob" name="[deleteFailureJob.status-503] Documented response 503: Service Unavailable" time="N"/>
        <system-out>Deletion ledger: 1 DELETE request answered 2xx, 1 distinct job.
    deleted    ff808082686f229a0168707b9be9013f (project 0123456789abcdef0123456789abcdef) by deleteFailureJob.own-job (204)</system-out>
      </testsuite>
    </testsuites>
    "
  `);
});

test.for<[string, { given: CaseOutcome; want: string }]>([
  [
    'missing input',
    {
      given: otherProject,
      want: '<skipped message="missing-input: Needs a second identity in another project: supply --other-project-id with --other-token, or --other-ak/--other-sk."/>',
    },
  ],
  [
    'not provokable',
    {
      given: status404,
      want: '<skipped message="not-provokable: No case made https://sdrs.example.com answer 404, and it has no scenario control (Prefer: code=404)."/>',
    },
  ],
  [
    'a reason with markup, quotes and a line break',
    {
      given: { ...otherProject, skip: { category: 'safety-guard', reason: `Needs "2" jobs & <--allow-delete>\nthen 'retry'` } },
      want: '<skipped message="safety-guard: Needs &quot;2&quot; jobs &amp; &lt;--allow-delete&gt;&#10;then &apos;retry&apos;"/>',
    },
  ],
])('a skipped case carries its reason: %s', ([, { given, want }]) => {
  expect(junit([given])).toContain(want);
});

test('escaping: markup in a violation stays text, control characters cannot break the XML', () => {
  const xml = renderJunit(buildSummary(summaryInput()));
  expect(xml).not.toContain(SCRIPT);
  expect(xml).toContain('&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;');
  const controls = { ...otherProject, title: 'bell\u0007 nul\u0000 lone\uD800 ok\u00e9\u4e2d' };
  expect(renderJunit(buildSummary(summaryInput({ outcomes: [controls] })))).toContain('bell\uFFFD nul\uFFFD lone\uFFFD ok\u00e9\u4e2d');
});
