/**
 * The bodies the reference server sends, in the two documented shapes (sdrs-api-notes.md §1, §2).
 * Codes come from the SDRS appendix or the gateway table where one fits; where none is documented
 * (missing job, conflict, 406–408, 501) the code is this server's placeholder and the message says so.
 */
export type ErrorShape = 'sdrs' | 'item-not-found' | 'gateway';

export interface ErrorTemplate {
  shape: ErrorShape;
  code: string;
  message: string;
  /** Set when sdrs_05_0902 返回值 does not list the status: why the server answers it anyway. */
  outsideDocTable?: string;
}

/** The response each documented error status gets when synthesised (Prefer: code=NNN) or caused naturally. */
export const ERROR_TEMPLATES: Record<number, ErrorTemplate> = {
  400: { shape: 'sdrs', code: 'SDRS.0201', message: 'Invalid request parameters' },
  401: { shape: 'gateway', code: 'APIG.0301', message: 'Incorrect IAM authentication information: x-auth-token not found' },
  403: { shape: 'gateway', code: 'APIG.0302', message: 'The IAM user is not authorized to access the API.' },
  404: {
    shape: 'item-not-found',
    code: 'SDRS.9404',
    message: "The failure job does not exist (no SDRS code is documented for this; SDRS.9404 is the reference server's placeholder)",
  },
  405: {
    shape: 'sdrs',
    code: 'SDRS.9405',
    message: "Method not allowed (no SDRS code is documented for this; SDRS.9405 is the reference server's placeholder)",
  },
  406: { shape: 'sdrs', code: 'SDRS.9406', message: 'The response cannot be produced in an acceptable media type (placeholder code)' },
  407: { shape: 'sdrs', code: 'SDRS.9407', message: 'Proxy authentication required (placeholder code)' },
  408: { shape: 'sdrs', code: 'SDRS.9408', message: 'The request was not completed in time (placeholder code)' },
  409: { shape: 'sdrs', code: 'SDRS.9409', message: 'The protection group of this failure job is busy (placeholder code)' },
  429: {
    shape: 'gateway',
    code: 'APIG.0308',
    message: 'The throttling threshold has been reached: policy user over ratelimit,limit:XX,time:1 minute',
    outsideDocTable: 'gateway throttling (APIG.0308); sdrs_05_0902 返回值 does not list 429',
  },
  500: { shape: 'sdrs', code: 'SDRS.0013', message: 'Internal error' },
  501: { shape: 'sdrs', code: 'SDRS.9501', message: 'The requested function is not supported (placeholder code)' },
  502: { shape: 'gateway', code: 'APIGW.0201', message: 'Backend unavailable.' },
  503: { shape: 'gateway', code: 'APIGW.0613', message: 'The IAM service is currently unavailable.' },
  504: { shape: 'gateway', code: 'APIGW.0201', message: 'Backend timeout.' },
};

/** What the socket layer answers before (or instead of) the handler: Node's parser and timers, the body cap, a bug. */
export type TransportError = 'malformed' | 'header-overflow' | 'timeout' | 'body-too-large' | 'internal';

export const TRANSPORT_ERRORS: Record<TransportError, { status: number; template: ErrorTemplate }> = {
  malformed: { status: 400, template: { shape: 'sdrs', code: 'SDRS.0201', message: 'Invalid request parameters: the request is not well-formed HTTP/1.1' } },
  // Node's own answer is 431 (RFC 6585 §5); the real gateway documents 494, which no RFC defines.
  'header-overflow': {
    status: 431,
    template: {
      shape: 'gateway',
      code: 'APIGW.0201',
      message: 'Request header fields too large.',
      outsideDocTable: 'an oversized head is refused before routing; sdrs_05_0902 返回值 does not list 431',
    },
  },
  // The documented 408 with its JSON body, where Node alone would send an empty one.
  timeout: { status: 408, template: ERROR_TEMPLATES[408] as ErrorTemplate },
  'body-too-large': {
    status: 413,
    template: {
      shape: 'gateway',
      code: 'APIGW.0201',
      message: 'Request entity too large.',
      outsideDocTable: 'the API takes no body; sdrs_05_0902 返回值 does not list 413',
    },
  },
  internal: {
    status: 500,
    template: { shape: 'sdrs', code: 'SDRS.0013', message: 'Internal error (a bug in the reference server, not a synthesised response)' },
  },
};

/** Every error answer: JSON (the HW sample's `; charset=UTF-8`) and the request id the body repeats (§8). */
export function errorHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'application/json;charset=UTF-8', 'x-request-id': requestId };
}

/** A whole error answer: status, the error headers (plus `extra`) and the body of the template's shape. */
export function errorResponse(
  status: number,
  requestId: string,
  template: ErrorTemplate,
  extra: Record<string, string> = {},
): { status: number; headers: Record<string, string>; body: string } {
  return { status, headers: { ...errorHeaders(requestId), ...extra }, body: errorBody(template, requestId) };
}

/** 204 No Content: no body, no Content-Type, no Content-Length (RFC 9110 §8.6, §15.3.5). */
export function noContentResponse(requestId: string): { status: 204; headers: Record<string, string> } {
  return { status: 204, headers: { 'x-request-id': requestId } };
}

export function errorBody(template: ErrorTemplate, requestId: string): string {
  switch (template.shape) {
    case 'gateway':
      return JSON.stringify({ error_msg: template.message, error_code: template.code, request_id: requestId });
    case 'item-not-found':
      return JSON.stringify({ itemNotFound: { code: template.code, message: template.message } });
    case 'sdrs':
      return JSON.stringify({ error: { code: template.code, message: template.message } });
  }
}
