/**
 * The conformance suite. Generated at collection time from spec/ (the OpenAPI transcription and the
 * expectation table): one test per case, never a hand-written test per status. Adding a documented
 * status or operation to the spec adds cases here. Run it with `sdrs-conformance run`, not directly.
 */
import { AssertionError } from 'node:assert';
import { beforeAll, describe, inject, test } from 'vitest';
import { RunSession } from '../lib/run/session.ts';
import { formatViolations } from '../lib/run/format-violations.ts';
import { describeCase, recordOutcome } from '../reporters/allure-case.ts';

const config = inject('sdrsRun');
const session = await RunSession.create(config);

beforeAll(() => session.prepare());

for (const plan of session.plans) {
  describe.sequential(plan.operation.operationId, () => {
    for (const testCase of plan.cases) {
      test(`[${testCase.id}] ${testCase.title}`, async (ctx) => {
        await describeCase(testCase, { profile: config.profile, docUrl: plan.operation.docUrl, endpointClass: config.endpointClass });
        const outcome = await session.execute(testCase, ctx.signal);
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
