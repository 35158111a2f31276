import type { Mutant } from './mutant-model.ts';
import { errorAnswer, idBeforeRefusal, isList, mapAuth, mapResponse, pathProject, requestIdOf, synthesised, targetOf, template } from './toolkit.ts';

/**
 * Broken object-level authorisation (OWASP API1:2023; RFC 9110 §15.5.4): another project's valid
 * credentials get 403 on this project's jobs — for an existing, an unknown and a malformed id alike,
 * so a foreign caller learns nothing of which ids exist.
 */
export const BOLA_MUTANTS: Mutant[] = [
  {
    name: 'tenant-foreign-token-accepted',
    family: 'bola',
    description: "another project's valid token acts on this project's jobs (tenant isolation missing)",
    handler: mapAuth((real, request, ctx) => (real.ok ? { ok: true, projectId: pathProject(request, ctx) } : real)),
  },
  {
    name: 'tenant-path-project-ignored',
    family: 'bola',
    description: "the project in the path is ignored: the caller's own project is used, so 403 is never sent",
    handler: (faithful) => (request, ctx) => {
      const caller = ctx.auth.authenticate(request, ctx.now());
      const { route, rawProject } = targetOf(request, ctx);
      if (!caller.ok || route === 'other') return faithful(request, ctx);
      return faithful({ ...request, url: request.url.replace(`/v1/${rawProject}/`, `/v1/${encodeURIComponent(caller.projectId)}/`) }, ctx);
    },
  },
  {
    name: 'tenant-foreign-401',
    family: 'bola',
    description: "another project's credentials get 401 Unauthorized (with its APIG.0301 body) instead of 403",
    handler: mapResponse((response) =>
      response.status === 403 && !synthesised(response)
        ? errorAnswer(401, requestIdOf(response), {
            ...template(401),
            message: 'Incorrect IAM authentication information: the token is not valid for this project',
          })
        : response,
    ),
  },
  {
    name: 'list-foreign-token-reads',
    family: 'bola',
    description: "another project's valid token reads this project's list: object-level authorisation missing (OWASP API1)",
    handler: mapAuth((real, request, ctx) => (real.ok && isList(request, ctx) ? { ok: true, projectId: pathProject(request, ctx) } : real)),
  },
  {
    name: 'bola-existence-oracle',
    family: 'bola',
    description: "another project's credentials get 404 for an unknown id, 403 for an existing one: the lookup precedes the tenant check",
    handler: idBeforeRefusal('foreign', 'unknown', 404),
  },
  {
    name: 'bola-validated-before-tenant',
    family: 'bola',
    description: "another project's credentials get 400 for a malformed id: the id is validated before the tenant check",
    handler: idBeforeRefusal('foreign', 'malformed', 400),
  },
];
