import { secretsOf } from '../auth/credentials.ts';
import { createScrubber, userinfoSecrets, type Scrubber } from '../auth/scrubber.ts';
import type { RunConfig } from './run-config.ts';

/**
 * The scrubber of one run, from its config alone (the vitest runner rebuilds it in its worker):
 * both identities' credentials, the userinfo the endpoint was given with, and the proxy's.
 */
export function scrubberFor(config: Pick<RunConfig, 'primary' | 'other' | 'endpointSecrets' | 'http'>): Scrubber {
  return createScrubber([...secretsOf([config.primary, config.other]), ...(config.endpointSecrets ?? []), ...userinfoSecrets(config.http.proxy)]);
}
