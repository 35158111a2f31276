import type { AuthResult } from '../auth-directory.ts';
import { ERROR_TEMPLATES, errorBody, errorHeaders, type ErrorTemplate } from '../error-responses.ts';
import { COLLECTION_PATH, ITEM_PATH, type HandlerContext, type ServerRequest, type ServerResponse } from '../handler.ts';
import { JOB_ID_PATTERN, type Seed } from '../seed.ts';
import type { FailureJobStore, JobStore } from '../store.ts';
import { head } from '../wire-format.ts';
import type { Handle } from './mutant-model.ts';

/** What a request addresses, read with the faithful handler's own routes. */
export interface Target {
  route: 'item' | 'collection' | 'other';
  /** The path segments as received (percent-encoded) … */
  rawProject: string;
  rawJob: string;
  /** … and decoded; undefined when not decodable. */
  project: string | undefined;
  jobId: string | undefined;
}

export function targetOf(request: ServerRequest): Target {
  const path = request.url.split('?')[0] ?? '';
  const item = ITEM_PATH.exec(path);
  const collection = COLLECTION_PATH.exec(path);
  const rawProject = (item ?? collection)?.[1] ?? '';
  const rawJob = item?.[2] ?? '';
  return { route: item ? 'item' : collection ? 'collection' : 'other', rawProject, rawJob, project: decode(rawProject), jobId: item ? decode(rawJob) : undefined };
}

/** A DELETE of one job: the operation under test. */
const isJobDelete = (request: ServerRequest) => request.method === 'DELETE' && targetOf(request).route === 'item';

/** An id the faithful handler refuses as malformed (400 SDRS.0201) before any lookup. */
export const malformedId = (target: Target) => target.route === 'item' && target.jobId !== 'batch' && (target.jobId === undefined || !JOB_ID_PATTERN.test(target.jobId));

/** Scenario control made this answer (Prefer: code=NNN); mutants of the operation leave it alone. */
export const synthesised = (response: ServerResponse) => 'preference-applied' in response.headers;

/** The operation itself answered a DELETE of one job — not the gateway in front of it, not scenario control. */
export function fromOperation(request: ServerRequest, response: ServerResponse, status: number): boolean {
  if (!isJobDelete(request) || synthesised(response) || response.status !== status) return false;
  // The only 400 the operation makes is the malformed id; a bad X-Sdrs-Scenario is refused before it.
  return status !== 400 || malformedId(targetOf(request));
}

export const template = (status: number) => ERROR_TEMPLATES[status] as ErrorTemplate;

export function errorAnswer(status: number, requestId: string, chosen: ErrorTemplate = template(status), extra: Record<string, string> = {}): ServerResponse {
  return { status, headers: { ...errorHeaders(requestId), ...extra }, body: errorBody(chosen, requestId) };
}

export const requestIdOf = (response: ServerResponse) => response.headers['x-request-id'] ?? '';

/** The faithful 204, as the faithful handler makes it. */
export const noContent = (response: ServerResponse): ServerResponse => ({ status: 204, headers: { 'x-request-id': requestIdOf(response) } });

/** Rewrites the faithful answer. */
export const mapResponse =
  (map: (response: ServerResponse, request: ServerRequest, ctx: HandlerContext) => ServerResponse) =>
  (faithful: Handle): Handle =>
  (request, ctx) =>
    map(faithful(request, ctx), request, ctx);

/** The faithful handler behind another authentication step, given what the real one decided. */
export const mapAuth =
  (decide: (real: AuthResult, request: ServerRequest) => AuthResult) =>
  (faithful: Handle): Handle =>
  (request, ctx) =>
    faithful(request, { ...ctx, auth: { authenticate: (r, now) => decide(ctx.auth.authenticate(r, now), request) } });

/** The faithful handler over a store whose delete does something else (the operation's effect on state). */
export const mapDelete =
  (remove: (store: JobStore, projectId: string, jobId: string, seed: Seed) => ReturnType<FailureJobStore['delete']>) =>
  (faithful: Handle, seed: Seed): Handle =>
  (request, ctx) =>
    faithful(request, { ...ctx, store: { list: (p) => ctx.store.list(p), deleteAll: (p) => ctx.store.deleteAll(p), delete: (p, id) => remove(ctx.store, p, id, seed) } });

/** What a delete would answer, without deleting. */
export function probe(store: JobStore, projectId: string, jobId: string): ReturnType<FailureJobStore['delete']> {
  const job = store.list(projectId).find((j) => j.job_id === jobId);
  return !job ? 'not-found' : job.busy ? 'busy' : 'deleted';
}

/**
 * A bug in the operation: a DELETE of a job matching `when` throws where the lookup would run — after
 * the gateway and scenario control, as in a real service — so the socket layer answers its 500 and
 * nothing is deleted. A malformed id never reaches the lookup, so for it the crash comes first.
 */
export const crashInOperation =
  (why: string, when: (target: Target) => boolean) =>
  (faithful: Handle): Handle =>
  (request, ctx) => {
    const target = targetOf(request);
    if (!isJobDelete(request) || !when(target)) return faithful(request, ctx);
    const crash = (): never => {
      throw new Error(`mutant: ${why} (job id ${JSON.stringify(target.rawJob.slice(0, 80))})`);
    };
    const response = faithful(request, { ...ctx, store: { list: (p) => ctx.store.list(p), deleteAll: (p) => ctx.store.deleteAll(p), delete: crash } });
    return fromOperation(request, response, 400) ? crash() : response;
  };

/** Raw bytes of a 204 the way a broken server or proxy frames it: the head, then `after` verbatim. */
export function rawNoContent(response: ServerResponse, extraHeaders: Record<string, string>, after = ''): Buffer {
  const headers = { ...response.headers, date: new Date().toUTCString(), connection: 'close', ...extraHeaders };
  return Buffer.from(`${head(204, headers)}\r\n${after}`, 'latin1');
}

/** The project's own id from a path, for mutants that let a caller act as it. */
export const pathProject = (request: ServerRequest) => targetOf(request).project ?? '';

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
