/**
 * One limiter for the whole run: `--concurrency N` means at most N requests in flight and N open
 * connections, whoever sends them (conditions, negative inputs and their shrinking replays, list
 * reads, status probes).
 *
 * Two lanes share the slots. The run's ordered steps (lib/execute/execute-run.ts) go first, in order;
 * the background lane — cases no step waits for — takes the slots no step asks for, a turn of the event
 * loop after they free up, so a step's next requests (a guard read and the method sent alongside it)
 * never wait behind the background for a slot. While a step waits for slots, the background keeps a
 * quarter of them: the run's last reads wait for the background, so a long step (the negative inputs)
 * must not leave it all for the end. A group (a race's requests) is admitted
 * as one: its members start in the same tick once that many slots are free, and nothing is admitted
 * past it meanwhile.
 *
 * The pace adapts to throttling (AIMD, as TCP does): a throttled answer halves the allowance (never
 * below 1); a run of as many unthrottled answers as the allowance grows it back by one, up to N. A
 * target that never throttles keeps all N slots.
 */
export type Lane = 'step' | 'background';

/** Requests that must leave together: made by `group(size)`, passed to `run` by each of its `size` members. */
export interface Group {
  readonly size: number;
}

export interface RequestLimiter {
  readonly max: number;
  /** Requests allowed in flight now: `max`, lowered after a throttle. */
  readonly size: number;
  run<T>(task: () => Promise<T>, lane?: Lane, group?: Group): Promise<T>;
  /** A group of `size` requests (at most `max`) admitted together. */
  group(size: number): Group;
  /** The target answered "too many requests": halve the allowance. */
  throttled(): void;
  /** An answer that was not a throttle. */
  unthrottled(): void;
}

/** The background's share of the slots while steps wait for them. */
const BACKGROUND_SHARE = 1 / 4;

interface Waiter {
  need: number;
  start: () => void;
}

interface PendingGroup extends Group {
  arrived: Array<() => void>;
}

export function createRequestLimiter(max: number): RequestLimiter {
  const ceiling = Math.max(1, max);
  let size = ceiling;
  let calm = 0;
  const running: Record<Lane, number> = { step: 0, background: 0 };
  const waiting: Record<Lane, Waiter[]> = { step: [], background: [] };
  const fits = (need: number, limit: number) => running.step + running.background + need <= limit;
  /** Which lane's head starts now, if any: the background within its share, then the steps; with `fill`, the background in the slots left. */
  const next = (fill: boolean): Lane | undefined => {
    const step = waiting.step[0];
    const background = waiting.background[0];
    if (background && running.background + background.need <= Math.floor(size * BACKGROUND_SHARE) && fits(background.need, size)) return 'background';
    // A group larger than a throttled allowance goes out alone rather than never.
    if (step) return fits(step.need, size) || running.step + running.background === 0 ? 'step' : undefined;
    return fill && background && fits(background.need, size) ? 'background' : undefined;
  };
  const start = (lane: Lane) => {
    const head = waiting[lane].shift() as Waiter;
    running[lane] += head.need;
    head.start();
  };
  let filling = false;
  const admit = () => {
    for (let lane = next(false); lane; lane = next(false)) start(lane);
    // The slots no step took go to the background one turn of the event loop later: a step whose request was
    // just answered asks for its next one in this turn (its continuations are microtasks), and so comes first.
    if (filling || waiting.background.length === 0) return;
    filling = true;
    setImmediate(() => {
      filling = false;
      for (let lane = next(true); lane; lane = next(true)) start(lane);
    });
  };
  const enqueue = (lane: Lane, waiter: Waiter) => {
    waiting[lane].push(waiter);
    admit();
  };
  return {
    max: ceiling,
    get size() {
      return size;
    },
    group(groupSize) {
      // More than the limiter ever allows could never be admitted (the planner caps a race at --concurrency).
      if (groupSize < 1 || groupSize > ceiling) throw new RangeError(`a group of ${groupSize} requests cannot be admitted with at most ${ceiling} in flight`);
      const group: PendingGroup = { size: groupSize, arrived: [] };
      return group;
    },
    async run(task, lane = 'step', group) {
      await new Promise<void>((resolve) => {
        const pending = group as PendingGroup | undefined;
        if (!pending) return enqueue(lane, { need: 1, start: resolve });
        pending.arrived.push(resolve);
        // The last member to arrive queues the whole group.
        if (pending.arrived.length === pending.size)
          enqueue(lane, {
            need: pending.size,
            start: () => {
              for (const go of pending.arrived) go();
            },
          });
      });
      try {
        return await task();
      } finally {
        running[lane] -= 1;
        admit();
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
