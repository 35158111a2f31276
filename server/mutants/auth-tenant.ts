import type { Mutant } from './mutant-model.ts';
import { errorAnswer, isList, mapAuth, mapResponse, pathProject, requestIdOf, synthesised, targetOf, template } from './toolkit.ts';

/** Who may delete or list: 401 for no or bad credentials, 403 for another project (RFC 9110 §15.5.2, §15.5.4). */
export const AUTH_TENANT_MUTANTS: Mutant[] = [
  {
    name: 'auth-skipped',
    family: 'auth-tenant',
    description: 'authentication is skipped: any caller, with or without credentials, acts as the project in the path',
    handler: mapAuth((_real, request, ctx) => ({ ok: true, projectId: pathProject(request, ctx) })),
  },
  {
    name: 'auth-invalid-token-accepted',
    family: 'auth-tenant',
    description: 'a token no IAM issued is accepted (only its presence is checked) and acts as the path project',
    handler: mapAuth((real, request, ctx) => (!real.ok && request.headers['x-auth-token'] ? { ok: true, projectId: pathProject(request, ctx) } : real)),
  },
  {
    name: 'tenant-foreign-token-accepted',
    family: 'auth-tenant',
    description: "another project's valid token acts on this project's jobs (tenant isolation missing)",
    handler: mapAuth((real, request, ctx) => (real.ok ? { ok: true, projectId: pathProject(request, ctx) } : real)),
  },
  {
    name: 'tenant-path-project-ignored',
    family: 'auth-tenant',
    description: "the project in the path is ignored: the caller's own project is used, so 403 is never sent",
    handler: (faithful) => (request, ctx) => {
      const caller = ctx.auth.authenticate(request, ctx.now());
      const { route, rawProject } = targetOf(request, ctx);
      if (!caller.ok || route === 'other') return faithful(request, ctx);
      return faithful({ ...request, url: request.url.replace(`/v1/${rawProject}/`, `/v1/${encodeURIComponent(caller.projectId)}/`) }, ctx);
    },
  },
  {
    name: 'auth-missing-403',
    family: 'auth-tenant',
    description: 'missing or invalid credentials get 403 Forbidden (with its APIG.0302 body) instead of 401',
    handler: mapResponse((response) => (response.status === 401 && !synthesised(response) ? errorAnswer(403, requestIdOf(response)) : response)),
  },
  {
    name: 'tenant-foreign-401',
    family: 'auth-tenant',
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
    name: 'list-auth-skipped',
    family: 'auth-tenant',
    description: "the list skips authentication: no or invalid credentials read the path project's jobs (200, not 401)",
    handler: mapAuth((real, request, ctx) => (!real.ok && isList(request, ctx) ? { ok: true, projectId: pathProject(request, ctx) } : real)),
  },
  {
    name: 'list-foreign-token-reads',
    family: 'auth-tenant',
    description: "another project's valid token reads this project's list: object-level authorisation missing (OWASP API1)",
    handler: mapAuth((real, request, ctx) => (real.ok && isList(request, ctx) ? { ok: true, projectId: pathProject(request, ctx) } : real)),
  },
];
