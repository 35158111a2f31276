import type { ServerRequest, ServerResponse } from '../handler.ts';
import type { Mutant } from './mutant-model.ts';
import { errorAnswer, mapResponse, requestIdOf, synthesised, targetOf, template } from './toolkit.ts';

/** Another method on the job's path: 405 with Allow listing DELETE (sdrs_05_0902 返回值 405; RFC 9110 §15.5.6). */
const wrongMethod = (request: ServerRequest, response: ServerResponse) =>
  response.status === 405 && !synthesised(response) && request.method !== 'DELETE' && targetOf(request).route === 'item';

export const METHODS_MUTANTS: Mutant[] = [
  {
    name: 'wrong-method-404',
    family: 'methods',
    description: 'another method on a job answers 404 APIG.0101 (route not found) instead of 405',
    handler: mapResponse((response, request) =>
      wrongMethod(request, response) ? errorAnswer(404, requestIdOf(response), { shape: 'gateway', code: 'APIG.0101', message: 'The API does not exist or has not been published in the environment.' }) : response,
    ),
  },
  {
    name: 'wrong-method-no-allow',
    family: 'methods',
    description: 'the 405 for another method carries no Allow header',
    handler: mapResponse((response, request) => {
      if (!wrongMethod(request, response)) return response;
      const { allow: _allow, ...headers } = response.headers;
      return { ...response, headers };
    }),
  },
  {
    name: 'wrong-method-allow-collection',
    family: 'methods',
    description: "the 405 lists the collection's methods (Allow: GET) instead of the job's DELETE",
    handler: mapResponse((response, request) => (wrongMethod(request, response) ? { ...response, headers: { ...response.headers, allow: 'GET' } } : response)),
  },
  {
    name: 'get-returns-job',
    family: 'methods',
    description: 'GET on a job is implemented and answers 200 with the job instead of 405',
    handler: (faithful) => (request, ctx) => {
      const target = targetOf(request);
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
    handler: (faithful) => (request, ctx) => faithful(targetOf(request).route === 'item' ? { ...request, method: 'DELETE' } : request, ctx),
  },
];
