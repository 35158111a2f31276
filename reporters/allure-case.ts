import { AssertionError } from 'node:assert';
import * as allure from 'allure-js-commons';
import type { ConformanceCase } from '../lib/cases/case-model.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import { caseLabels, caseLinks, exchangeEvidence, notesAttachment, violationsAttachment, type CaseContext } from './allure-evidence.ts';

/** What a step's body throws so Allure shows it failed (an AssertionError) or broken (any other error). */
const STEP_FAILURE: Record<CaseOutcome['status'], (() => Error) | undefined> = {
  failed: () => new AssertionError({ message: 'the case failed' }),
  broken: () => new Error('the case broke'),
  passed: undefined,
  skipped: undefined,
};

/** The vitest runner's side: labels and evidence written from inside the test (allure-vitest's runtime API). */
export async function describeCase(testCase: ConformanceCase, context: CaseContext): Promise<void> {
  await allure.historyId(testCase.id);
  await allure.testCaseId(testCase.id);
  await allure.labels(...caseLabels(testCase, context));
  await allure.links(...caseLinks(context));
}

export async function recordOutcome(outcome: CaseOutcome): Promise<void> {
  for (const exchange of outcome.exchanges) {
    const evidence = exchangeEvidence(exchange);
    // The step follows its case (as the direct runner's): the runtime API sets a step's status only from what its body throws.
    const stepFailure = STEP_FAILURE[outcome.status];
    try {
      await allure.step(evidence.title, async () => {
        for (const a of evidence.attachments) await allure.attachment(a.name, a.content, a.type);
        if (stepFailure) throw stepFailure();
      });
    } catch (error) {
      if (!stepFailure) throw error;
    }
  }
  for (const extra of [violationsAttachment(outcome), notesAttachment(outcome)]) {
    if (extra) await allure.attachment(extra.name, extra.content, extra.type);
  }
}
