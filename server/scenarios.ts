import { ERROR_TEMPLATES } from './error-responses.ts';

/** Statuses `Prefer: code=NNN` can produce: 204 and every error status the server has a template for. */
export const SYNTHESISABLE_STATUSES: readonly number[] = [204, ...Object.keys(ERROR_TEMPLATES).map(Number)];

/** Prism's convention: `Prefer: code=404`. Anything else (or an unknown status) is ignored, not guessed. */
export function preferredStatus(prefer: string | string[] | undefined): number | undefined {
  const value = Array.isArray(prefer) ? prefer.join(',') : prefer;
  const match = value ? /(?:^|[,;\s])code=(\d{3})(?:$|[,;\s])/.exec(value) : null;
  const status = match ? Number(match[1]) : undefined;
  return status !== undefined && SYNTHESISABLE_STATUSES.includes(status) ? status : undefined;
}
