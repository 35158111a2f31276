import { acceptsJson } from './accept.ts';
import type { AuthDirectory } from './auth-directory.ts';
import { ERROR_TEMPLATES, errorBody, errorHeaders, type ErrorTemplate } from './error-responses.ts';
import { checkProxyAuthorization, PROXY_REALM, type ProxyAuth } from './proxy-auth.ts';
import type { RateLimiter } from './rate-limit.ts';
import { parseScenario, preferredStatus, SCENARIO_APPLIED_HEADER, SCENARIO_HEADER, type Fault } from './scenarios.ts';
import { JOB_ID_PATTERN } from './seed.ts';
import type { JobStore } from './store.ts';

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
  /** How the answer leaves the socket (X-Sdrs-Scenario); absent: at once and in full. */
  fault?: Fault;
}

export interface HandlerContext {
  store: JobStore;
  /** Who is calling; an interface rather than the class, so a mutant (server/mutants/) can wrap it. */
  auth: Pick<AuthDirectory, 'authenticate'>;
  now: () => Date;
  newRequestId: () => string;
  /** Honour `Prefer: code=NNN` and `X-Sdrs-Scenario`; off, the server behaves like production. */
  scenarios: boolean;
  /** Proxy-auth mode: every request is refused with 407 until Proxy-Authorization is right. */
  proxyAuth?: ProxyAuth | undefined;
  /** Gateway throttling (429, outside the doc's table); absent, nothing is throttled. */
  rateLimit?: RateLimiter | undefined;
}

/** The two routes, exported so server/mutants/ reads a request exactly as this handler does. */
export const ITEM_PATH = /^\/v1\/([^/]+)\/task-center\/failure-jobs\/([^/]+)$/;
export const COLLECTION_PATH = /^\/v1\/([^/]+)\/task-center\/failure-jobs$/;

/**
 * The reference SDRS task center. Order of decisions mirrors what stands in front of the real
 * service: the proxy (when in proxy-auth mode), then the gateway (route, method, authentication,
 * tenant, throttling), then the operation itself; content negotiation applies to what the service says.
 */
export function handleRequest(request: ServerRequest, ctx: HandlerContext): ServerResponse {
  const requestId = ctx.newRequestId();
  if (ctx.proxyAuth) {
    const verdict = checkProxyAuthorization(ctx.proxyAuth, request.headers['proxy-authorization']);
    if (!verdict.ok) {
      const why = verdict.why === 'missing' ? 'no Proxy-Authorization header' : 'Proxy-Authorization does not carry the credentials this proxy accepts';
      return error(407, requestId, { ...template(407), message: `${template(407).message}: ${why}` }, { 'proxy-authenticate': `Basic realm="${PROXY_REALM}"` });
    }
  }
  const scenario = ctx.scenarios ? parseScenario(request.headers[SCENARIO_HEADER]) : ({ kind: 'none' } as const);
  if (scenario.kind === 'invalid') {
    return error(400, requestId, { ...template(400), message: `${scenario.detail} (reference server scenario control; the request was not processed)` });
  }
  const response = negotiate(serve(request, ctx, requestId), request.headers.accept, requestId);
  if (scenario.kind === 'none') return response;
  return { ...response, headers: { ...response.headers, [SCENARIO_APPLIED_HEADER]: scenario.applied }, fault: scenario.fault };
}

function serve(request: ServerRequest, ctx: HandlerContext, requestId: string): ServerResponse {
  const path = request.url.split('?')[0] ?? '';
  const item = ITEM_PATH.exec(path);
  const collection = COLLECTION_PATH.exec(path);
  if (!item && !collection) return error(404, requestId, { shape: 'gateway', code: 'APIG.0101', message: 'The API does not exist or has not been published in the environment.' });

  const allowed = item ? 'DELETE' : 'GET';
  if (request.method !== allowed) return error(405, requestId, template(405), { allow: allowed });

  const now = ctx.now();
  const caller = ctx.auth.authenticate(request, now);
  if (!caller.ok) return error(401, requestId, { ...template(401), message: caller.message });

  const pathProject = decode((item ?? collection)?.[1] ?? '');
  if (pathProject !== caller.projectId) return error(403, requestId, template(403));

  if (ctx.rateLimit && !ctx.rateLimit.take(caller.projectId, now)) {
    return error(429, requestId, { ...template(429), message: `The throttling threshold has been reached: policy user over ratelimit,limit:${ctx.rateLimit.limit},time:1 minute` });
  }

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
  if (jobId === undefined || !JOB_ID_PATTERN.test(jobId)) return error(400, requestId, template(400));
  switch (ctx.store.delete(caller.projectId, jobId)) {
    case 'deleted':
      return noContent(requestId);
    case 'busy':
      return error(409, requestId, template(409));
    case 'not-found':
      return error(404, requestId, template(404));
  }
}

/** 406 when the answer would carry a body and Accept rules out JSON, the only type this server makes (RFC 9110 §15.5.7). */
function negotiate(response: ServerResponse, accept: string | string[] | undefined, requestId: string): ServerResponse {
  if (response.body === undefined || acceptsJson(accept)) return response;
  const received = (Array.isArray(accept) ? accept.join(', ') : accept ?? '').slice(0, 100);
  return error(406, requestId, { ...template(406), message: `${template(406).message}: Accept "${received}" excludes application/json; the answer would have been ${response.status}` });
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
  return { status, headers: { ...errorHeaders(requestId), ...extra }, body: errorBody(template, requestId) };
}

/** A documented response on demand; it says it was synthesised (Preference-Applied, RFC 7240, and the message). */
function synthesised(status: number, requestId: string, allowed: string): ServerResponse {
  const applied = { 'preference-applied': `code=${status}` };
  if (status === 204) return { status: 204, headers: { ...noContent(requestId).headers, ...applied } };
  const chosen = template(status);
  const extra: Record<string, string> = { ...applied };
  if (status === 405) extra.allow = allowed;
  if (status === 407) extra['proxy-authenticate'] = `Basic realm="${PROXY_REALM}"`;
  const outside = chosen.outsideDocTable ? `; ${chosen.outsideDocTable}` : '';
  return error(status, requestId, { ...chosen, message: `${chosen.message} (synthesised: Prefer code=${status}${outside})` }, extra);
}

function template(status: number): ErrorTemplate {
  return ERROR_TEMPLATES[status] as ErrorTemplate;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
