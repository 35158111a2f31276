import type { Socket } from 'node:net';

/**
 * Records every byte the peer sends on a socket, before undici's parser sees it. Wrapping `push`
 * (where the stream's reads land) leaves the stream's mode alone — a 'data' listener would switch it
 * to flowing mode under undici. This is how a 204 with body bytes is caught on the wire: HTTP parsers
 * drop such bytes by design, so no client API can show them.
 *
 * On a kept-alive connection the tap also says whose bytes are whose (lib/http/connection-pool.ts):
 * - `open`: an exchange is on the connection; bytes are its answer (recorded, handed to undici).
 * - `idle`: no request is out, so every byte belongs to the last answer: reported as stray, never parsed.
 * - `awaiting-head`: a request went out on a reused connection; bytes before the answer's "HTTP/" are the
 *   previous answer's leftovers (reported as stray), the rest is this answer.
 */
export interface WireTap {
  /** The bytes of the current exchange (all of them, on a connection used once). */
  chunks: Buffer[];
  /** Resolves when the peer sends more bytes, ends, or `ms` pass — whichever is first. */
  watch(ms: number): Promise<void>;
  /** A new exchange starts: its bytes are recorded afresh; `reused`: hold leftovers of the last answer back. */
  begin(reused: boolean): void;
  /** No request is out: whatever arrives now goes to `onStray`. */
  idle(): void;
  /** Everything of this exchange, held-back bytes included (for rebuilding a rejected answer). */
  wire(): Buffer;
  /** The peer ended its side (FIN): the connection carries no further answer. */
  readonly ended: boolean;
}

export type TapMode = 'open' | 'idle' | 'awaiting-head';

/** Bytes held back waiting for a response head at most; past this they are the answer, however broken. */
const MAX_HELD_BYTES = 64 * 1024;
const STATUS_LINE_START = Buffer.from('HTTP/', 'latin1');

export function tapSocket(socket: Socket, onStray: (bytes: Buffer) => void = () => {}): WireTap {
  let chunks: Buffer[] = [];
  let held = Buffer.alloc(0);
  let mode: TapMode = 'open';
  let wake: (() => void) | undefined;
  let ended = false;
  const originalPush = socket.push.bind(socket);
  const pass = (bytes: Buffer) => {
    chunks.push(bytes);
    return originalPush(bytes);
  };
  socket.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (chunk === null || chunk === undefined) {
      ended = true;
      // The peer ended: bytes still held are this answer's, however little HTTP they hold.
      if (held.length) pass(held);
      held = Buffer.alloc(0);
      wake?.();
      return originalPush(chunk as null, encoding);
    }
    const bytes = Buffer.from(chunk as Buffer);
    wake?.();
    if (mode === 'idle') {
      onStray(bytes);
      return true;
    }
    if (mode === 'open') return pass(bytes);
    held = Buffer.concat([held, bytes]);
    const start = held.indexOf(STATUS_LINE_START);
    if (start < 0 && held.length < MAX_HELD_BYTES) return true;
    if (start > 0) onStray(held.subarray(0, start));
    const answer = start < 0 ? held : held.subarray(start);
    held = Buffer.alloc(0);
    mode = 'open';
    return pass(answer);
  };
  return {
    get chunks() {
      return chunks;
    },
    get ended() {
      return ended;
    },
    begin(reused) {
      chunks = [];
      mode = reused ? 'awaiting-head' : 'open';
    },
    idle() {
      mode = 'idle';
    },
    wire() {
      return Buffer.concat([...chunks, held]);
    },
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
