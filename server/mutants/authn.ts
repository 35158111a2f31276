import type { Mutant } from './mutant-model.ts';
import { errorAnswer, idBeforeRefusal, isList, mapAuth, mapResponse, pathProject, requestIdOf, synthesised } from './toolkit.ts';

/**
 * Broken authentication (OWASP API2:2023; RFC 9110 §11.4, §15.5.2): a request without valid credentials
 * gets 401 — decided before anything about the job is looked at or validated, so a refusal never says
 * whether an id is well-formed or exists.
 */
export const AUTHN_MUTANTS: Mutant[] = [
  {
    name: 'auth-skipped',
    family: 'authn',
    description: 'authentication is skipped: any caller, with or without credentials, acts as the project in the path',
    handler: mapAuth((_real, request, ctx) => ({ ok: true, projectId: pathProject(request, ctx) })),
  },
  {
    name: 'auth-invalid-token-accepted',
    family: 'authn',
    description: 'a token no IAM issued is accepted (only its presence is checked) and acts as the path project',
    handler: mapAuth((real, request, ctx) => (!real.ok && request.headers['x-auth-token'] ? { ok: true, projectId: pathProject(request, ctx) } : real)),
  },
  {
    name: 'auth-missing-403',
    family: 'authn',
    description: 'missing or invalid credentials get 403 Forbidden (with its APIG.0302 body) instead of 401',
    handler: mapResponse((response) => (response.status === 401 && !synthesised(response) ? errorAnswer(403, requestIdOf(response)) : response)),
  },
  {
    name: 'list-auth-skipped',
    family: 'authn',
    description: "the list skips authentication: no or invalid credentials read the path project's jobs (200, not 401)",
    handler: mapAuth((real, request, ctx) => (!real.ok && isList(request, ctx) ? { ok: true, projectId: pathProject(request, ctx) } : real)),
  },
  {
    name: 'authn-validated-before-auth',
    family: 'authn',
    description: 'the id is validated before authentication: a malformed id gets 400 without credentials (it reached the backend)',
    handler: idBeforeRefusal('refused', 'malformed', 400),
  },
  {
    name: 'authn-lookup-before-auth',
    family: 'authn',
    description: 'the job is looked up before authentication: an unknown id gets 404 without credentials (an existence oracle)',
    handler: idBeforeRefusal('refused', 'unknown', 404),
  },
];
