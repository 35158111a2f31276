import { secretsOf } from '../auth/credentials.ts';
import { isCredentialHeader } from '../auth/redact.ts';
import { createScrubber, userinfoSecrets, type Scrubber } from '../auth/scrubber.ts';
import type { RunConfig } from './run-config.ts';

/**
 * The scrubber of one run, from its config alone (the vitest runner rebuilds it in its worker):
 * both identities' credentials, the userinfo the endpoint was given with, and the proxy's.
 */
export function scrubberFor(config: Pick<RunConfig, 'primary' | 'other' | 'endpointSecrets' | 'http' | 'headers'>): Scrubber {
  return createScrubber([
    ...secretsOf([config.primary, config.other]),
    ...(config.endpointSecrets ?? []),
    ...userinfoSecrets(config.http.proxy),
    ...headerSecrets(config.headers),
  ]);
}

/** Values of `-H` headers whose name says they are a credential (an API key for the gateway, a session cookie). */
function headerSecrets(headers: Record<string, string> | undefined): string[] {
  return Object.entries(headers ?? {}).flatMap(([name, value]) => (isCredentialHeader(name) ? [value] : []));
}
