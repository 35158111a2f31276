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

export interface RawHead {
  status: number;
  headers: Array<[string, string]>;
  /** Offset of the first byte after the final head's blank line. */
  end: number;
  /** 1xx interim responses came first (RFC 9110 §15.2: a client must accept them). */
  interim: boolean;
}

/** The final (non-1xx) response head as it crossed the wire, or undefined when none is complete. */
export function parseRawHead(wire: Buffer): RawHead | undefined {
  let offset = 0;
  let interim = false;
  for (;;) {
    const end = wire.indexOf('\r\n\r\n', offset);
    if (end < 0) return undefined;
    const [statusLine = '', ...lines] = wire.subarray(offset, end).toString('latin1').split('\r\n');
    const status = /^HTTP\/\d(?:\.\d)? (\d{3})(?: |$)/.exec(statusLine)?.[1];
    if (!status) return undefined;
    offset = end + 4;
    if (status.startsWith('1')) {
      interim = true;
      continue;
    }
    const headers = lines.map((line): [string, string] => {
      const colon = line.indexOf(':');
      return colon < 0 ? [line.trim().toLowerCase(), ''] : [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    });
    return { status: Number(status), headers, end: offset, interim };
  }
}

/** Bytes after the final (non-1xx) response head — the message body as it crossed the wire. */
export function wireBytesAfterHead(wire: Buffer): number {
  const head = parseRawHead(wire);
  return head ? wire.length - head.end : 0;
}

/** The bytes after the head, at most `max` of them: what a report shows of bytes the parser did not take as the body. */
export function wireBodyAfterHead(wire: Buffer, max: number): Buffer {
  const head = parseRawHead(wire);
  return head ? wire.subarray(head.end, head.end + max) : Buffer.alloc(0);
}
