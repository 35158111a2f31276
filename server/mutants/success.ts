import type { Mutant } from './mutant-model.ts';
import { isList, mapResponse, rawNoContent, targetOf } from './toolkit.ts';

/**
 * The success answer: the delete's 204 — sdrs_05_0902 返回值 204; RFC 9110 §15.3.5 (no content), §8.6
 * (no Content-Length) — and the list's 200 with its FailureJobList body (sdrs-api-notes.md §7).
 */
/** The body a framework writes for a delete whose 204 it had already sent. */
const DROPPED_BODY = '{"result":"deleted"}';
/** Past the 20 ms that --fresh-connections watches a 204 for, inside the 100 ms a kept-alive connection rests after one. */
const LATE_BODY_MS = 60;

export const SUCCESS_MUTANTS: Mutant[] = [
  {
    name: 'success-200-empty',
    family: 'success',
    description: 'a successful delete answers 200 OK with an empty body instead of 204',
    handler: mapResponse((response) => (response.status === 204 ? { ...response, status: 200, body: '' } : response)),
  },
  {
    name: 'success-200-json',
    family: 'success',
    description: 'a successful delete answers 200 with the deleted id as JSON instead of 204',
    handler: mapResponse((response, request, ctx) =>
      response.status === 204
        ? {
            status: 200,
            headers: { ...response.headers, 'content-type': 'application/json' },
            body: JSON.stringify({ failure_job_id: targetOf(request, ctx).jobId ?? null }),
          }
        : response,
    ),
  },
  {
    name: 'success-202',
    family: 'success',
    description: 'a successful delete answers 202 Accepted (as if the delete were queued) instead of 204',
    handler: mapResponse((response) => (response.status === 204 ? { ...response, status: 202, body: '' } : response)),
  },
  {
    name: 'success-204-json-body',
    family: 'success',
    description: 'the 204 is followed on the wire by a JSON body (a framework that writes its result anyway)',
    wire: (response) => (response.status === 204 ? rawNoContent(response, { 'content-type': 'application/json' }, '{"result":"deleted"}') : undefined),
  },
  {
    name: 'success-204-chunked',
    family: 'success',
    description: 'the 204 is sent with Transfer-Encoding: chunked and a terminating zero-length chunk',
    wire: (response) => (response.status === 204 ? rawNoContent(response, { 'transfer-encoding': 'chunked' }, '0\r\n\r\n') : undefined),
  },
  {
    name: 'success-204-content-length',
    family: 'success',
    description: 'the 204 announces Content-Length: 2 (the length of the "{}" its framework dropped) with no body',
    wire: (response) => (response.status === 204 ? rawNoContent(response, { 'content-length': '2' }) : undefined),
  },
  {
    name: 'success-204-late-body',
    family: 'success',
    description: `a clean kept-alive 204, its JSON body following on the connection ${LATE_BODY_MS} ms later (a late flush)`,
    stray: (response) => (response.status === 204 ? { bytes: Buffer.from(DROPPED_BODY), when: { afterMs: LATE_BODY_MS } } : undefined),
  },
  {
    name: 'success-204-body-on-reuse',
    family: 'success',
    description: "a clean kept-alive 204, its JSON body written in front of the connection's next answer (flushed late)",
    stray: (response) => (response.status === 204 ? { bytes: Buffer.from(DROPPED_BODY), when: 'before-next-answer' } : undefined),
  },
  {
    name: 'list-count-string',
    family: 'success',
    description: 'the list answers 200 with count as a string ("4") instead of an integer',
    handler: mapResponse((response, request, ctx) => {
      if (response.status !== 200 || !isList(request, ctx)) return response;
      const list = JSON.parse(response.body ?? '{}') as { count?: number };
      return { ...response, body: JSON.stringify({ ...list, count: String(list.count) }) };
    }),
  },
];
