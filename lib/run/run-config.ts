import type { Identity } from '../auth/credentials.ts';
import type { Shard } from '../cases/shard.ts';
import type { HttpOptions } from '../http/http-options.ts';

/** Everything a run needs, resolved by the CLI; serialisable, because vitest hands it to the suite worker. */
export interface RunConfig {
  /** Without userinfo: credentials in a URL are never sent, and never shown. */
  baseUrl: string;
  /** Userinfo `--endpoint` was given with: not sent, but scrubbed from everything like a credential. */
  endpointSecrets?: string[];
  /** 'bundled' = the reference server this process started; anything else is treated as production. */
  endpointClass: 'bundled' | 'external';
  specFile: string;
  /** The operation tables (spec/operations): what the suite knows of each operation, as data. */
  operationsDir: string;
  profile: string;
  primary: Identity;
  other: Identity | undefined;
  /** Jobs this run may delete, in order: the first is the victim, the second the guard. */
  deletableJobs: string[];
  /** Find deletable jobs with the list operation (only where deletion is allowed). */
  discover: boolean;
  /** The target honours `Prefer: code=NNN` (the reference server). */
  scenarioControl: boolean;
  /** Fixed seed: derives the unknown job id and anything else generated. */
  seed: number;
  /** Negative inputs: how many generated requests, from which fast-check seed (printed, to replay). */
  fuzz: { runs: number; seed: number };
  /** Requests in flight at once (cases, and the negative inputs within their case). */
  concurrency: number;
  /**
   * `--isolate-methods`: each method of the sweep goes out only once the guard read after the one before
   * it came back, so a vanished guard names one method; absent/false: the next method goes out alongside
   * that read (a round trip less per method), and a vanished guard names the two.
   */
  isolateMethods?: boolean | undefined;
  /** DELETEs of the victim sent at the same moment (within `concurrency`); absent: DEFAULT_CONCURRENT_DELETES. */
  concurrentDeletes?: number | undefined;
  /** Run only this shard's cases (`--shard i/n`); `merge` combines the shards. */
  shard?: Shard | undefined;
  http: HttpOptions;
  /** Throttling and a dead target (lib/execute/sender.ts); absent: the defaults there. */
  pace?: Pace | undefined;
  /** `-H 'Name: value'`: sent with every request (gateway routing, tracing); a case's own headers and the credential win. */
  headers?: Record<string, string> | undefined;
  /** `--only`/`--rerun-failed`: run these cases and what they follow; undefined: every case. */
  only?: string[] | undefined;
}

export interface Pace {
  /** Sends again after a throttle (429, 503 with Retry-After), at most this many times per request. Default 3. */
  maxRetries: number;
  /** Request starts per second at most (`--rate-limit N/s`); undefined: no limit. */
  ratePerSecond: number | undefined;
  /** Consecutive transport failures after which the target counts as unresponsive and the run stops sending; 0: never. Default 5. */
  maxTransportErrors: number;
}

/** A race needs two; three make a check-then-act window likelier to show without costing a job. */
export const DEFAULT_CONCURRENT_DELETES = 3;

/** Jobs a run's cases consume at most: the victim (deleted) and the guard (must survive). */
export const JOBS_NEEDED = 2;
