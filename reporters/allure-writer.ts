import { Stage, Status } from 'allure-js-commons';
import { ReporterRuntime } from 'allure-js-commons/sdk/reporter';
import type { ConformanceCase } from '../lib/cases/case-model.ts';
import type { CaseOutcome, CaseStatus } from '../lib/run/case-outcome.ts';
import {
  caseLabels,
  caseLinks,
  caseTitle,
  exchangeEvidence,
  notesAttachment,
  statusMessage,
  violationsAttachment,
  type CaseContext,
} from './allure-evidence.ts';
import { CATEGORIES } from './allure-categories.ts';
import { ResultsWriter } from './results-writer.ts';

const ALLURE_STATUS: Record<CaseStatus, Status> = { passed: Status.PASSED, failed: Status.FAILED, skipped: Status.SKIPPED, broken: Status.BROKEN };
/** A request's step is red when its case failed or broke; a skipped case's requests (a list read) went through. */
const STEP_STATUS: Record<CaseStatus, Status> = { ...ALLURE_STATUS, skipped: Status.PASSED };

/**
 * The direct runner's side: Allure results written with allure-js-commons (the library under
 * allure-vitest), from the same evidence functions, so both runners' reports read the same.
 */
export class AllureResultsWriter {
  private readonly runtime: ReporterRuntime;
  private readonly files: ResultsWriter;

  constructor(resultsDir: string, environment: Record<string, string>) {
    this.files = new ResultsWriter(resultsDir);
    this.runtime = new ReporterRuntime({ writer: this.files, environmentInfo: environment, categories: CATEGORIES as never });
    this.runtime.writeEnvironmentInfo();
    this.runtime.writeCategoriesDefinitions();
  }

  write(testCase: ConformanceCase, outcome: CaseOutcome, context: CaseContext, startedAt: number): void {
    const name = caseTitle(testCase);
    const uuid = this.runtime.startTest({
      name,
      fullName: `${testCase.operationId} ${name}`,
      historyId: testCase.id,
      testCaseId: testCase.id,
      labels: [{ name: 'parentSuite', value: testCase.operationId }, ...caseLabels(testCase, context)],
      links: caseLinks(context),
      start: startedAt,
    });
    for (const exchange of outcome.exchanges) {
      const evidence = exchangeEvidence(exchange);
      // The step follows its case: a request whose case failed is not shown green.
      const step = this.runtime.startStep(uuid, undefined, {
        name: evidence.title,
        status: STEP_STATUS[outcome.status],
        stage: Stage.FINISHED,
        start: exchange.timings.startedAt,
      });
      for (const a of evidence.attachments) this.runtime.writeAttachment(uuid, step, a.name, Buffer.from(a.content), { contentType: a.type });
      if (step) this.runtime.stopStep(step, { stop: exchange.timings.startedAt + exchange.timings.durationMs });
    }
    for (const extra of [violationsAttachment(outcome), notesAttachment(outcome)]) {
      if (extra) this.runtime.writeAttachment(uuid, undefined, extra.name, Buffer.from(extra.content), { contentType: extra.type });
    }
    const message = statusMessage(outcome);
    this.runtime.updateTest(uuid, (result) => {
      result.status = ALLURE_STATUS[outcome.status];
      result.stage = outcome.status === 'skipped' ? Stage.PENDING : Stage.FINISHED;
      if (message) result.statusDetails = { message };
    });
    this.runtime.stopTest(uuid, { stop: startedAt + outcome.durationMs });
    this.runtime.writeTest(uuid);
  }

  /** Every result and attachment written (they go out at once). */
  flush(): Promise<void> {
    return this.files.flush();
  }
}
