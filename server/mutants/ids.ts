import type { Mutant } from './mutant-model.ts';
import { crashInOperation, errorAnswer, fromOperation, malformedId, mapResponse, noContent, requestIdOf, targetOf } from './toolkit.ts';

/** Unknown, deleted and malformed ids: 404 for a job that is not there (RFC 9110 §9.3.5), 400/404 for a malformed one. */
export const IDS_MUTANTS: Mutant[] = [
  {
    name: 'unknown-id-204',
    family: 'ids',
    description: 'deleting a job that does not exist answers 204 ("idempotent delete") instead of 404',
    handler: mapResponse((response, request, ctx) => (fromOperation(request, response, 404, ctx) ? noContent(response) : response)),
  },
  {
    name: 'deleted-again-204',
    family: 'ids',
    description: 'a job this server deleted before answers 204 again (a soft-delete tombstone) instead of 404',
    handler: (faithful) => {
      const deleted = new Set<string>();
      return (request, ctx) => {
        const response = faithful(request, ctx);
        const { rawProject, jobId } = targetOf(request, ctx);
        const key = `${rawProject}/${jobId}`;
        if (fromOperation(request, response, 204, ctx)) deleted.add(key);
        return fromOperation(request, response, 404, ctx) && deleted.has(key) ? noContent(response) : response;
      };
    },
  },
  {
    name: 'unknown-id-500',
    family: 'ids',
    description: 'the lookup throws when no job has the id: 500 instead of 404',
    handler: mapResponse((response, request, ctx) => {
      if (fromOperation(request, response, 404, ctx)) throw new Error('mutant: the job lookup found nothing and did not expect that');
      return response;
    }),
  },
  {
    name: 'unknown-id-400',
    family: 'ids',
    description: 'a well-formed id that names no job gets 400 SDRS.0201 instead of 404',
    handler: mapResponse((response, request, ctx) => (fromOperation(request, response, 404, ctx) ? errorAnswer(400, requestIdOf(response)) : response)),
  },
  {
    name: 'invalid-id-500',
    family: 'ids',
    description: 'ids are not validated: a malformed id reaches the database and the query fails with 500',
    handler: crashInOperation('the query failed on a malformed job id', malformedId),
  },
  {
    name: 'invalid-id-204',
    family: 'ids',
    description: 'a malformed id answers 204 (nothing matched, so "deleted") instead of 400 or 404',
    handler: mapResponse((response, request, ctx) => (fromOperation(request, response, 400, ctx) ? noContent(response) : response)),
  },
];
