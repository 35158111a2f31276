import AllureVitestReporter from 'allure-vitest/reporter';
import type { RunnerTask } from 'vitest';

export interface AllureRunInfo {
  resultsDir: string;
  /** Allure's environment widget: endpoint (no credentials), profile, spec digest, versions. */
  environment: Record<string, string>;
}

/** Failures sorted by cause; used by the reporter (categories.json) and the Allure 3 config (its report reads only that). */
export const CATEGORIES = [
  { name: 'Contract violation', matchedStatuses: ['failed'], messageRegex: '^\\[' },
  { name: 'Transport / environment error', matchedStatuses: ['failed', 'broken'], messageRegex: '^transport error.*' },
  { name: 'Not provokable on this target', matchedStatuses: ['skipped'], messageRegex: '^No case made .*' },
  { name: 'Held back by the safety guard', matchedStatuses: ['skipped'], messageRegex: '^Needs \\d+ jobs this run may delete.*' },
];

/**
 * allure-vitest plus what a sign-off report needs: a skipped case keeps its reason (allure-vitest
 * drops vitest's skip note), and categories sort failures by cause.
 */
export class SdrsAllureReporter extends AllureVitestReporter {
  private current: RunnerTask | undefined;

  constructor(info: AllureRunInfo) {
    super({
      resultsDir: info.resultsDir,
      environmentInfo: info.environment,
      categories: CATEGORIES as never,
      listeners: [
        {
          beforeTestResultWrite: (result) => {
            const outcome = this.current?.meta.sdrs;
            if (outcome?.status === 'skipped' && outcome.skip) result.statusDetails = { message: outcome.skip.reason };
          },
        },
      ],
    });
  }

  override handleTask(task: RunnerTask): void {
    this.current = task;
    super.handleTask(task);
  }
}
