import type { Handle } from '../mutants/mutant-model.ts';
import type { ServerResponse } from '../handler.ts';
import type { Seed } from '../seed.ts';

/**
 * A faithful variant of the reference server: a *correct* server that differs from it only where the
 * document or the gateway leaves room (id format, the public gateway's answers, extra error fields,
 * throttling, paging, latency, framing). The suite must call every one CONFORMANT: a variant it fails
 * is a false positive (issue 13, "never fail a correct server"). It reuses the mutant machinery — it
 * wraps the faithful handler — and says how a client must run against it. Names are public (the
 * matrix, `serve --list-variants`): never rename one.
 */
export interface Variant {
  name: string;
  /** One line: what differs from the reference server, and what allows it. */
  description: string;
  /** What `sdrs-conformance run` needs beyond endpoint, identities, --discover and --allow-delete (a profile, say). */
  runFlags: readonly string[];
  /** Called once per server, so a variant may keep state (a request counter, jobs that appear). */
  handler?: (faithful: Handle, seed: Seed) => Handle;
  /** The seed as this server holds it (another id format, say); pure, so the banner can show the same jobs. */
  seed?: (seed: Seed) => Seed;
  /** The whole answer as raw bytes, as for a mutant (server/mutants/mutant-model.ts). */
  wire?: (response: ServerResponse) => Buffer | undefined;
}
