import type { CheckId } from '../../lib/checks/check-model.ts';
import type { HandlerContext, ServerRequest, ServerResponse } from '../handler.ts';
import type { Seed } from '../seed.ts';

/**
 * Where a real regression of "Delete a failed task" comes from. Ids are public (the matrix, `serve
 * --list-mutants`, reports): never rename one.
 */
export type MutantFamily = 'success' | 'auth-tenant' | 'ids' | 'error-bodies' | 'methods' | 'state' | 'robustness';

/** The pure handler's shape: the faithful `handleRequest`, or a mutant wrapped around it. */
export type Handle = (request: ServerRequest, ctx: HandlerContext) => ServerResponse;

/**
 * A variant of the reference server that breaks the contract in exactly one way. It is data plus
 * the breakage: how it wraps the faithful handler (request → response) and, for what no
 * ServerResponse can say (bytes after a 204, framing), the bytes the delivery layer writes instead.
 */
export interface Mutant {
  name: string;
  family: MutantFamily;
  /** One line: what is broken, in the words a bug report would use. */
  description: string;
  /** Called once per server, so a mutant may keep state (remembered deletions, say). */
  handler?: (faithful: Handle, seed: Seed) => Handle;
  /** The whole answer as raw bytes, written instead of what Node would send; the connection closes after them. */
  wire?: (response: ServerResponse) => Buffer | undefined;
}

/**
 * Which checks are *about* each family: a mutant counts as caught by its family only when a failing
 * case names one of these. The list says what a check is for, not whatever happened to fail — a
 * mutant caught only from outside its family shows that the family's own checks are blind to it.
 */
export const FAMILY_CHECKS = {
  success: ['status-documented', 'status-expected', 'no-content-body', 'http-framing'],
  'auth-tenant': ['status-documented', 'status-expected', 'state-tenant-intact'],
  ids: ['status-documented', 'status-expected'],
  'error-bodies': ['error-media-type', 'error-body-schema', 'error-code-status'],
  methods: ['status-documented', 'status-expected', 'allow-header'],
  state: ['state-job-removed', 'state-jobs-kept', 'state-tenant-intact', 'status-expected'],
  // Issue 4 §3: unusual input gets a documented refusal (never a 5xx) and, with a body, a valid one.
  robustness: ['status-documented', 'status-expected', 'error-body-schema', 'error-media-type', 'http-framing'],
} as const satisfies Record<MutantFamily, readonly CheckId[]>;

export const FAMILIES = Object.keys(FAMILY_CHECKS) as MutantFamily[];

export function isFamilyCheck(family: MutantFamily, checkId: CheckId): boolean {
  return (FAMILY_CHECKS[family] as readonly CheckId[]).includes(checkId);
}
