import { violation, type Check } from './check-model.ts';

/**
 * The message must be well-formed HTTP/1.1 (RFC 9112): a head followed by a body framed as declared.
 * A client rejecting it (body longer than Content-Length, bad chunking) is a contract failure of the
 * response, not a transport accident.
 */
export const httpFraming: Check = (response, expectation) => [
  ...(response.framingError === undefined
    ? []
    : [
        violation('http-framing', {
          title: 'Response is not well-formed HTTP/1.1',
          expected: 'a message framed as its headers declare (RFC 9112 §6)',
          received: response.framingError,
          where: 'message framing',
        }),
      ]),
  // An answer to HEAD ends with its head whatever its Content-Length says (RFC 9112 §6.3): bytes after it are the next response's, or garbage.
  ...(expectation.requestMethod?.toUpperCase() === 'HEAD' && response.wireBodyBytes > 0
    ? [
        violation('http-framing', {
          title: 'The answer to HEAD carries content',
          expected: 'nothing after the header block (RFC 9110 §9.3.2, RFC 9112 §6.3)',
          received: `${response.wireBodyBytes} bytes after the header block`,
          where: 'body (on the wire)',
        }),
      ]
    : []),
];
