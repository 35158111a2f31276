import { violation, type Check } from './check-model.ts';

/**
 * The message must be well-formed HTTP/1.1 (RFC 9112): a head followed by a body framed as declared.
 * A client rejecting it (body longer than Content-Length, bad chunking) is a contract failure of the
 * response, not a transport accident.
 */
export const httpFraming: Check = (response) =>
  response.framingError === undefined
    ? []
    : [
        violation('http-framing', {
          title: 'Response is not well-formed HTTP/1.1',
          expected: 'a message framed as its headers declare (RFC 9112 §6)',
          received: response.framingError,
          where: 'message framing',
        }),
      ];
