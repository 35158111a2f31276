/**
 * The conformance suite. Generated at collection time from spec/ (the OpenAPI transcription and the
 * operation tables): one test per case, never a hand-written test per status. Adding a documented
 * status or operation to the spec adds cases here. Run it with `sdrs-conformance run --runner vitest`.
 * The engine runs the whole plan once (its phases need every case: status cases are judged from the
 * others' answers); each test then reports its case's outcome.
 */
import { AssertionError } from 'node:assert';
import { describe, inject, test } from 'vitest';
import { formatViolations } from '../lib/run/format-violations.ts';
import { runEngine } from '../lib/run/run-engine.ts';
import { describeCase, recordOutcome } from '../reporters/allure-case.ts';

const config = inject('sdrsRun');
const run = await runEngine(config);
const outcomes = new Map(run.outcomes.map((o) => [o.caseId, o]));

for (const operationId of [...new Set(run.plan.cases.map((p) => p.operation.operationId))]) {
  describe.sequential(operationId, () => {
    for (const planned of run.plan.cases.filter((p) => p.operation.operationId === operationId)) {
      const testCase = planned.case;
      test(`[${testCase.id}] ${testCase.title}`, async (ctx) => {
        await describeCase(testCase, { profile: config.profile, docUrl: planned.operation.docUrl, endpointClass: config.endpointClass });
        const outcome = outcomes.get(testCase.id);
        if (!outcome) return ctx.skip('not run');
        ctx.task.meta.sdrs = outcome;
        await recordOutcome(outcome);
        if (outcome.status === 'skipped') ctx.skip(outcome.skip?.reason);
        if (outcome.status === 'broken') throw new Error(`transport error: ${outcome.transportError}`);
        // An AssertionError is what Allure files under "failed" (a contract violation); other errors are "broken".
        if (outcome.status === 'failed') throw new AssertionError({ message: formatViolations(outcome.violations) });
      });
    }
  });
}
