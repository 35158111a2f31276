import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

interface ProxyOptions {
  /** The loopback port everything is forwarded to. */
  upstreamPort: number;
  /** Every server→client chunk is held this long, in arrival order; 0 (default) forwards at once. */
  delayMs?: number;
  /** Rewrites the first line a connection sends (its request line), e.g. to map synthetic paths. */
  rewriteRequestLine?: (line: string) => string;
  /** Everything a client sent on one connection, when that connection closes. */
  onClientBytes?: (bytes: Buffer) => void;
}

interface RunningProxy {
  url: string;
  /** When (performance.now()) each connection opened, in order, and when the last answer byte left for a client. */
  activity(): { connectedAt: readonly number[]; lastAnswerAt: number | undefined };
  /** Settles once every socket and pending delayed write is gone. */
  close(): Promise<void>;
}

/** A request line longer than this is forwarded unrewritten rather than buffered without end. */
const MAX_REQUEST_LINE = 64 * 1024;

/**
 * A loopback TCP proxy for the benchmark: adds latency to answers (not to requests or connects, so
 * a round trip costs exactly `delayMs` more), records what clients sent, and can rewrite request lines.
 * It works below HTTP, so it changes nothing about framing the suite's wire checks look at.
 */
export async function startTcpProxy(options: ProxyOptions): Promise<RunningProxy> {
  const delay = options.delayMs ?? 0;
  const sockets = new Set<Socket>();
  const connectedAt: number[] = [];
  let lastAnswerAt: number | undefined;
  const timers = new Set<NodeJS.Timeout>();
  // Timers of equal duration fire in the order they were set, so delayed chunks keep their order.
  const later = (action: () => void) => {
    if (delay === 0) return action();
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, delay);
    timers.add(timer);
  };
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const server = createServer((client) => {
    connectedAt.push(performance.now());
    const upstream = connect(options.upstreamPort, '127.0.0.1');
    track(client);
    track(upstream);
    const sent: Buffer[] = [];
    let pendingLine: Buffer | undefined = options.rewriteRequestLine ? Buffer.alloc(0) : undefined;
    const forward = (chunk: Buffer) => {
      if (pendingLine === undefined) return void upstream.write(chunk);
      pendingLine = Buffer.concat([pendingLine, chunk]);
      const eol = pendingLine.indexOf('\r\n');
      if (eol < 0 && pendingLine.length < MAX_REQUEST_LINE) return;
      const end = eol < 0 ? pendingLine.length : eol;
      const line = (options.rewriteRequestLine as (l: string) => string)(pendingLine.subarray(0, end).toString('latin1'));
      upstream.write(Buffer.concat([Buffer.from(line, 'latin1'), pendingLine.subarray(end)]));
      pendingLine = undefined;
    };
    client.on('data', (chunk: Buffer) => {
      if (options.onClientBytes) sent.push(chunk);
      forward(chunk);
    });
    client.on('end', () => {
      if (pendingLine?.length) upstream.write(pendingLine);
      pendingLine = undefined;
      upstream.end();
    });
    client.once('close', () => {
      upstream.destroy();
      options.onClientBytes?.(Buffer.concat(sent));
    });
    upstream.on('data', (chunk: Buffer) =>
      later(() => {
        lastAnswerAt = performance.now();
        if (client.writable) client.write(chunk);
      }),
    );
    upstream.on('end', () => later(() => client.end()));
    // A reset upstream reaches the client as a reset, after the same delay as any answer.
    upstream.once('close', (hadError) => hadError && later(() => client.destroy()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    activity: () => ({ connectedAt, lastAnswerAt }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

export interface RecordedRequest {
  method: string;
  /** As sent: raw, never normalised (hostile inputs must replay byte for byte). */
  path: string;
  headers: Record<string, string>;
}

/** Headers that differ between two sends of the same request, or that the replaying client sets itself. */
const VOLATILE = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'date', 'x-sdk-date', 'authorization']);

/** Every request head in one connection's bytes, in order (the suite's requests carry no body; a kept-alive connection carries many). */
export function parseRequestHeads(bytes: Buffer): RecordedRequest[] {
  const heads: RecordedRequest[] = [];
  let offset = 0;
  for (;;) {
    const end = bytes.indexOf('\r\n\r\n', offset);
    if (end < 0) return heads;
    const [requestLine, ...lines] = bytes.subarray(offset, end).toString('latin1').split('\r\n');
    offset = end + 4;
    const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine ?? '');
    if (!match) continue;
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      if (colon > 0 && !VOLATILE.has(name)) headers[name] = line.slice(colon + 1).trim();
    }
    heads.push({ method: match[1] as string, path: match[2] as string, headers });
  }
}
