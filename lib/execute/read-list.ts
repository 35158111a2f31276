import type { Exchange } from '../http/exchange.ts';
import type { ListRead, PlannedRequest } from '../plan/plan-model.ts';
import { jobIdsOf, LIST_PAGE_SIZE, nextOffset, type JobPage } from '../run/job-list.ts';
import type { JobSource } from '../spec/operation-tables.ts';

/** Reads of the whole list at most, when its total changes while it is paged through. */
const ATTEMPTS = 3;

/**
 * Reads a list to its end, page by page (`limit`/`offset` as the operation table names them), and
 * returns every page's exchange: how many requests that takes depends on the answers, so it happens
 * here and not in the plan. On a living system jobs come and go while the pages are read, which
 * shifts the ones after them from page to page; when the total (`count`) changes between two pages
 * the read starts over, at most three times. What the pages mean is the judge's (jobListOf).
 * `firstPage`: the first page already read (the preflight asks for exactly it) — used when it is that
 * page and a 200, else read again.
 */
export async function readListPages(list: ListRead, send: (request: PlannedRequest) => Promise<Exchange>, firstPage?: Exchange): Promise<Exchange[]> {
  const paging = list.source.paging;
  const given = (url: string) => (firstPage?.kind === 'response' && firstPage.request.url === url && firstPage.response.status === 200 ? firstPage : undefined);
  if (!paging) return [given(list.request.url) ?? (await send(list.request))];
  let exchanges: Exchange[] = [];
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    exchanges = [];
    const pages: JobPage[] = [];
    let offset: number | undefined = 0;
    let moved = false;
    while (offset !== undefined) {
      const url = pageUrl(list.request.url, paging, offset);
      const exchange = (attempt === 1 && offset === 0 ? given(url) : undefined) ?? (await send({ ...list.request, url }));
      exchanges.push(exchange);
      const page = jobIdsOf(exchange, list.source);
      const first = pages[0];
      moved = page.ok && first?.ok === true && first.count !== page.count;
      pages.push(page);
      if (moved) break;
      offset = nextOffset(pages, LIST_PAGE_SIZE);
    }
    if (!moved) break;
  }
  return exchanges;
}

/** The URL of the page of the list at `offset` (LIST_PAGE_SIZE jobs a page). */
export function pageUrl(url: string, paging: NonNullable<JobSource['paging']>, offset: number): string {
  return `${url}?${new URLSearchParams({ [paging.limit]: String(LIST_PAGE_SIZE), [paging.offset]: String(offset) })}`;
}
