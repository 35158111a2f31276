import { connect, createServer, type Socket } from 'node:net';
import { serveForTest } from './network-peers.ts';

/** What the public gateway answers over its quota (APIG.0308, sdrs-api-notes.md §2). */
const APIG_0308 = JSON.stringify({
  error_code: 'APIG.0308',
  error_msg: 'The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 minute',
  request_id: 'throttled',
});

export interface ThrottlingRelay {
  url: string;
  /** Connections (one per request) in arrival order, and which of them were throttled. */
  connections: () => number;
  throttled: () => number;
}

/**
 * A gateway in front of a faithful target: connection n (1-based; every exchange has its own), whose
 * request line is `requestLine`, is answered `429 APIG.0308` with `Retry-After: <value>` when `throttle(n)` returns a value ('' sends
 * none), and relayed to the target otherwise. Deterministic: it counts, it never reads a clock.
 */
export async function throttlingRelay(
  upstream: string,
  throttle: (n: number, requestLine: string) => string | undefined,
  status = 429,
): Promise<ThrottlingRelay> {
  const { hostname, port } = new URL(upstream);
  let connections = 0;
  let throttled = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    connections += 1;
    const n = connections;
    sockets.add(client);
    client.on('error', () => {});
    client.on('close', () => sockets.delete(client));
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      client.off('data', onData);
      client.pause();
      const retryAfter = throttle(n, head.split('\r\n')[0] ?? '');
      if (retryAfter !== undefined) {
        throttled += 1;
        const field = retryAfter === '' ? '' : `Retry-After: ${retryAfter}\r\n`;
        const reason = status === 429 ? 'Too Many Requests' : 'Service Unavailable';
        client.end(
          `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n${field}Content-Length: ${APIG_0308.length}\r\nConnection: close\r\n\r\n${APIG_0308}`,
        );
        return;
      }
      const target = connect(Number(port), hostname, () => {
        target.write(Buffer.from(head, 'latin1'));
        client.pipe(target).pipe(client);
      });
      sockets.add(target);
      target.on('error', () => client.destroy());
      target.on('close', () => sockets.delete(target));
      client.on('close', () => target.destroy());
    };
    client.on('data', onData);
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  const url = await serveForTest(server);
  return { url, connections: () => connections, throttled: () => throttled };
}
