/**
 * A signal that aborts after `ms` or when `parent` does, for one exchange. Not AbortSignal.timeout +
 * AbortSignal.any: in Node 20 those cost a run of hundreds of requests more CPU than its checks, and
 * `any` keeps every signal it combined alive as long as the parent lives. `dispose()` clears the timer
 * and the listener on the parent once the exchange is over.
 */
export interface Deadline {
  signal: AbortSignal;
  /** The time ran out (not the parent). */
  passed(): boolean;
  dispose(): void;
}

export function deadline(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  let passed = false;
  const timer = setTimeout(() => {
    passed = true;
    controller.abort(new DOMException(`no complete response within ${ms} ms`, 'TimeoutError'));
  }, ms);
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onAbort();
  else parent?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    passed: () => passed,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
    },
  };
}
