import type { Mutant } from './mutant-model.ts';
import { targetOf } from './toolkit.ts';

/**
 * Security misconfiguration (OWASP API8:2023): what a server left at its defaults or in debug mode
 * exposes. TRACE echoes the request (RFC 9110 §9.3.8), credentials included — cross-site tracing; an
 * open CORS middleware answers every preflight; a debug handler answers GET with internals.
 */
export const MISCONFIG_MUTANTS: Mutant[] = [
  {
    name: 'misconfig-trace-echo',
    family: 'misconfig',
    description: 'TRACE is left enabled: 200 message/http echoing the request, X-Auth-Token included, instead of 405',
    handler: (faithful) => (request, ctx) => {
      if (request.method !== 'TRACE') return faithful(request, ctx);
      const headers = Object.entries(request.headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value ?? '']).map((v) => `${name}: ${v}`));
      return {
        status: 200,
        headers: { 'content-type': 'message/http', 'x-request-id': ctx.newRequestId() },
        body: [`TRACE ${request.url} HTTP/1.1`, ...headers, '', ''].join('\r\n'),
      };
    },
  },
  {
    name: 'misconfig-cors-open',
    family: 'misconfig',
    description: 'a CORS middleware left open answers OPTIONS on a job with 204 and Access-Control-Allow-Origin: * instead of 405',
    handler: (faithful) => (request, ctx) =>
      request.method === 'OPTIONS' && targetOf(request, ctx).route === 'item'
        ? {
            status: 204,
            headers: {
              'access-control-allow-origin': '*',
              'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
              'access-control-allow-headers': '*',
              'x-request-id': ctx.newRequestId(),
            },
          }
        : faithful(request, ctx),
  },
  {
    name: 'misconfig-debug-get',
    family: 'misconfig',
    description: 'a debug handler left on answers GET on a job with 200 and internals (store size, build, database URL) instead of 405',
    handler: (faithful) => (request, ctx) =>
      request.method === 'GET' && targetOf(request, ctx).route === 'item'
        ? {
            status: 200,
            headers: { 'content-type': 'application/json', 'x-request-id': ctx.newRequestId() },
            body: JSON.stringify({ debug: true, build: 'sdrs-taskcenter 0.0.0-dev', db: 'mysql://taskcenter@10.0.0.12:3306/sdrs', path: request.url }),
          }
        : faithful(request, ctx),
  },
];
