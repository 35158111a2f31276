import type { AuthDirectory } from './auth-directory.ts';
import { ERROR_TEMPLATES, errorBody, type ErrorTemplate } from './error-responses.ts';
import { preferredStatus } from './scenarios.ts';
import type { FailureJobStore } from './store.ts';

export interface ServerRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface ServerResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export interface HandlerContext {
  store: FailureJobStore;
  auth: AuthDirectory;
  now: () => Date;
  newRequestId: () => string;
  /** Honour `Prefer: code=NNN`; off, the server behaves like production. */
  scenarios: boolean;
}

/** Job ids the reference server accepts as well formed: what the list ever returns (UUIDs, 32-char ids). */
const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ITEM = /^\/v1\/([^/]+)\/task-center\/failure-jobs\/([^/]+)$/;
const COLLECTION = /^\/v1\/([^/]+)\/task-center\/failure-jobs$/;

/**
 * The reference SDRS task center. Order of decisions mirrors the gateway in front of the real
 * service: route, method, authentication, tenant, then the operation itself.
 */
export function handleRequest(request: ServerRequest, ctx: HandlerContext): ServerResponse {
  const requestId = ctx.newRequestId();
  const path = request.url.split('?')[0] ?? '';
  const item = ITEM.exec(path);
  const collection = COLLECTION.exec(path);
  if (!item && !collection) return error(404, requestId, { shape: 'gateway', code: 'APIG.0101', message: 'The API does not exist or has not been published in the environment.' });

  const allowed = item ? 'DELETE' : 'GET';
  if (request.method !== allowed) return error(405, requestId, ERROR_TEMPLATES[405] as ErrorTemplate, { allow: allowed });

  const caller = ctx.auth.authenticate(request, ctx.now());
  if (!caller.ok) return error(401, requestId, { ...(ERROR_TEMPLATES[401] as ErrorTemplate), message: caller.message });

  const pathProject = decode((item ?? collection)?.[1] ?? '');
  if (pathProject !== caller.projectId) return error(403, requestId, ERROR_TEMPLATES[403] as ErrorTemplate);

  if (ctx.scenarios) {
    const preferred = preferredStatus(request.headers.prefer);
    if (preferred !== undefined) return synthesised(preferred, requestId, allowed);
  }

  if (collection) return listJobs(ctx, caller.projectId, requestId);
  const jobId = decode(item?.[2] ?? '');
  if (jobId === 'batch') {
    ctx.store.deleteAll(caller.projectId);
    return noContent(requestId);
  }
  if (jobId === undefined || !JOB_ID.test(jobId)) return error(400, requestId, ERROR_TEMPLATES[400] as ErrorTemplate);
  switch (ctx.store.delete(caller.projectId, jobId)) {
    case 'deleted':
      return noContent(requestId);
    case 'busy':
      return error(409, requestId, ERROR_TEMPLATES[409] as ErrorTemplate);
    case 'not-found':
      return error(404, requestId, ERROR_TEMPLATES[404] as ErrorTemplate);
  }
}

function listJobs(ctx: HandlerContext, projectId: string, requestId: string): ServerResponse {
  const failureJobs = ctx.store.list(projectId).map(({ busy: _busy, ...job }) => job);
  return { status: 200, headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify({ failure_jobs: failureJobs, count: failureJobs.length }) };
}

/** 204 No Content: no body, no Content-Type, no Content-Length (RFC 9110 §8.6, §15.3.5). */
function noContent(requestId: string): ServerResponse {
  return { status: 204, headers: { 'x-request-id': requestId } };
}

function error(status: number, requestId: string, template: ErrorTemplate, extra: Record<string, string> = {}): ServerResponse {
  return { status, headers: { 'content-type': 'application/json;charset=UTF-8', 'x-request-id': requestId, ...extra }, body: errorBody(template, requestId) };
}

/** A documented response on demand; it says it was synthesised (Preference-Applied, RFC 7240, and the message). */
function synthesised(status: number, requestId: string, allowed: string): ServerResponse {
  const applied = { 'preference-applied': `code=${status}` };
  if (status === 204) return { ...noContent(requestId), headers: { ...noContent(requestId).headers, ...applied } };
  const template = ERROR_TEMPLATES[status] as ErrorTemplate;
  const extra: Record<string, string> = { ...applied };
  if (status === 405) extra.allow = allowed;
  if (status === 407) extra['proxy-authenticate'] = 'Basic realm="sdrs-reference"';
  return error(status, requestId, { ...template, message: `${template.message} (synthesised: Prefer code=${status})` }, extra);
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
