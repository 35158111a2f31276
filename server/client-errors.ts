import type { Duplex } from 'node:stream';
import { errorBody, errorHeaders, TRANSPORT_ERRORS, type TransportError } from './error-responses.ts';
import { completeResponse } from './wire-format.ts';

/**
 * Node's 'clientError' codes → the documented answer. Left to itself Node would send a bare 400,
 * 408 or 431 with no body; the doc gives every error a JSON ErrorInfo body, so we write it ourselves.
 * Anything else (the client reset or vanished) gets no answer: there is nobody to read it.
 */
function transportErrorFor(code: string | undefined): TransportError | undefined {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'timeout';
  if (code === 'HPE_HEADER_OVERFLOW') return 'header-overflow';
  if (code?.startsWith('HPE_')) return 'malformed';
  return undefined;
}

export interface ClientErrorAnswer {
  status: number;
  requestId: string;
}

/**
 * Answers and closes. `answerStarted` is true when part of a response is already on this connection
 * (a stall, say): bytes written now would corrupt it, so the connection is only closed.
 */
export function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  answerStarted: boolean,
  newRequestId: () => string,
): ClientErrorAnswer | undefined {
  const kind = transportErrorFor(error.code);
  if (!kind || answerStarted || !socket.writable) {
    socket.destroy();
    return undefined;
  }
  const { status, template } = TRANSPORT_ERRORS[kind];
  const requestId = newRequestId();
  const detail = kind === 'malformed' ? { ...template, message: `${template.message} (${error.code})` } : template;
  const bytes = completeResponse({ status, headers: errorHeaders(requestId), body: errorBody(detail, requestId) }, new Date());
  // Closed once flushed, whether or not the client ever reads or closes its side.
  socket.end(bytes, () => socket.destroy());
  return { status, requestId };
}
