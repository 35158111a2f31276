import { expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';

/**
 * bin/ runs the bundle `npm ci` builds (dist/) while it is fresh, and the TypeScript sources otherwise:
 * both must behave the same. SDRS_CONFORMANCE_FROM_SOURCE=1 forces the sources.
 */
test('the bundled CLI and the sources print the same help and reach the same verdict on every case', async () => {
  const fromSource = { env: { SDRS_CONFORMANCE_FROM_SOURCE: '1' } };
  const [helpBundle, helpSource] = await Promise.all([runCli(['--help']), runCli(['--help'], fromSource)]);
  expect(helpBundle.stdout).toBe(helpSource.stdout);
  const caseLines = (out: string) => out.split('\n').filter((l) => /^(PASS|FAIL|SKIP|ERR )/.test(l));
  const [bundled, source] = await Promise.all([runCli(['run', '--results-dir', '/tmp/sdrs-bundle-a', '--summary-dir', '/tmp/sdrs-bundle-a']), runCli(['run', '--results-dir', '/tmp/sdrs-bundle-b', '--summary-dir', '/tmp/sdrs-bundle-b'], fromSource)]);
  expect(bundled.code).toBe(0);
  expect(caseLines(bundled.stdout)).toEqual(caseLines(source.stdout));
});
