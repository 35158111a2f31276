import { bodyText, type Exchange } from '../http/exchange.ts';
import type { JobSource } from '../spec/operation-tables.ts';

/** One job as the list showed it: its fields, as received. */
export type JobRecord = Readonly<Record<string, unknown>>;

/** The jobs a list showed: ids in list order, and each job's record by id (for "changed", not just "gone"). */
export interface ListedJobs {
  ids: string[];
  records: ReadonlyMap<string, JobRecord>;
}

/** `truncated`: every page read was fine, but the list was not read to its end (page cap, or it repeats itself). */
export type JobList = ({ ok: true } & ListedJobs) | { ok: false; problem: string; truncated?: true };

/** One page: its jobs and the total the list says it has (`count`), when it says. */
export type JobPage = ({ ok: true; count: number | undefined } & ListedJobs) | { ok: false; problem: string };

/** Page size of the list reads, and the most pages read (100 000 jobs): a list longer than that is not read whole. */
export const LIST_PAGE_SIZE = 100;
export const LIST_MAX_PAGES = 1000;

/**
 * Pure: the job ids a list answer holds, in list order — where the operation table says they are
 * (`jobs.items`, a JSON pointer to the array; `jobs.id`, the field of each item) — or what is wrong.
 */
export function jobIdsOf(exchange: Exchange, source: JobSource): JobPage {
  const where = `${exchange.request.method} ${pathOf(exchange.request.url)}`;
  if (exchange.kind === 'network-error') return { ok: false, problem: `${where} failed: ${exchange.error.cause} (${exchange.error.code})` };
  const expected = `200 with {"${source.items.slice(1)}": […]}`;
  if (exchange.response.status !== 200) return { ok: false, problem: `${where} answered ${exchange.response.status}, expected ${expected}` };
  let body: unknown;
  try {
    body = JSON.parse(bodyText(exchange.response.body));
  } catch {
    body = undefined;
  }
  const items = pointer(body, source.items);
  if (!Array.isArray(items)) return { ok: false, problem: `${where} did not return ${expected} JSON` };
  const records = new Map<string, JobRecord>();
  for (const item of items) {
    const id = item && typeof item === 'object' ? (item as Record<string, unknown>)[source.id] : undefined;
    if (typeof id === 'string' && id.length > 0 && !records.has(id)) records.set(id, item as JobRecord);
  }
  const count = source.paging ? pointer(body, source.paging.count) : undefined;
  return { ok: true, ids: [...records.keys()], records, count: typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : undefined };
}

/**
 * Which offset to read next after these pages, or undefined when the list has been read to its end:
 * a page that failed, came back empty or showed nothing new (a server that ignores the offset), the
 * total (`count`) reached — or, when the list gives no total, a page shorter than asked for.
 */
export function nextOffset(pages: readonly JobPage[], pageSize: number, maxPages = LIST_MAX_PAGES): number | undefined {
  const last = pages.at(-1);
  if (!last?.ok || last.ids.length === 0 || pages.length >= maxPages) return undefined;
  const seen = new Set(pages.slice(0, -1).flatMap((p) => (p.ok ? p.ids : [])));
  if (last.ids.every((id) => seen.has(id))) return undefined;
  const offset = pages.reduce((n, p) => n + (p.ok ? p.ids.length : 0), 0);
  if (last.count !== undefined) return offset < last.count ? offset : undefined;
  return last.ids.length < pageSize ? undefined : offset;
}

/** Pure: every page of one list read → its jobs (each id once, first sighting kept), or why it cannot stand for the whole list. */
export function jobListOf(exchanges: readonly Exchange[], source: JobSource, pageSize = LIST_PAGE_SIZE): JobList {
  const pages = exchanges.map((e) => jobIdsOf(e, source));
  if (pages.length === 0) return { ok: false, problem: 'the list was not read' };
  const failed = pages.find((p) => !p.ok);
  if (failed && !failed.ok) return { ok: false, problem: failed.problem };
  const records = new Map<string, JobRecord>();
  for (const page of pages) if (page.ok) for (const [id, record] of page.records) if (!records.has(id)) records.set(id, record);
  const last = pages.at(-1) as JobPage & { ok: true };
  const total = last.count;
  const repeated = pages.length > 1 && last.ids.length > 0 && last.ids.every((id) => pages.slice(0, -1).some((p) => p.ok && p.ids.includes(id)));
  const capped = pages.length >= LIST_MAX_PAGES && nextOffset(pages, pageSize, Number.POSITIVE_INFINITY) !== undefined;
  if ((repeated || capped) && (total === undefined || records.size < total)) {
    const why = repeated ? 'its pages repeat themselves (the offset seems ignored)' : `it has more than ${LIST_MAX_PAGES} pages of ${pageSize}`;
    return {
      ok: false,
      truncated: true,
      problem: `the list could not be read to its end: ${why}; ${records.size} jobs seen${total === undefined ? '' : ` of ${total}`}`,
    };
  }
  return { ok: true, ids: [...records.keys()], records };
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
