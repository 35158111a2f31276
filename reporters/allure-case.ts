import * as allure from 'allure-js-commons';
import type { ConformanceCase } from '../lib/cases/case-model.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';
import { caseLabels, caseLinks, exchangeEvidence, notesAttachment, violationsAttachment, type CaseContext } from './allure-evidence.ts';

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
    await allure.step(evidence.title, async () => {
      for (const a of evidence.attachments) await allure.attachment(a.name, a.content, a.type);
    });
  }
  for (const extra of [violationsAttachment(outcome), notesAttachment(outcome)]) {
    if (extra) await allure.attachment(extra.name, extra.content, extra.type);
  }
}
