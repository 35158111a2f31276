import { createHash } from 'node:crypto';
import type { Seed } from '../seed.ts';
import { errorAnswer, fromOperation, mapResponse, requestIdOf, targetOf } from '../mutants/toolkit.ts';
import type { Variant } from './variant-model.ts';

/**
 * The seed with every job id rewritten by `to` (unique by construction of the callers). The doc gives
 * no id format (sdrs-api-notes.md §6): list job ids are 32-char strings, other OTC ids are not hex.
 */
function renameJobs(to: (id: string) => string) {
  return (seed: Seed): Seed => ({ projects: seed.projects.map((p) => ({ ...p, jobs: p.jobs.map((job) => ({ ...job, job_id: to(job.job_id) })) })) });
}

/**
 * A server that validates the id's shape before the lookup, as the real service does (sdrs-api-notes.md
 * §1.1, §6): an id of another shape is 400 SDRS.0201 (invalid request parameters), after the gateway;
 * an id of its own shape that names no job is 404. Only the faithful 404 of the operation is re-read:
 * an id of another shape never names a job here, so the faithful handler has just said 404 for it.
 */
function shapedIds(name: string, description: string, shape: RegExp, to: (id: string) => string): Variant {
  return {
    name,
    description,
    runFlags: [],
    seed: renameJobs(to),
    handler: mapResponse((response, request, ctx) =>
      fromOperation(request, response, 404, ctx) && !shape.test(targetOf(request, ctx).jobId ?? '') ? errorAnswer(400, requestIdOf(response)) : response,
    ),
  };
}

const digest = (id: string) => createHash('sha256').update(id).digest();

export const IDS_VARIANTS: Variant[] = [
  shapedIds(
    'job-ids-hex32',
    'job ids are 32 lowercase hex (as the list example, ff808082…); an unknown id of another shape (a UUID) → 400 SDRS.0201, of its shape → 404',
    /^[0-9a-f]{32}$/,
    (id) => digest(id).toString('hex').slice(0, 32),
  ),
  shapedIds(
    'job-ids-base36',
    'job ids are 20 lowercase base-36 characters; an unknown id of another shape → 400 SDRS.0201, of its shape → 404',
    /^[0-9a-z]{20}$/,
    (id) =>
      BigInt(`0x${digest(id).toString('hex')}`)
        .toString(36)
        .slice(0, 20),
  ),
];
