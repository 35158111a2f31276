/**
 * The gateway's "policy user" throttling (APIG.0308, sdrs-api-notes.md §2): at most `limit` requests
 * per caller per clock minute. 429 is not in sdrs_05_0902's status table — it is gateway behaviour,
 * off unless the server is started with a limit. Keys are authenticated project ids, so the map is
 * bounded by the seed.
 */
export interface RateLimiter {
  readonly limit: number;
  /** Counts one request; false when the caller is over the limit for this minute. */
  take(key: string, now: Date): boolean;
}

export function createRateLimiter(limit: number): RateLimiter {
  const windows = new Map<string, { minute: number; count: number }>();
  return {
    limit,
    take(key, now) {
      const minute = Math.floor(now.getTime() / 60_000);
      const window = windows.get(key);
      if (!window || window.minute !== minute) {
        windows.set(key, { minute, count: 1 });
        return 1 <= limit;
      }
      window.count += 1;
      return window.count <= limit;
    },
  };
}
