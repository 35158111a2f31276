import { createServer, type Server, type Socket } from 'node:net';
import { serveForTest } from './network-peers.ts';

/**
 * A TCP server that answers every request with exactly the bytes the test gives — for responses no
 * HTTP library would send (a 204 with a body, stray bytes, garbage). Listens on port 0; closed when
 * the test finishes.
 */
export async function startRawServer(answer: (socket: Socket, request: string) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end >= 0) {
        const request = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        answer(socket, request);
      }
    });
  });
  return { url: await serveForTest(server), server };
}
