/**
 * One limiter for the whole run: `--concurrency N` means at most N requests in flight and N open
 * connections, whoever sends them (conditions, negative inputs and their shrinking replays, list
 * reads, status probes). A slot is released only after the exchange's connection is closed.
 *
 * The pace adapts to throttling (AIMD, as TCP does): a throttled answer halves the allowance (never
 * below 1); a run of as many unthrottled answers as the allowance grows it back by one, up to N. A
 * target that never throttles keeps all N slots.
 */
export interface RequestLimiter {
  readonly max: number;
  /** Requests allowed in flight now: `max`, lowered after a throttle. */
  readonly size: number;
  run<T>(task: () => Promise<T>): Promise<T>;
  /** The target answered "too many requests": halve the allowance. */
  throttled(): void;
  /** An answer that was not a throttle. */
  unthrottled(): void;
}

export function createRequestLimiter(max: number): RequestLimiter {
  const ceiling = Math.max(1, max);
  let size = ceiling;
  let calm = 0;
  let running = 0;
  const waiting: Array<() => void> = [];
  const admit = () => {
    while (running < size && waiting.length) {
      running += 1;
      waiting.shift()?.();
    }
  };
  return {
    max: ceiling,
    get size() {
      return size;
    },
    async run(task) {
      if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
      else running += 1;
      try {
        return await task();
      } finally {
        // Hand the slot straight to the next in line, so a newcomer cannot slip past the queue — unless the allowance shrank.
        const next = running <= size ? waiting.shift() : undefined;
        if (next) next();
        else running -= 1;
      }
    },
    throttled() {
      calm = 0;
      size = Math.max(1, Math.floor(size / 2));
    },
    unthrottled() {
      if (size >= ceiling) return;
      calm += 1;
      if (calm < size) return;
      calm = 0;
      size += 1;
      admit();
    },
  };
}
