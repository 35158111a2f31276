import { Client, Pool } from 'undici';
import type { RecordedRequest } from './tcp-proxy.ts';

/** The floor's own waits: explicit, as everywhere else, and far above any loopback answer. */
const TIMEOUTS = { headersTimeout: 10_000, bodyTimeout: 10_000, connectTimeout: 5000 } as const;

interface FloorRun {
  ms: number;
  requests: number;
  /** Answers by status, to confirm the floor was refused and accepted like the suite was. */
  statuses: Record<number, number>;
}

/**
 * The HTTP floor: the suite's requests sent by a bare undici script — no checks, no evidence, no
 * ordering — `concurrency` at a time. `reuse: 'pool'` keeps connections alive (undici Pool);
 * `'per-request'` opens one connection per request, as the suite does on purpose (wire attribution).
 */
export async function sendFloor(
  origin: string,
  requests: readonly RecordedRequest[],
  options: { concurrency: number; reuse: 'pool' | 'per-request' },
): Promise<FloorRun> {
  const pool = options.reuse === 'pool' ? new Pool(origin, { connections: options.concurrency, pipelining: 1, ...TIMEOUTS }) : undefined;
  const statuses: Record<number, number> = {};
  const sendOne = async (request: RecordedRequest) => {
    const dispatcher = pool ?? new Client(origin, { pipelining: 1, ...TIMEOUTS });
    try {
      const response = await dispatcher.request({ method: request.method, path: request.path, headers: request.headers, signal: AbortSignal.timeout(10_000) });
      await response.body.dump({ limit: 1024 * 1024 });
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
    } finally {
      if (!pool) await dispatcher.destroy();
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < requests.length) await sendOne(requests[next++] as RecordedRequest);
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, requests.length) }, worker));
    return { ms: performance.now() - started, requests: requests.length, statuses };
  } finally {
    await pool?.destroy();
  }
}
