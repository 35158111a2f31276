import type { HandlerContext, ServerRequest, ServerResponse } from '../handler.ts';
import type { Mutant } from './mutant-model.ts';
import { completeResponse } from '../wire-format.ts';
import type { Handle } from './mutant-model.ts';
import { errorAnswer, mapResponse, requestIdOf, synthesised, targetOf, template } from './toolkit.ts';

/** Another method on the job's path: 405 with Allow listing DELETE (sdrs_05_0902 返回值 405; RFC 9110 §15.5.6). */
const wrongMethod = (request: ServerRequest, response: ServerResponse, ctx: HandlerContext) =>
  response.status === 405 && !synthesised(response) && request.method !== 'DELETE' && targetOf(request, ctx).route === 'item';

/** Another method on the list's path: 405 with Allow listing GET. */
const wrongMethodOnList = (request: ServerRequest, response: ServerResponse, ctx: HandlerContext) =>
  response.status === 405 && !synthesised(response) && targetOf(request, ctx).route === 'collection';

const ROUTE_NOT_FOUND = { shape: 'gateway', code: 'APIG.0101', message: 'The API does not exist or has not been published in the environment.' } as const;

type WrongMethod = (request: ServerRequest, response: ServerResponse, ctx: HandlerContext) => boolean;

/** The 405 a wrong method gets becomes the gateway's 404 APIG.0101 (route not found). */
const routeNotFoundWhen = (wrong: WrongMethod) =>
  mapResponse((response, request, ctx) => (wrong(request, response, ctx) ? errorAnswer(404, requestIdOf(response), ROUTE_NOT_FOUND) : response));

/** The 405 a wrong method gets loses its Allow header. */
const withoutAllowWhen = (wrong: WrongMethod) =>
  mapResponse((response, request, ctx) => {
    if (!wrong(request, response, ctx)) return response;
    const { allow: _allow, ...headers } = response.headers;
    return { ...response, headers };
  });

/** A method on a job's path that the server routes to the delete: `when` says which methods. */
const deletesOn =
  (when: (method: string) => boolean) =>
  (faithful: Handle): Handle =>
  (request, ctx) =>
    faithful(targetOf(request, ctx).route === 'item' && when(request.method) ? { ...request, method: 'DELETE' } : request, ctx);

/** The methods a server of this API knows of; anything else is an extension (RFC 9110 §9.1). */
const KNOWN = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** The 405 for another method on the job's path advertises `allow` instead of DELETE alone. */
const advertising = (allow: string) =>
  mapResponse((response, request, ctx) => (wrongMethod(request, response, ctx) ? { ...response, headers: { ...response.headers, allow } } : response));

/**
 * Methods other than the documented one (RFC 9110 §9: GET, HEAD, OPTIONS and TRACE are safe, an
 * unrecognised method gets 501 or 405; §10.2.1 Allow; OWASP API5:2023, function-level authorisation).
 */
export const METHODS_MUTANTS: Mutant[] = [
  {
    name: 'wrong-method-404',
    family: 'methods',
    description: 'another method on a job answers 404 APIG.0101 (route not found) instead of 405',
    handler: routeNotFoundWhen(wrongMethod),
  },
  {
    name: 'wrong-method-no-allow',
    family: 'methods',
    description: 'the 405 for another method carries no Allow header',
    handler: withoutAllowWhen(wrongMethod),
  },
  {
    name: 'wrong-method-allow-collection',
    family: 'methods',
    description: "the 405 lists the collection's methods (Allow: GET) instead of the job's DELETE",
    handler: mapResponse((response, request, ctx) =>
      wrongMethod(request, response, ctx) ? { ...response, headers: { ...response.headers, allow: 'GET' } } : response,
    ),
  },
  {
    name: 'get-returns-job',
    family: 'methods',
    description: 'GET on a job is implemented and answers 200 with the job instead of 405',
    handler: (faithful) => (request, ctx) => {
      const target = targetOf(request, ctx);
      if (request.method !== 'GET' || target.route !== 'item') return faithful(request, ctx);
      const listed = faithful({ ...request, url: `/v1/${target.rawProject}/task-center/failure-jobs` }, ctx);
      if (listed.status !== 200) return listed;
      const job = (JSON.parse(listed.body ?? '{}') as { failure_jobs: Array<{ job_id: string }> }).failure_jobs.find((j) => j.job_id === target.jobId);
      return job ? { ...listed, body: JSON.stringify(job) } : errorAnswer(404, requestIdOf(listed), template(404));
    },
  },
  {
    name: 'any-method-deletes',
    family: 'methods',
    description: 'the method is not checked: GET, PUT, POST or PATCH on a job deletes it like DELETE',
    handler: (faithful) => (request, ctx) => faithful(targetOf(request, ctx).route === 'item' ? { ...request, method: 'DELETE' } : request, ctx),
  },
  {
    name: 'list-wrong-method-404',
    family: 'methods',
    description: 'PUT, POST or PATCH on the list answers 404 APIG.0101 (route not found) instead of 405',
    handler: routeNotFoundWhen(wrongMethodOnList),
  },
  {
    name: 'list-wrong-method-no-allow',
    family: 'methods',
    description: 'the 405 for another method on the list carries no Allow header',
    handler: withoutAllowWhen(wrongMethodOnList),
  },
  {
    name: 'methods-head-deletes',
    family: 'methods',
    description: 'HEAD on a job deletes it and answers 204: HEAD routed like DELETE, though it must be safe (RFC 9110 §9.3.2)',
    handler: deletesOn((method) => method === 'HEAD'),
  },
  {
    name: 'methods-options-deletes',
    family: 'methods',
    description: 'OPTIONS on a job deletes it and answers 204 (a CORS preflight would delete)',
    handler: deletesOn((method) => method === 'OPTIONS'),
  },
  {
    name: 'methods-extension-deletes',
    family: 'methods',
    description: 'a method the server does not know (PURGE) falls through to the delete handler instead of 501 or 405',
    handler: deletesOn((method) => !KNOWN.has(method)),
  },
  {
    name: 'methods-allow-advertises-get',
    family: 'methods',
    description: 'the 405 on a job advertises Allow: DELETE, GET while GET itself answers 405',
    handler: advertising('DELETE, GET'),
  },
  {
    name: 'methods-allow-everything',
    family: 'methods',
    description: "the 405 on a job advertises a framework's default Allow: GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH",
    handler: advertising('GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH'),
  },
  {
    name: 'methods-head-body',
    family: 'methods',
    description: 'the 405 to HEAD carries its JSON body on the wire (a framework that writes the body whatever the method)',
    wire: (response, method) =>
      method === 'HEAD' && response.body !== undefined
        ? completeResponse({ status: response.status, headers: response.headers, body: response.body }, new Date())
        : undefined,
  },
];
