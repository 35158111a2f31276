import { bodyText, type Exchange } from '../http/exchange.ts';
import type { JobSource } from '../spec/operation-tables.ts';

export type JobList = { ok: true; ids: string[] } | { ok: false; problem: string };

/**
 * Pure: the job ids a list answer holds, in list order — where the operation table says they are
 * (`jobs.items`, a JSON pointer to the array; `jobs.id`, the field of each item) — or what is wrong.
 */
export function jobIdsOf(exchange: Exchange, source: JobSource): JobList {
  const where = `${exchange.request.method} ${pathOf(exchange.request.url)}`;
  if (exchange.kind === 'network-error') return { ok: false, problem: `${where} failed: ${exchange.error.cause} (${exchange.error.code})` };
  const expected = `200 with {"${source.items.slice(1)}": […]}`;
  if (exchange.response.status !== 200) return { ok: false, problem: `${where} answered ${exchange.response.status}, expected ${expected}` };
  let items: unknown;
  try {
    items = pointer(JSON.parse(bodyText(exchange.response.body)), source.items);
  } catch {
    items = undefined;
  }
  if (!Array.isArray(items)) return { ok: false, problem: `${where} did not return ${expected} JSON` };
  const ids = items.map((item) => (item && typeof item === 'object' ? (item as Record<string, unknown>)[source.id] : undefined));
  return { ok: true, ids: ids.filter((id): id is string => typeof id === 'string' && id.length > 0) };
}

function pointer(value: unknown, path: string): unknown {
  return path
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined),
      value,
    );
}

function pathOf(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] || url;
}
