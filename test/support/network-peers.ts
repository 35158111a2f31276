import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { tempDir } from './temp-dir.ts';

/** Destroys the server's open connections (and `extra` ones) and closes it when the test ends. */
function closeOnFinish(server: Server, extra: Set<Socket> = new Set()): void {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const s of [...sockets, ...extra]) s.destroy();
        server.close(() => resolve());
      }),
  );
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Any server of a test: on a free loopback port, closed — connections and all — when the test ends. */
export async function serveForTest(server: Server): Promise<string> {
  closeOnFinish(server);
  return `http://127.0.0.1:${await listen(server)}`;
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Accepts TCP connections and never says a word. */
export async function silentServer(): Promise<string> {
  const server = createServer(() => {});
  closeOnFinish(server);
  return `http://127.0.0.1:${await listen(server)}`;
}

/** A self-signed certificate for 127.0.0.1 / localhost, made with openssl for this test (its folder removed after it). */
export function selfSignedCertificate(): { key: string; cert: string; certFile: string } {
  const dir = tempDir('tls');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), certFile: join(dir, 'cert.pem') };
}

/** An HTTPS endpoint with the given certificate that answers every request with `answer`. */
export async function httpsServer(tls: { key: string; cert: string }, answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createHttpsServer(tls, answer);
  closeOnFinish(server);
  return `https://127.0.0.1:${await listen(server)}`;
}

export async function httpServer(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createHttpServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    answer(req, res);
  });
  closeOnFinish(server);
  return { url: `http://127.0.0.1:${await listen(server)}`, requests };
}

/** A minimal HTTP CONNECT proxy, loopback targets only; records what it tunnelled. */
export async function connectProxy(): Promise<{ url: string; tunnels: string[] }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    client.on('error', () => {});
    client.once('data', (chunk) => {
      const [line = ''] = chunk.toString('latin1').split('\r\n');
      const target = /^CONNECT (127\.0\.0\.1|localhost):(\d+) HTTP\/1\.1$/.exec(line);
      if (!target) return client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      tunnels.push(`${target[1]}:${target[2]}`);
      const upstream = connect(Number(target[2]), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => sockets.delete(upstream));
    });
  });
  closeOnFinish(server, sockets);
  return { url: `http://127.0.0.1:${await listen(server)}`, tunnels };
}

/** A TCP relay to `target` that holds every byte of each answer for `delayMs`: a slow endpoint that is otherwise the target. */
export async function delayingRelay(target: string, delayMs: number): Promise<string> {
  const { hostname, port } = new URL(target);
  const upstreams = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    upstreams.add(upstream);
    const later = (action: () => void) => setTimeout(() => !client.destroyed && action(), delayMs);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => upstreams.delete(upstream));
    client.on('data', (chunk) => upstream.write(chunk));
    client.on('end', () => upstream.end());
    upstream.on('data', (chunk) => later(() => client.write(chunk)));
    upstream.on('end', () => later(() => client.end()));
  });
  closeOnFinish(server, upstreams);
  return `http://127.0.0.1:${await listen(server)}`;
}
