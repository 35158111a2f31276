import AllureVitestReporter from 'allure-vitest/reporter';
import type { RunnerTask } from 'vitest';
import { CATEGORIES } from './allure-categories.ts';

interface AllureRunInfo {
  resultsDir: string;
  /** Allure's environment widget: endpoint (no credentials), profile, spec digest, versions. */
  environment: Record<string, string>;
}

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
