import { expect, test } from 'vitest';
import { createRequestLimiter } from '../../lib/http/request-limiter.ts';

/** Starts `count` tasks held open until released; reports how many ran at once. */
function hold(limiter: ReturnType<typeof createRequestLimiter>, count: number) {
  let running = 0;
  let peak = 0;
  const releases: Array<() => void> = [];
  const done = Array.from({ length: count }, () =>
    limiter.run(async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running -= 1;
    }),
  );
  return { done, releases, running: () => running, peak: () => peak };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

test('unthrottled, the limiter keeps all N slots', async () => {
  const limiter = createRequestLimiter(4);
  for (let i = 0; i < 50; i += 1) limiter.unthrottled();
  const tasks = hold(limiter, 10);
  await settle();
  expect(tasks.running()).toBe(4);
  expect(limiter.size).toBe(4);
  while (tasks.releases.length) {
    tasks.releases.shift()?.();
    await settle();
  }
  await Promise.all(tasks.done);
  expect(tasks.peak()).toBe(4);
});

test.for([
  ['one throttle halves 8', { throttles: 1, want: 4 }],
  ['three throttles: 8 → 4 → 2 → 1', { throttles: 3, want: 1 }],
  ['never below 1', { throttles: 10, want: 1 }],
] as const)('%s', ([, { throttles, want }]) => {
  const limiter = createRequestLimiter(8);
  for (let i = 0; i < throttles; i += 1) limiter.throttled();
  expect(limiter.size).toBe(want);
});

test('after a throttle, fewer run at once; a run of unthrottled answers grows the allowance back by one at a time, up to N', async () => {
  const limiter = createRequestLimiter(4);
  limiter.throttled();
  limiter.throttled();
  expect(limiter.size).toBe(1);
  const tasks = hold(limiter, 6);
  await settle();
  expect(tasks.running()).toBe(1);
  // as many calm answers as the allowance: one more slot, and a waiting task starts at once
  limiter.unthrottled();
  expect(limiter.size).toBe(2);
  await settle();
  expect(tasks.running()).toBe(2);
  for (let i = 0; i < 2; i += 1) limiter.unthrottled();
  expect(limiter.size).toBe(3);
  for (let i = 0; i < 3; i += 1) limiter.unthrottled();
  for (let i = 0; i < 10; i += 1) limiter.unthrottled();
  expect(limiter.size).toBe(4);
  await settle();
  expect(tasks.running()).toBe(4);
  // a throttle while 4 run: the slots freed are not handed on until fewer than the allowance run
  limiter.throttled();
  tasks.releases.shift()?.();
  await settle();
  expect(tasks.running()).toBe(3);
  while (tasks.releases.length) {
    tasks.releases.shift()?.();
    await settle();
  }
  await Promise.all(tasks.done);
});

/** A task held open until released; `started` says whether the limiter let it start. */
function held(limiter: ReturnType<typeof createRequestLimiter>, lane: 'step' | 'background', group?: ReturnType<typeof limiter.group>) {
  let started = false;
  let release = () => {};
  const done = limiter.run(
    () =>
      new Promise<void>((resolve) => {
        started = true;
        release = resolve;
      }),
    lane,
    group,
  );
  return { done, started: () => started, release: () => release() };
}

test('the background takes only the slots no step asks for: a step that asks in the same turn goes first', async () => {
  const limiter = createRequestLimiter(2);
  const first = held(limiter, 'step');
  const background = held(limiter, 'background');
  await settle();
  // One slot free, and the background waits for it until a turn of the event loop has passed.
  expect(background.started()).toBe(true);
  first.release();
  await first.done;
  // The freed slot: a step asking right away (as a case does when its answer comes) takes it before the background.
  const waitingBackground = held(limiter, 'background');
  const next = held(limiter, 'step');
  await settle();
  expect(next.started()).toBe(true);
  expect(waitingBackground.started()).toBe(false);
  next.release();
  await next.done;
  await settle();
  expect(waitingBackground.started()).toBe(true);
  background.release();
  waitingBackground.release();
  await Promise.all([background.done, waitingBackground.done]);
});

test('while steps wait for slots the background keeps a quarter of them, so it is not all left for the end', async () => {
  const limiter = createRequestLimiter(8);
  const steps = Array.from({ length: 20 }, () => held(limiter, 'step'));
  const background = Array.from({ length: 5 }, () => held(limiter, 'background'));
  await settle();
  expect(steps.filter((s) => s.started())).toHaveLength(8);
  expect(background.filter((b) => b.started())).toHaveLength(0);
  // As steps finish, the background gets slots up to its share (2 of 8), the steps the rest.
  for (const s of steps.slice(0, 4)) s.release();
  await settle();
  await settle();
  expect(background.filter((b) => b.started())).toHaveLength(2);
  expect(steps.filter((s) => s.started())).toHaveLength(10);
  for (const t of [...steps, ...background]) t.release();
  for (let i = 0; i < 10; i += 1) {
    await settle();
    for (const t of [...steps, ...background]) t.release();
  }
  await Promise.all([...steps, ...background].map((t) => t.done));
});

test('a group starts in one tick once that many slots are free, and nothing is admitted past it meanwhile', async () => {
  const limiter = createRequestLimiter(4);
  const busy = [held(limiter, 'step'), held(limiter, 'step')];
  const group = limiter.group(3);
  const members = Array.from({ length: 3 }, () => held(limiter, 'step', group));
  const after = held(limiter, 'step');
  await settle();
  // Two slots free, three needed: none of the group starts, and the request behind it does not slip past.
  expect(members.map((m) => m.started())).toEqual([false, false, false]);
  expect(after.started()).toBe(false);
  busy[0]?.release();
  await settle();
  expect(members.map((m) => m.started())).toEqual([true, true, true]);
  for (const t of [...busy, ...members]) t.release();
  await settle();
  expect(after.started()).toBe(true);
  after.release();
  await Promise.all([...busy, ...members, after].map((t) => t.done));
});

test('a group larger than a throttled allowance goes out alone; one larger than --concurrency is refused', async () => {
  const limiter = createRequestLimiter(4);
  limiter.throttled();
  limiter.throttled();
  expect(limiter.size).toBe(1);
  const group = limiter.group(3);
  const members = Array.from({ length: 3 }, () => held(limiter, 'step', group));
  await settle();
  expect(members.map((m) => m.started())).toEqual([true, true, true]);
  for (const m of members) m.release();
  await Promise.all(members.map((m) => m.done));
  expect(() => limiter.group(5)).toThrow(RangeError);
});
