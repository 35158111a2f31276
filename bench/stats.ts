/** Summary statistics for repeated measurements: the report quotes medians, with the spread beside them. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** How many measurements the median is of. */
  n: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, n: sorted.length };
}

export const ms = (value: number): string => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
export const mib = (kib: number): string => (Number.isFinite(kib) ? `${(kib / 1024).toFixed(0)} MiB` : 'n/a');
export const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');

export function spreadText(s: Spread, unit: (v: number) => string = ms): string {
  return s.n > 1 ? `${unit(s.median)} (min ${unit(s.min)}, max ${unit(s.max)}, n=${s.n})` : `${unit(s.median)} (n=1)`;
}

/** Runs `task` `count` times, one after another (timings must not overlap). */
export async function repeat<T>(count: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i += 1) results.push(await task(i));
  return results;
}
