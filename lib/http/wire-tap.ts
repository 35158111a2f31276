import type { Socket } from 'node:net';

/**
 * Records every byte the peer sends on a socket, before undici's parser sees it. Wrapping `push`
 * (where the stream's reads land) leaves the stream's mode alone — a 'data' listener would switch it
 * to flowing mode under undici. This is how a 204 with body bytes is caught on the wire: HTTP parsers
 * drop such bytes by design, so no client API can show them.
 */
export interface WireTap {
  chunks: Buffer[];
  /** Resolves when the peer sends more bytes, ends, or `ms` pass — whichever is first. */
  watch(ms: number): Promise<void>;
}

export function tapSocket(socket: Socket): WireTap {
  const chunks: Buffer[] = [];
  let wake: (() => void) | undefined;
  const originalPush = socket.push.bind(socket);
  socket.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (chunk) chunks.push(Buffer.from(chunk as Buffer));
    wake?.();
    return originalPush(chunk, encoding);
  };
  return {
    chunks,
    watch(ms) {
      if (socket.destroyed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          socket.off('close', done);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, ms);
        socket.once('close', done);
        wake = done;
      });
    },
  };
}

/** Bytes after the final (non-1xx) response head — the message body as it crossed the wire. */
export function wireBytesAfterHead(wire: Buffer): number {
  let offset = 0;
  for (;;) {
    const end = wire.indexOf('\r\n\r\n', offset);
    if (end < 0) return 0;
    const statusLine = wire.subarray(offset, Math.min(end, offset + 32)).toString('latin1');
    offset = end + 4;
    if (!/^HTTP\/\d(\.\d)? 1\d\d/.test(statusLine)) return wire.length - offset;
  }
}
