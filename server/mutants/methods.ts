import type { HandlerContext, ServerRequest, ServerResponse } from '../handler.ts';
import type { Mutant } from './mutant-model.ts';
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
];
