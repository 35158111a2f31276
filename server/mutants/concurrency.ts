import type { ServerResponse } from '../handler.ts';
import type { Handle, Mutant } from './mutant-model.ts';
import { errorAnswer, requestIdOf, targetOf } from './toolkit.ts';

/**
 * How long a delete takes to commit in these mutants. Another DELETE of the same job that arrives
 * meanwhile read the job before the commit — check-then-act (RFC 9110 §9.2.2: identical requests of an
 * idempotent method have the effect of one). Long enough that requests sent at the same moment all
 * fall inside it on a loaded machine; a sequential second delete, sent after the first answer, never does.
 */
const COMMIT_MS = 1000;

/** The faithful delete, slowed by its commit; `loser` is what a DELETE of the same job gets while that commit runs. */
const checkThenAct =
  (loser: (response: ServerResponse, remainingMs: number) => ServerResponse) =>
  (faithful: Handle): Handle => {
    const committing = new Map<string, number>();
    return (request, ctx) => {
      const target = targetOf(request, ctx);
      const response = faithful(request, ctx);
      if (target.operationId !== 'deleteFailureJob') return response;
      const key = `${target.project}\n${target.jobId}`;
      const now = Date.now();
      if (response.status === 204) {
        committing.set(key, now + COMMIT_MS);
        return { ...response, fault: { latencyMs: COMMIT_MS, ending: 'complete' } };
      }
      const until = committing.get(key) ?? 0;
      return response.status === 404 && now < until ? loser(response, until - now) : response;
    };
  };

const after = (remainingMs: number) => ({ latencyMs: remainingMs, ending: 'complete' as const });

export const CONCURRENCY_MUTANTS: Mutant[] = [
  {
    name: 'concurrency-check-then-act',
    family: 'concurrency',
    description: 'check-then-act: DELETEs of one job sent at the same moment all find it and all answer 204 (a later one gets 404)',
    handler: checkThenAct((response, remainingMs) => ({ status: 204, headers: { 'x-request-id': requestIdOf(response) }, fault: after(remainingMs) })),
  },
  {
    name: 'concurrency-loser-500',
    family: 'concurrency',
    description: 'a DELETE of a job whose delete is still committing fails on the lock: 500 instead of 404',
    handler: checkThenAct((response, remainingMs) => ({ ...errorAnswer(500, requestIdOf(response)), fault: after(remainingMs) })),
  },
  {
    name: 'concurrency-loser-400',
    family: 'concurrency',
    description: 'a DELETE of a job whose delete is still committing sees it "being deleted": 400 SDRS.0201 instead of 404',
    handler: checkThenAct((response, remainingMs) => ({ ...errorAnswer(400, requestIdOf(response)), fault: after(remainingMs) })),
  },
];
