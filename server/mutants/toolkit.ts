import type { AuthResult } from '../auth-directory.ts';
import { ERROR_TEMPLATES, errorBody, errorHeaders, type ErrorTemplate } from '../error-responses.ts';
import type { HandlerContext, ServerRequest, ServerResponse } from '../handler.ts';
import { operationFor } from '../routes.ts';
import { JOB_ID_PATTERN, type Seed } from '../seed.ts';
import type { FailureJobStore, JobStore } from '../store.ts';
import { head } from '../wire-format.ts';
import type { Handle } from './mutant-model.ts';

/** What a request addresses, read with the faithful handler's own routes (ctx.routes, from the spec). */
export interface Target {
  /** The path of deleteFailureJob, of listFailureJobs, or any other (published or not). */
  route: 'item' | 'collection' | 'other';
  /** The operation the method reaches on that path; undefined when none does (405, 404). */
  operationId: string | undefined;
  /** The path segments as received (percent-encoded) … */
  rawProject: string;
  rawJob: string;
  /** … and decoded; undefined when not decodable. */
  project: string | undefined;
  jobId: string | undefined;
}

/** Which route and operation a request reaches; `ctx` carries the faithful handler's route table. */
export function targetOf(request: ServerRequest, ctx: Pick<HandlerContext, 'routes'>): Target {
  const match = ctx.routes.match(request.url.split('?')[0] ?? '');
  const onPath = Object.values(match?.route.operations ?? {}).map((op) => op.operationId);
  const route = onPath.includes('deleteFailureJob') ? 'item' : onPath.includes('listFailureJobs') ? 'collection' : 'other';
  const rawProject = match?.raw.project_id ?? '';
  const rawJob = route === 'item' ? (match?.raw.failure_job_id ?? '') : '';
  return {
    route,
    operationId: match ? operationFor(match.route, request.method)?.operationId : undefined,
    rawProject,
    rawJob,
    project: match?.params.project_id,
    jobId: route === 'item' ? match?.params.failure_job_id : undefined,
  };
}

/** A DELETE of one job: the operation under test. */
const isJobDelete = (request: ServerRequest, ctx: Pick<HandlerContext, 'routes'>) => targetOf(request, ctx).operationId === 'deleteFailureJob';

/** A GET of the list: the second contract operation. */
export const isList = (request: ServerRequest, ctx: Pick<HandlerContext, 'routes'>) => targetOf(request, ctx).operationId === 'listFailureJobs';

/** An id the faithful handler refuses as malformed (400 SDRS.0201) before any lookup. */
export const malformedId = (target: Target) => target.route === 'item' && (target.jobId === undefined || !JOB_ID_PATTERN.test(target.jobId));

/** Scenario control made this answer (Prefer: code=NNN); mutants of the operation leave it alone. */
export const synthesised = (response: ServerResponse) => 'preference-applied' in response.headers;

/** The operation itself answered a DELETE of one job — not the gateway in front of it, not scenario control. */
export function fromOperation(request: ServerRequest, response: ServerResponse, status: number, ctx: Pick<HandlerContext, 'routes'>): boolean {
  if (!isJobDelete(request, ctx) || synthesised(response) || response.status !== status) return false;
  // The only 400 the operation makes is the malformed id; a bad X-Sdrs-Scenario is refused before it.
  return status !== 400 || malformedId(targetOf(request, ctx));
}

export const template = (status: number) => ERROR_TEMPLATES[status] as ErrorTemplate;

/** Who calls, as the gateway would decide: no valid credentials, another project's, or the path project's own. */
function callerOf(request: ServerRequest, ctx: HandlerContext): 'refused' | 'foreign' | 'own' {
  const caller = ctx.auth.authenticate(request, ctx.now());
  if (!caller.ok) return 'refused';
  const { project } = targetOf(request, ctx);
  return project !== undefined && caller.projectId !== project ? 'foreign' : 'own';
}

/** What a DELETE of one job names, seen without deleting; undefined for any other request. */
function idOf(request: ServerRequest, ctx: HandlerContext): 'malformed' | 'unknown' | 'job' | undefined {
  const target = targetOf(request, ctx);
  if (target.operationId !== 'deleteFailureJob') return undefined;
  if (malformedId(target)) return 'malformed';
  return probe(ctx.store, target.project ?? '', target.jobId ?? '') === 'not-found' ? 'unknown' : 'job';
}

/**
 * The service looks at the id before the gateway has refused the caller: for that caller and that kind
 * of id it answers `status` (what it found out about the id) instead of the refusal.
 */
export const idBeforeRefusal =
  (caller: 'refused' | 'foreign', id: 'malformed' | 'unknown', status: number) =>
  (faithful: Handle): Handle =>
  (request, ctx) =>
    callerOf(request, ctx) === caller && idOf(request, ctx) === id ? errorAnswer(status, ctx.newRequestId()) : faithful(request, ctx);

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
  (decide: (real: AuthResult, request: ServerRequest, ctx: HandlerContext) => AuthResult) =>
  (faithful: Handle): Handle =>
  (request, ctx) =>
    faithful(request, { ...ctx, auth: { authenticate: (r, now) => decide(ctx.auth.authenticate(r, now), request, ctx) } });

/** The faithful handler over a store whose delete does something else (the operation's effect on state). */
export const mapDelete =
  (remove: (store: JobStore, projectId: string, jobId: string, seed: Seed) => ReturnType<FailureJobStore['delete']>) =>
  (faithful: Handle, seed: Seed): Handle =>
  (request, ctx) =>
    faithful(request, {
      ...ctx,
      store: { list: (p) => ctx.store.list(p), deleteAll: (p) => ctx.store.deleteAll(p), delete: (p, id) => remove(ctx.store, p, id, seed) },
    });

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
    const target = targetOf(request, ctx);
    if (!isJobDelete(request, ctx) || !when(target)) return faithful(request, ctx);
    const crash = (): never => {
      throw new Error(`mutant: ${why} (job id ${JSON.stringify(target.rawJob.slice(0, 80))})`);
    };
    const response = faithful(request, { ...ctx, store: { list: (p) => ctx.store.list(p), deleteAll: (p) => ctx.store.deleteAll(p), delete: crash } });
    return fromOperation(request, response, 400, ctx) ? crash() : response;
  };

/** Raw bytes of a 204 the way a broken server or proxy frames it: the head, then `after` verbatim. */
export function rawNoContent(response: ServerResponse, extraHeaders: Record<string, string>, after = ''): Buffer {
  const headers = { ...response.headers, date: new Date().toUTCString(), connection: 'close', ...extraHeaders };
  return Buffer.from(`${head(204, headers)}\r\n${after}`, 'latin1');
}

/** The request's query parameters. */
export const queryOf = (request: ServerRequest) => new URLSearchParams(request.url.split('?')[1] ?? '');

/** The same request without one query parameter, as a server that never read it would see it. */
export function withoutQuery(request: ServerRequest, name: string): ServerRequest {
  const [path = ''] = request.url.split('?');
  const query = queryOf(request);
  query.delete(name);
  const rest = query.toString();
  return { ...request, url: rest ? `${path}?${rest}` : path };
}

/** The project's own id from a path, for mutants that let a caller act as it. */
export const pathProject = (request: ServerRequest, ctx: Pick<HandlerContext, 'routes'>) => targetOf(request, ctx).project ?? '';
