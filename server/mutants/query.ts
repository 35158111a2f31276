import type { Mutant } from './mutant-model.ts';
import { isList, mapResponse, queryOf, withoutQuery } from './toolkit.ts';

/** limit=N in range, as the faithful list reads it; anything else it refuses with SDRS.0221. */
const validLimit = (value: string) => /^[0-9]{1,4}$/.test(value) && Number(value) <= 1000;

/**
 * The list's paging parameters: limit 0–1000 (SDRS.0221) and offset ≥ 0 (SDRS.0222), a bad value
 * refused with 400 and the appendix's code (sdrs-api-notes.md §7; spec/sdrs-error-codes.json).
 */
export const QUERY_MUTANTS: Mutant[] = [
  {
    name: 'list-limit-unchecked',
    family: 'query',
    description: 'limit is never validated: -1, abc or 1001 answer 200 with the whole list instead of 400 SDRS.0221',
    handler: (faithful) => (request, ctx) => {
      const limit = queryOf(request).get('limit');
      return faithful(isList(request, ctx) && limit !== null && !validLimit(limit) ? withoutQuery(request, 'limit') : request, ctx);
    },
  },
  {
    name: 'list-limit-type-500',
    family: 'query',
    description: 'a limit that is not a number (limit=abc) throws in the parser: 500 instead of 400 SDRS.0221',
    handler: (faithful) => (request, ctx) => {
      const limit = queryOf(request).get('limit');
      if (isList(request, ctx) && limit !== null && !/^-?[0-9]+$/.test(limit))
        throw new Error(`mutant: Integer.parseInt failed on limit ${JSON.stringify(limit.slice(0, 40))}`);
      return faithful(request, ctx);
    },
  },
  {
    name: 'list-offset-negative-slices',
    family: 'query',
    description: 'offset goes unchecked into slice(): -1 answers 200 with the last job, abc with all, instead of 400',
    handler: (faithful) => (request, ctx) => {
      const offset = queryOf(request).get('offset');
      if (!isList(request, ctx) || offset === null || /^[0-9]+$/.test(offset)) return faithful(request, ctx);
      const response = faithful(withoutQuery(request, 'offset'), ctx);
      if (response.status !== 200) return response;
      const list = JSON.parse(response.body ?? '{}') as { failure_jobs: unknown[]; count: number };
      return { ...response, body: JSON.stringify({ ...list, failure_jobs: list.failure_jobs.slice(Number(offset) || 0) }) };
    },
  },
  {
    name: 'list-limit-500-sdrs-0221',
    family: 'query',
    description: "a bad limit answers 500 with SDRS.0221, the appendix's code for a 400 (validation mapped to 500)",
    handler: mapResponse((response, request, ctx) =>
      response.status === 400 && isList(request, ctx) && response.body?.includes('"SDRS.0221"') ? { ...response, status: 500 } : response,
    ),
  },
];
