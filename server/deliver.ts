import type { ServerResponse as NodeResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerResponse } from './handler.ts';
import type { StrayBytes } from './mutants/mutant-model.ts';
import type { DeliveryOutcome } from './request-log.ts';
import { stalledResponse } from './wire-format.ts';

export interface DeliveryHooks {
  /** Who ended a connection that closed before its answer was complete. */
  closedBy(socket: Socket | null): 'client' | 'server' | 'idle timeout';
  /** Called just before the first byte of this answer is written (raw writes included). */
  writing(socket: Socket): void;
  /** A mutant's own bytes for this answer (server/mutants/): written verbatim, then the connection closes. */
  frame?: ((response: ServerResponse, method: string) => Buffer | undefined) | undefined;
  /** A mutant's bytes after this answer, outside any message (server/mutants/mutant-model.ts). */
  stray?: ((response: ServerResponse) => StrayBytes | undefined) | undefined;
}

/** Stray bytes waiting for a connection's next answer. */
const leftovers = new WeakMap<Socket, Buffer>();

/**
 * Sends the handler's answer the way its fault says. Every fault is bounded by the connection: when
 * the client goes, the server closes or the idle timeout fires, the timer is cleared and the promise
 * settles — nothing here keeps a closed server waiting.
 */
export function deliver(res: NodeResponse, response: ServerResponse, hooks: DeliveryHooks): Promise<DeliveryOutcome> {
  const socket = res.socket;
  const fault = response.fault ?? { latencyMs: 0, ending: 'complete' };
  return new Promise((resolve) => {
    // Gone while the body was still being read (the client left, or the server is closing).
    if (!socket || socket.destroyed) {
      resolve({ kind: 'abandoned', closedBy: hooks.closedBy(socket) });
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    // 'finish' comes first for an answer written in full; 'close' alone means the connection went early.
    res.once('finish', () => resolve({ kind: 'sent' }));
    res.once('close', () => {
      clearTimeout(timer);
      resolve({ kind: 'abandoned', closedBy: hooks.closedBy(socket) });
    });
    const send = () => {
      hooks.writing(socket);
      const leftover = leftovers.get(socket);
      if (leftover) {
        leftovers.delete(socket);
        socket.write(leftover);
      }
      switch (fault.ending) {
        case 'complete': {
          // What Node's ServerResponse would refuse to write (bytes after a 204, say) goes out raw.
          const raw = hooks.frame?.(response, res.req.method ?? '');
          if (raw) {
            socket.end(raw, () => resolve({ kind: 'sent' }));
            return;
          }
          // A length rather than chunked: the whole body is known, and it is what a client's body cap reads first.
          res.writeHead(
            response.status,
            response.body === undefined ? response.headers : { ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) },
          );
          res.end(response.body);
          const stray = hooks.stray?.(response);
          if (stray) strayAfter(socket, stray);
          return;
        }
        case 'reset':
          // RST rather than FIN: the client sees ECONNRESET, as from a crashed backend or a dropping firewall.
          resolve({ kind: 'reset' });
          socket.resetAndDestroy();
          return;
        case 'stall':
          socket.write(stalledResponse(response, new Date()));
          return;
        case 'hang':
          return;
      }
    };
    if (fault.latencyMs > 0) timer = setTimeout(send, fault.latencyMs);
    else send();
  });
}

/** Writes a mutant's stray bytes when it says, if the connection is still open then; never keeps a closed server waiting. */
function strayAfter(socket: Socket, stray: StrayBytes): void {
  if (stray.when === 'before-next-answer') {
    leftovers.set(socket, stray.bytes);
    return;
  }
  const timer = setTimeout(() => socket.writable && socket.write(stray.bytes), stray.when.afterMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
