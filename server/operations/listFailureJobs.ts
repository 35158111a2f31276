import { appendixError } from '../appendix.ts';
import { errorResponse } from '../error-responses.ts';
import type { FailureJob } from '../seed.ts';
import type { OperationAdapter } from './operation-model.ts';

/**
 * A paging parameter as the spec declares it (listFailureJobs: limit integer 0–1000, default 1000;
 * offset integer ≥ 0, default 0) and the appendix code for a bad value (SDRS.0221, SDRS.0222).
 */
interface PagingParameter {
  name: 'limit' | 'offset';
  code: string;
  max: number;
  fallback: number;
}

const LIMIT: PagingParameter = { name: 'limit', code: 'SDRS.0221', max: 1000, fallback: 1000 };
const OFFSET: PagingParameter = { name: 'offset', code: 'SDRS.0222', max: Number.MAX_SAFE_INTEGER, fallback: 0 };

/** Filters the list applies as exact matches on the job's field of the same name (sdrs-api-notes.md §7). */
const FILTERS = ['failure_status', 'resource_type', 'resource_name'] as const satisfies readonly (keyof FailureJob)[];

/**
 * GET …/failure-jobs (查询失败任务列表, sdrs-api-notes.md §7): the caller's project's failed tasks,
 * filtered, then the page `offset`…`offset+limit`; `count` is how many match, whatever the page
 * (an offset past the end is an empty page, not an error). The server-only `busy` flag is never
 * listed. `server_group_id` is accepted and not applied: the seed models no protection groups.
 */
export const listFailureJobs: OperationAdapter = {
  handle({ projectId, query, store, requestId }) {
    const limit = paging(query, LIMIT);
    if (!limit.ok) return refusal(limit, requestId);
    const offset = paging(query, OFFSET);
    if (!offset.ok) return refusal(offset, requestId);
    const matching = store
      .list(projectId)
      .filter((job) => FILTERS.every((field) => !query.has(field) || job[field] === query.get(field)))
      .map(({ busy: _busy, ...job }) => job);
    const page = matching.slice(offset.value, offset.value + limit.value);
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ failure_jobs: page, count: matching.length }),
    };
  },
  // Scenario control can make the list answer 404 or 409 too; the shared wording speaks of one job.
  errors: {
    404: {
      shape: 'sdrs',
      code: 'SDRS.9404',
      message: "The project's task center was not found (no SDRS code is documented for this; SDRS.9404 is the reference server's placeholder)",
    },
    409: { shape: 'sdrs', code: 'SDRS.9409', message: "The project's task center is busy (placeholder code)" },
  },
};

type Parsed = { ok: true; value: number } | { ok: false; code: string; received: string };

/** 400 with the appendix's code and message for the parameter, and what was received. */
function refusal(bad: Extract<Parsed, { ok: false }>, requestId: string) {
  const { status, template } = appendixError(bad.code);
  return errorResponse(status, requestId, { ...template, message: `${template.message} (${bad.received})` });
}

/** A non-negative decimal integer within the declared range, given at most once. */
function paging(query: URLSearchParams, parameter: PagingParameter): Parsed {
  const values = query.getAll(parameter.name);
  if (values.length === 0) return { ok: true, value: parameter.fallback };
  const [value = ''] = values;
  const received = `${parameter.name}=${JSON.stringify(value.slice(0, 40))}${values.length > 1 ? ` given ${values.length} times` : ''}`;
  const n = /^[0-9]{1,16}$/.test(value) ? Number(value) : Number.NaN;
  return values.length === 1 && n <= parameter.max ? { ok: true, value: n } : { ok: false, code: parameter.code, received };
}
