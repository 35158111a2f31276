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
