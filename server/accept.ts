/**
 * Proactive negotiation for the one media type this server produces (RFC 9110 §12.5.1). The most
 * specific media range that matches application/json decides its weight; q=0 means "not acceptable".
 * Parameters other than q are ignored: the server has no variant to choose between anyway.
 */
export function acceptsJson(accept: string | string[] | undefined): boolean {
  const value = Array.isArray(accept) ? accept.join(',') : accept;
  // No Accept (or an empty one, read leniently): any media type is acceptable (RFC 9110 §12.5.1).
  if (value === undefined || value.trim() === '') return true;
  let best: { specificity: number; q: number } | undefined;
  for (const range of value.split(',')) {
    const [mediaRange = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const specificity = SPECIFICITY[mediaRange];
    if (specificity === undefined) continue;
    const q = weight(params);
    if (!best || specificity > best.specificity) best = { specificity, q };
  }
  return best !== undefined && best.q > 0;
}

/** The ranges that match application/json, most specific highest. */
const SPECIFICITY: Record<string, number> = { 'application/json': 3, 'application/*': 2, '*/*': 1 };

function weight(params: string[]): number {
  const q = params.find((p) => p.startsWith('q='));
  if (!q) return 1;
  const n = Number(q.slice(2));
  // A malformed weight is read as 1: refusing to answer over a typo would be the worse guess.
  return Number.isFinite(n) ? n : 1;
}
