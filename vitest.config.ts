import { defineConfig } from 'vitest/config';

/** The project's own tests (npm test). The conformance suites run through the CLI, not this config. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ when bin/ would refuse it (the tests spawn bin/), and fails the run if a test left
    // artefacts in the repository.
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // An unhandled rejection anywhere fails the run loudly.
    dangerouslyIgnoreUnhandledErrors: false,
    outputFile: { junit: 'test-output/junit.xml' },
    // JUnit for CI dashboards of the project's own tests.
    reporters: ['default', 'junit'],
  },
});
