import { headerValues } from '../http/exchange.ts';
import { isError, violation, type Check } from './check-model.ts';

/** Error responses document an application/json body (HW page: error ErrorInfo object). */
export const errorMediaType: Check = (response) => {
  if (!isError(response.status)) return [];
  const fields = headerValues(response, 'content-type');
  if (fields.length > 1) {
    // RFC 9110 §8.3: a singleton field; two values leave a client guessing which one describes the body.
    return [
      violation('error-media-type', {
        title: 'Error response has several Content-Type fields',
        expected: 'one Content-Type: application/json',
        received: fields.map((f) => `Content-Type: ${f}`).join(' + '),
        where: 'header content-type',
      }),
    ];
  }
  const contentType = fields[0];
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  if (essence === 'application/json' || essence?.endsWith('+json')) return [];
  return [
    violation('error-media-type', {
      title: 'Error response is not JSON',
      expected: 'Content-Type: application/json',
      received: contentType === undefined ? 'no Content-Type' : `Content-Type: ${contentType}`,
      where: 'header content-type',
    }),
  ];
};
