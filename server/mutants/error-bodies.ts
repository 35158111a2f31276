import { STATUS_CODES } from 'node:http';
import type { ServerResponse } from '../handler.ts';
import type { Mutant } from './mutant-model.ts';
import { mapResponse, targetOf } from './toolkit.ts';

/** Every error answer: the documented ErrorBody as application/json, its code with its status (SDRS appendix, gateway table). */
const onErrors = (rewrite: (response: ServerResponse) => ServerResponse) => mapResponse((response) => (response.status >= 400 ? rewrite(response) : response));

/** The error as a default web-server template would render it. */
function htmlPage(response: ServerResponse): ServerResponse {
  const title = `${response.status} ${STATUS_CODES[response.status] ?? ''}`;
  return {
    ...response,
    headers: { ...response.headers, 'content-type': 'text/html;charset=UTF-8' },
    body: `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`,
  };
}

/** code and message from either documented shape, for mutants that re-shape a body. */
function codeAndMessage(body: string | undefined): { code: string; message: string } {
  const value = JSON.parse(body ?? '{}') as Record<string, { code?: string; message?: string } | string | undefined>;
  const inner = (value.error ?? value.itemNotFound ?? value.badrequest) as { code?: string; message?: string } | undefined;
  return { code: inner?.code ?? String(value.error_code ?? ''), message: inner?.message ?? String(value.error_msg ?? '') };
}

export const ERROR_BODIES_MUTANTS: Mutant[] = [
  {
    name: 'error-html-page',
    family: 'error-bodies',
    description: 'errors come back as an HTML error page (text/html), as from a default web-server template',
    handler: onErrors(htmlPage),
  },
  {
    name: 'error-text-plain',
    family: 'error-bodies',
    description: 'error bodies are the documented JSON but labelled Content-Type: text/plain',
    handler: onErrors((response) => ({ ...response, headers: { ...response.headers, 'content-type': 'text/plain;charset=UTF-8' } })),
  },
  {
    name: 'error-flat-body',
    family: 'error-bodies',
    description: 'error bodies lose their wrapper: {"code","message"} instead of {"error":{"code","message"}}',
    handler: onErrors((response) => ({ ...response, body: JSON.stringify(codeAndMessage(response.body)) })),
  },
  {
    name: 'error-empty-body',
    family: 'error-bodies',
    description: 'errors carry Content-Type: application/json and an empty body',
    handler: onErrors((response) => ({ ...response, body: '' })),
  },
  {
    name: 'not-found-sdrs-0201',
    family: 'error-bodies',
    description: "a 404 carries SDRS.0201, the appendix's code for 400 Invalid request parameters",
    handler: mapResponse((response) =>
      response.status === 404
        ? { ...response, body: JSON.stringify({ itemNotFound: { code: 'SDRS.0201', message: 'Invalid request parameters' } }) }
        : response,
    ),
  },
  {
    name: 'unauthorized-sdrs-0002',
    family: 'error-bodies',
    description: "a 401 carries SDRS.0002 Invalid tenant token, the appendix's code for a 400",
    handler: mapResponse((response) =>
      response.status === 401 ? { ...response, body: JSON.stringify({ error: { code: 'SDRS.0002', message: 'Invalid tenant token' } }) } : response,
    ),
  },
  {
    name: 'list-error-html',
    family: 'error-bodies',
    description: "the list's errors come back as an HTML page (text/html) while the delete's are JSON",
    handler: mapResponse((response, request, ctx) => (response.status >= 400 && targetOf(request, ctx).route === 'collection' ? htmlPage(response) : response)),
  },
];
