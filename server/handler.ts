import { acceptsJson } from './accept.ts';
import type { AuthDirectory } from './auth-directory.ts';
import { ERROR_TEMPLATES, errorResponse as error, noContentResponse, type ErrorTemplate } from './error-responses.ts';
import { adapterFor } from './operations/index.ts';
import { checkProxyAuthorization, PROXY_REALM, type ProxyAuth } from './proxy-auth.ts';
import type { RateLimiter } from './rate-limit.ts';
import { parseScenario, preferredStatus, SCENARIO_APPLIED_HEADER, SCENARIO_HEADER, type Fault } from './scenarios.ts';
import { operationFor, type RouteOperation, type RouteTable } from './routes.ts';
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
  /** The spec's paths and operations (server/routes.ts); server/mutants/ reads a request with it too. */
  routes: RouteTable;
}

/** The path parameter the gateway matches to the credentials' project (every SDRS path has one). */
const PROJECT_PARAM = 'project_id';

/**
 * The reference SDRS task center. Order of decisions mirrors what stands in front of the real
 * service: the proxy (when in proxy-auth mode), then the gateway (route, method, authentication,
 * tenant, throttling), then the operation itself (server/operations/, by the operationId the spec
 * routes the method and path to); content negotiation applies to what the service says.
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
  const [path = '', query = ''] = splitUrl(request.url);
  const match = ctx.routes.match(path);
  if (!match)
    return error(404, requestId, { shape: 'gateway', code: 'APIG.0101', message: 'The API does not exist or has not been published in the environment.' });

  const { allow } = match.route;
  const operation = operationFor(match.route, request.method);
  if (!operation) return error(405, requestId, template(405), { allow });

  const now = ctx.now();
  const caller = ctx.auth.authenticate(request, now);
  if (!caller.ok) return error(401, requestId, { ...template(401), message: caller.message });

  if (PROJECT_PARAM in match.params && match.params[PROJECT_PARAM] !== caller.projectId) return error(403, requestId, template(403));

  if (ctx.rateLimit && !ctx.rateLimit.take(caller.projectId, now)) {
    return error(429, requestId, {
      ...template(429),
      message: `The throttling threshold has been reached: policy user over ratelimit,limit:${ctx.rateLimit.limit},time:1 minute`,
    });
  }

  const adapter = adapterFor(operation.operationId);
  if (ctx.scenarios) {
    const preferred = preferredStatus(request.headers.prefer);
    // A success status is the operation's own: synthesised only where the spec documents it (204 on a list is ignored).
    if (preferred !== undefined && (preferred >= 300 || operation.statuses.includes(preferred))) {
      return synthesised(preferred, requestId, allow, adapter?.errors?.[preferred] ?? template(preferred));
    }
  }

  if (!adapter) return unimplemented(operation, requestId);
  return adapter.handle({ projectId: caller.projectId, params: match.params, query: new URLSearchParams(query), store: ctx.store, requestId });
}

/** The path and the query string, as received. */
function splitUrl(url: string): [string, string] {
  const at = url.indexOf('?');
  return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at + 1)];
}

/** The spec routes the request to an operation this server has no handler for: it says so rather than guess (501). */
function unimplemented(operation: RouteOperation, requestId: string): ServerResponse {
  return error(501, requestId, {
    ...template(501),
    message: `${template(501).message}: the reference server has no handler for ${operation.operationId}, which the spec routes here`,
  });
}

/** 406 when the answer would carry a body and Accept rules out JSON, the only type this server makes (RFC 9110 §15.5.7). */
function negotiate(response: ServerResponse, accept: string | string[] | undefined, requestId: string): ServerResponse {
  if (response.body === undefined || acceptsJson(accept)) return response;
  const received = (Array.isArray(accept) ? accept.join(', ') : (accept ?? '')).slice(0, 100);
  return error(406, requestId, {
    ...template(406),
    message: `${template(406).message}: Accept "${received}" excludes application/json; the answer would have been ${response.status}`,
  });
}

/** A documented response on demand; it says it was synthesised (Preference-Applied, RFC 7240, and the message). */
function synthesised(status: number, requestId: string, allow: string, chosen: ErrorTemplate): ServerResponse {
  const applied = { 'preference-applied': `code=${status}` };
  if (status === 204) return { status: 204, headers: { ...noContentResponse(requestId).headers, ...applied } };
  const extra: Record<string, string> = { ...applied };
  if (status === 405) extra.allow = allow;
  if (status === 407) extra['proxy-authenticate'] = `Basic realm="${PROXY_REALM}"`;
  const outside = chosen.outsideDocTable ? `; ${chosen.outsideDocTable}` : '';
  return error(status, requestId, { ...chosen, message: `${chosen.message} (synthesised: Prefer code=${status}${outside})` }, extra);
}

function template(status: number): ErrorTemplate {
  return ERROR_TEMPLATES[status] as ErrorTemplate;
}
