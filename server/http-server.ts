import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthDirectory } from './auth-directory.ts';
import { handleRequest, type HandlerContext } from './handler.ts';
import type { Seed } from './seed.ts';
import { FailureJobStore } from './store.ts';

export interface ReferenceServerOptions {
  seed: Seed;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  scenarios?: boolean;
  /** Request bodies read at most (the API takes none). Default 64 KiB. */
  maxRequestBodyBytes?: number;
  onRequest?: (line: { method: string; path: string; status: number; ms: number; requestId: string }) => void;
}

export interface RunningServer {
  url: string;
  store: FailureJobStore;
  close(): Promise<void>;
}

/** The reference server on a real loopback socket. */
export async function startReferenceServer(options: ReferenceServerOptions): Promise<RunningServer> {
  const store = new FailureJobStore(options.seed);
  const ctx: HandlerContext = {
    store,
    auth: new AuthDirectory(options.seed),
    now: () => new Date(),
    newRequestId: () => randomBytes(16).toString('hex'),
    scenarios: options.scenarios ?? true,
  };
  const maxBody = options.maxRequestBodyBytes ?? 64 * 1024;
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    const started = performance.now();
    readBody(req, maxBody).then((body) => {
      const response = body === undefined
        ? { status: 413, headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify({ error_msg: 'Request entity too large.', error_code: 'APIGW.0201', request_id: '' }) }
        : handleRequest({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body }, ctx);
      res.writeHead(response.status, response.headers);
      res.end(response.body);
      options.onRequest?.({ method: req.method ?? '', path: req.url ?? '', status: response.status, ms: Math.round(performance.now() - started), requestId: response.headers['x-request-id'] ?? '' });
    }, () => res.destroy());
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Resolves undefined when the body passes the cap; the connection is then closed after the 413. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > max ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
