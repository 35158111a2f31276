import { headerValue } from '../http/exchange.ts';
import { isError, violation, type Check } from './check-model.ts';

/** Error responses document an application/json body (HW page: error ErrorInfo object). */
export const errorMediaType: Check = (response) => {
  if (!isError(response.status)) return [];
  const contentType = headerValue(response, 'content-type');
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  if (essence === 'application/json' || essence?.endsWith('+json')) return [];
  return [violation('error-media-type', { title: 'Error response is not JSON', expected: 'Content-Type: application/json', received: contentType === undefined ? 'no Content-Type' : `Content-Type: ${contentType}`, where: 'header content-type' })];
};
