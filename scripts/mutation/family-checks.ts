import type { CheckId } from '../../lib/checks/check-model.ts';
import type { MutantFamily } from '../../server/mutants/index.ts';

/**
 * Which checks are *about* each family: a mutant counts as caught by its family only when a failing
 * case names one of these. The list says what a check is for, not whatever happened to fail — a
 * mutant caught only from outside its family shows that the family's own checks are blind to it.
 * It lives with the matrix, not the server: the reference server knows nothing of the client's checks.
 */
export const FAMILY_CHECKS = {
  success: ['status-documented', 'status-expected', 'no-content-body', 'success-body-schema', 'http-framing'],
  // Who may act decides first: every refused identity gets its status whatever the id; a refusal never deletes.
  authn: ['status-documented', 'status-expected', 'state-guard-kept'],
  bola: ['status-documented', 'status-expected', 'state-tenant-intact', 'state-guard-kept'],
  ids: ['status-documented', 'status-expected'],
  // The list's limit/offset: a bad value is a 400 carrying the appendix's code for that parameter.
  query: ['status-documented', 'status-expected', 'error-code-status', 'error-body-schema'],
  'error-bodies': ['error-media-type', 'error-body-schema', 'error-code-status'],
  methods: ['status-documented', 'status-expected', 'allow-header', 'allow-consistent', 'http-framing', 'state-guard-kept'],
  // Requests of one job sent at the same moment: one success, the others find the job gone.
  concurrency: ['delete-once', 'status-expected'],
  misconfig: ['status-documented', 'status-expected'],
  state: ['state-job-removed', 'state-jobs-kept', 'state-tenant-intact', 'state-guard-kept', 'status-expected'],
  // Unusual input gets a documented refusal (never a 5xx) and, with a body, a valid one.
  robustness: ['status-documented', 'status-expected', 'error-body-schema', 'error-media-type', 'http-framing'],
} as const satisfies Record<MutantFamily, readonly CheckId[]>;

export function isFamilyCheck(family: MutantFamily, checkId: CheckId): boolean {
  return (FAMILY_CHECKS[family] as readonly CheckId[]).includes(checkId);
}
