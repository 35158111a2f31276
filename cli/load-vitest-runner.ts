import { ConformanceError } from '../lib/errors.ts';
import type { runSuites } from './run-suites.ts';

/** The packages only `--runner vitest` needs: optional peers, so a plain install leaves them out (package.json). */
const VITEST_STACK = ['vitest', 'allure-vitest'] as const;

/**
 * The vitest runner, loaded only when asked for. An install without its stack gets one line that says
 * what to add, not Node's module-resolution error.
 */
export async function loadVitestRunner(): Promise<typeof runSuites> {
  try {
    return (await import('./run-suites.ts')).runSuites;
  } catch (error) {
    const missing = missingPackage(error);
    if (!missing) throw error;
    throw new ConformanceError(
      'CFG_USAGE',
      `--runner vitest needs ${VITEST_STACK.join(' and ')}, and this install has no ${missing}: add them beside sdrs-conformance (npm install vitest@^4.1.12 allure-vitest@^3.12.2), or leave out --runner for the default direct runner (same cases, checks and reports)`,
    );
  }
}

function missingPackage(error: unknown): string | undefined {
  if ((error as { code?: string })?.code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  const message = String((error as Error).message);
  return VITEST_STACK.find((name) => message.includes(`'${name}'`) || message.includes(`'${name}/`));
}
