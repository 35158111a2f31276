import { bodyText } from '../http/exchange.ts';

/** Reads an error body as JSON and finds its error code in either documented shape. */
export type ParsedBody = { ok: true; value: unknown } | { ok: false; reason: string };

export function parseJsonBody(body: Uint8Array): ParsedBody {
  if (body.length === 0) return { ok: false, reason: 'empty body' };
  try {
    return { ok: true, value: JSON.parse(bodyText(body)) };
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message}): ${preview(body)}` };
  }
}

const WRAPPERS = ['error', 'badrequest', 'itemNotFound'] as const;

/** `{"error_code": …}` (gateway) or `{"error"|"badrequest"|"itemNotFound": {"code": …}}` (SDRS). */
export function errorCodeOf(value: unknown): { code: string; pointer: string } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.error_code === 'string') return { code: record.error_code, pointer: '/error_code' };
  for (const key of WRAPPERS) {
    const inner = record[key] as Record<string, unknown> | undefined;
    if (inner && typeof inner === 'object' && typeof inner.code === 'string') return { code: inner.code, pointer: `/${key}/code` };
  }
  return undefined;
}

export function preview(body: Uint8Array, max = 120): string {
  const text = bodyText(body.subarray(0, max));
  return JSON.stringify(body.length > max ? `${text}…` : text);
}
