import type { RunConfig } from '../lib/run/run-config.ts';
import type { CaseOutcome } from '../lib/run/case-outcome.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    sdrsRun: RunConfig;
  }
  export interface TaskMeta {
    sdrs?: CaseOutcome;
  }
}
