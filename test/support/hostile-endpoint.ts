import { createServer, type Socket } from 'node:net';
import { serveForTest } from './network-peers.ts';

const LIST_OK = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 30\r\nConnection: close\r\n\r\n{"failure_jobs":[],"count":0}\n';

interface HostileEndpoint {
  url: string;
  /** Request lines of every request other than the run's own reads of the list, in arrival order. */
  requests: string[];
}

/**
 * A raw TCP endpoint that answers the run's own reads of the list properly (the preflight's, which the
 * run reads on from, and the read after the run: the first page, `?limit=100&offset=0`) and treats every
 * other request — the list's cases included — with `misbehave`. Every socket is destroyed when the test ends, so a
 * behaviour that never finishes on its own is still bounded.
 */
export async function hostileEndpoint(misbehave: (socket: Socket, requestLine: string) => void): Promise<HostileEndpoint> {
  const requests: string[] = [];
  const server = createServer((socket) => {
    socket.on('error', () => {});
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      const line = head.split('\r\n')[0] ?? '';
      if (/^GET \S*\/task-center\/failure-jobs\?limit=100&offset=0 HTTP/.test(line)) return void socket.end(LIST_OK);
      requests.push(line);
      misbehave(socket, line);
    };
    socket.on('data', onData);
  });
  return { url: await serveForTest(server), requests };
}

/** Writes `chunk` until `total` bytes are out or the peer leaves, respecting back-pressure; reports bytes written once. */
export function streamChunks(socket: Socket, chunk: Buffer | string, total: number, onDone: (written: number) => void): void {
  const size = Buffer.byteLength(chunk);
  let written = 0;
  let reported = false;
  const report = () => {
    if (!reported) onDone(written);
    reported = true;
  };
  const pump = () => {
    while (written < total && !socket.destroyed) {
      written += size;
      if (!socket.write(chunk)) return void socket.once('drain', pump);
    }
    report();
  };
  socket.once('close', report);
  pump();
}
