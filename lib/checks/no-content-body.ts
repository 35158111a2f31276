import { headerValue, headerValues } from '../http/exchange.ts';
import { violation, type Check, type Violation } from './check-model.ts';

/**
 * 204 No Content — sdrs_05_0902 返回值; RFC 9110 §15.3.5: no content, so no body bytes on the wire,
 * no Transfer-Encoding, and (§8.6) no Content-Length. Decisions, documented in the README:
 * - `Content-Length: 0` breaks the §8.6 MUST NOT but misleads no client → a warning, not a failure;
 * - `Content-Type` on a 204 describes nothing and harms nothing → accepted without comment.
 */
export const noContentBody: Check = (response) => {
  if (response.status !== 204) return [];
  const found: Violation[] = [];
  if (response.wireBodyBytes > 0 || response.body.length > 0) {
    found.push(
      violation('no-content-body', {
        title: '204 carries body bytes',
        expected: '0 bytes after the header block',
        received: `${Math.max(response.wireBodyBytes, response.body.length)} bytes`,
        where: 'body (on the wire)',
      }),
    );
  }
  const transferEncoding = headerValue(response, 'transfer-encoding');
  if (transferEncoding !== undefined) {
    found.push(
      violation('no-content-body', {
        title: '204 carries Transfer-Encoding',
        expected: 'no Transfer-Encoding (RFC 9112 §6.1)',
        received: transferEncoding,
        where: 'header transfer-encoding',
      }),
    );
  }
  for (const length of headerValues(response, 'content-length')) {
    const zero = length.trim() === '0';
    found.push(
      violation('no-content-body', {
        severity: zero ? 'warning' : 'error',
        title: zero ? '204 carries Content-Length: 0' : '204 carries a non-zero Content-Length',
        expected: 'no Content-Length (RFC 9110 §8.6)',
        received: `Content-Length: ${length}`,
        where: 'header content-length',
      }),
    );
  }
  return found;
};
