import { createHash } from 'node:crypto';
import { applyCredential, type Credential } from '../auth/credentials.ts';
import type { JobRef } from '../cases/case-model.ts';
import type { ExchangeRequest } from '../http/exchange.ts';
import type { IdentityRef } from '../spec/operation-tables.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import type { RunConfig } from './run-config.ts';

export interface AssignedJobs {
  victim: string | undefined;
  guard: string | undefined;
}

export const USER_AGENT = 'sdrs-conformance/0.1.0';

/** An IAM-token-shaped value no IAM issued (real tokens start with MII). */
export function invalidToken(seed: number): string {
  return `MIIinvalid${createHash('sha256').update(`invalid token ${seed}`).digest('hex').slice(0, 40)}`;
}

/** `unknownId`: the run's "well-formed but unknown" id, of the target's shape (lib/plan/job-id-shape.ts). */
export function resolveJobId(job: JobRef, jobs: AssignedJobs, unknownId: string): string | undefined {
  switch (job.kind) {
    case 'victim':
      return jobs.victim;
    case 'guard':
      // Without jobs it may delete, a request that must be refused aims at an id that names nothing:
      // a conformant server still refuses it, and a broken one cannot delete anything.
      return jobs.guard ?? unknownId;
    case 'unknown':
      return unknownId;
    case 'literal':
      return job.id;
  }
}

export function credentialFor(identity: IdentityRef, config: RunConfig): Credential | undefined {
  switch (identity) {
    case 'primary':
      return config.primary.credential;
    case 'none':
      return { kind: 'none' };
    case 'invalid-token':
      return { kind: 'token', token: invalidToken(config.seed) };
    case 'other':
      return config.other?.credential;
  }
}

/** Fills the path template; path parameters are percent-encoded so odd ids reach the server intact. */
export function operationUrl(baseUrl: string, operation: OperationModel, params: Record<string, string>): string {
  const path = operation.pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  return baseUrl.replace(/\/+$/, '') + path;
}

export function buildRequest(method: string, url: string, credential: Credential, now: Date, extraHeaders: Record<string, string> = {}): ExchangeRequest {
  const base = { method, url, headers: { accept: 'application/json', 'user-agent': USER_AGENT, ...extraHeaders } };
  return { ...base, headers: applyCredential(base, credential, now) };
}
