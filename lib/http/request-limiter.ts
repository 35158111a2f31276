/**
 * One limiter for the whole run: `--concurrency N` means at most N requests in flight and N open
 * connections, whoever sends them (conditions, negative inputs and their shrinking replays, list
 * reads, status probes). A slot is released only after the exchange's connection is closed.
 */
export interface RequestLimiter {
  readonly max: number;
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createRequestLimiter(max: number): RequestLimiter {
  const size = Math.max(1, max);
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    max: size,
    async run(task) {
      if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
      else running += 1;
      try {
        return await task();
      } finally {
        // Hand the slot straight to the next in line, so a newcomer cannot slip past the queue.
        const next = waiting.shift();
        if (next) next();
        else running -= 1;
      }
    },
  };
}
