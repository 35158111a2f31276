import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AuthDirectory } from './auth-directory.ts';
import { answerClientError } from './client-errors.ts';
import { deliver } from './deliver.ts';
import { errorBody, errorHeaders, TRANSPORT_ERRORS, type TransportError } from './error-responses.ts';
import { handleRequest, type HandlerContext, type ServerResponse } from './handler.ts';
import type { ProxyAuth } from './proxy-auth.ts';
import { createRateLimiter } from './rate-limit.ts';
import type { RequestLogLine } from './request-log.ts';
import { loadRoutes } from './routes.ts';
import { describeFault } from './scenarios.ts';
import type { Seed } from './seed.ts';
import { FailureJobStore } from './store.ts';
import { RESET_PATH, SessionStores } from './sessions.ts';
import { mutantNamed, type Mutant } from './mutants/index.ts';
import { variantNamed, type Variant } from './variants/index.ts';
import type { SpecModel } from '../lib/spec/operation-model.ts';
import { ConformanceError } from '../lib/errors.ts';

export interface ReferenceServerOptions {
  seed: Seed;
  /**
   * The OpenAPI document the server routes from — a file (validated through lib/spec's cached loader)
   * or a spec already loaded. Default spec/sdrs-failure-jobs.openapi.yaml.
   */
  spec?: string | SpecModel | undefined;
  /** Default 127.0.0.1: a mock with public credentials has no business on other interfaces unless asked. */
  host?: string;
  /** 0 (default) picks a free port; `RunningServer.port` says which. */
  port?: number;
  /** Prefer: code=NNN and X-Sdrs-Scenario. Default true; false behaves like production. */
  scenarios?: boolean;
  /** Proxy-auth mode (407 without the right Proxy-Authorization). Default off. */
  proxyAuth?: ProxyAuth | undefined;
  /** Gateway throttling, requests per project per minute (429, outside the doc's table). Default off. */
  rateLimitPerMinute?: number | undefined;
  /** Head and body must arrive within this, else 408 with the documented body. Default 30000 ms. */
  requestTimeoutMs?: number;
  /** Request bodies read at most (the API takes none); more → 413 and the connection closes. Default 64 KiB. */
  maxRequestBodyBytes?: number;
  /** Open connections at most; further ones are closed on accept. Default 10000. */
  maxConnections?: number;
  /** The clock for signatures (15-minute window) and throttling windows. Default: the system clock. */
  now?: () => Date;
  onRequest?: (line: RequestLogLine) => void;
  /** A request's head has arrived and is being handled: with onRequest, an observer can tell what is in flight. */
  onRequestStart?: (request: { method: string; path: string }) => void;
  /** Trouble that does not stop the server (accept() out of descriptors, a handler bug). */
  onError?: (error: Error) => void;
  /** Break the contract on purpose: a mutant by name (server/mutants/; unknown → CFG_USAGE) or given. Default: the faithful server. */
  mutant?: string | Mutant | undefined;
  /** A faithful variant (server/variants/; unknown → CFG_USAGE): a correct server that differs where the doc allows. Not with `mutant`. */
  variant?: string | Variant | undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  store: FailureJobStore;
  openConnections(): number;
  /** Settles when no connection is open (at once if none is). */
  whenIdle(): Promise<void>;
  /** Stops accepting and destroys every connection, hung and stalled ones included; never waits on a fault. */
  close(): Promise<void>;
}

/** A connection that sends nothing for this long is closed; it bounds hang and stall too. */
const MIN_IDLE_TIMEOUT_MS = 120_000;

/** The reference server on a real socket. */
export async function startReferenceServer(options: ReferenceServerOptions): Promise<RunningServer> {
  const mutant = typeof options.mutant === 'string' ? mutantNamed(options.mutant) : options.mutant;
  const variant = typeof options.variant === 'string' ? variantNamed(options.variant) : options.variant;
  if (mutant && variant) throw new ConformanceError('CFG_USAGE', `a server is a mutant or a variant, not both (${mutant.name}, ${variant.name})`);
  // A variant may hold its jobs differently (another id format): the store, the identities and the handler all see that seed.
  const seed = variant?.seed?.(options.seed) ?? options.seed;
  const behaviour = mutant ?? variant;
  const handle = behaviour?.handler?.(handleRequest, seed) ?? handleRequest;
  const routes = await loadRoutes(options.spec);
  const store = new FailureJobStore(seed);
  const sessions = new SessionStores(seed, store);
  const newRequestId = () => randomBytes(16).toString('hex');
  const ctx: HandlerContext = {
    store,
    auth: new AuthDirectory(seed),
    now: options.now ?? (() => new Date()),
    newRequestId,
    scenarios: options.scenarios ?? true,
    proxyAuth: options.proxyAuth,
    rateLimit: options.rateLimitPerMinute === undefined ? undefined : createRateLimiter(options.rateLimitPerMinute),
    routes,
  };
  const log = options.onRequest ?? (() => {});
  const maxBody = options.maxRequestBodyBytes ?? 64 * 1024;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const sockets = new Set<Socket>();
  const idleWaiters: Array<() => void> = [];
  /** The request a connection is on, and whether its answer has started (a parse error must not write into it). */
  const current = new WeakMap<Socket, { method: string; path: string; started: number; answering: boolean }>();
  const idleTimedOut = new WeakSet<Socket>();
  let closing = false;

  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(10_000, requestTimeout),
      // Node looks for late requests only this often (default 30 s); a short timeout needs a short look.
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(requestTimeout / 4))),
    },
    (req, res) => {
      const started = performance.now();
      const line = { method: req.method ?? '-', path: req.url ?? '-' };
      const entry = { ...line, started, answering: false };
      current.set(req.socket, entry);
      options.onRequestStart?.(line);
      readBody(req, maxBody)
        .then(
          async (body) => {
            const response = body === 'too-large' ? transportResponse('body-too-large', newRequestId(), { connection: 'close' }) : safeHandle(req, body);
            const outcome = await deliver(res, response, {
              closedBy: (socket) => (closing ? 'server' : socket && idleTimedOut.has(socket) ? 'idle timeout' : 'client'),
              writing: () => {
                entry.answering = true;
              },
              frame: behaviour?.wire,
              stray: mutant?.stray,
            });
            // A keep-alive connection's next request starts clean: its own parse error or timeout gets an answer.
            if (current.get(req.socket) === entry) current.delete(req.socket);
            const fault = response.fault ? describeFault(response.fault) : undefined;
            log({
              ...line,
              status: response.status,
              ms: Math.round(performance.now() - started),
              requestId: response.headers['x-request-id'] ?? '',
              fault,
              outcome,
            });
          },
          // The request never arrived whole: the 408 path or the client's close has said all there is to say.
          () => res.destroy(),
        )
        .catch((error: Error) => {
          // A bug on the way out (an unwritable header, say) costs this connection, never the process.
          options.onError?.(error);
          res.destroy();
        });
    },
  );
  server.maxConnections = options.maxConnections ?? 10_000;
  server.setTimeout(Math.max(MIN_IDLE_TIMEOUT_MS, 2 * requestTimeout), (socket: Socket) => {
    idleTimedOut.add(socket);
    socket.destroy();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) for (const wake of idleWaiters.splice(0)) wake();
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const entry = current.get(socket as Socket);
    const answer = answerClientError(error, socket, entry?.answering ?? false, newRequestId);
    if (answer) {
      const ms = entry ? Math.round(performance.now() - entry.started) : 0;
      log({ method: entry?.method ?? '-', path: entry?.path ?? '-', status: answer.status, ms, requestId: answer.requestId, outcome: { kind: 'sent' } });
    }
  });

  function safeHandle(req: IncomingMessage, body: Buffer): ServerResponse {
    try {
      // Session control (server/sessions.ts) is scenario control: off, the server behaves like production.
      if (ctx.scenarios && req.method === 'POST' && req.url === RESET_PATH) return sessions.reset(req.headers, newRequestId());
      const sessionStore = ctx.scenarios ? sessions.storeFor(req.headers, newRequestId()) : store;
      if (!(sessionStore instanceof FailureJobStore)) return sessionStore;
      return handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body }, { ...ctx, store: sessionStore });
    } catch (error) {
      options.onError?.(error as Error);
      return transportResponse('internal', newRequestId());
    }
  }

  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  // After listening, an 'error' (EMFILE on accept, say) must not take the process down.
  server.on('error', (error) => options.onError?.(error));
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    openConnections: () => sockets.size,
    whenIdle: () => (sockets.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        server.close(() => resolve());
        server.closeAllConnections();
        // Connections Node no longer counts as HTTP (after a parse error) are ours to end.
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function transportResponse(kind: TransportError, requestId: string, extra: Record<string, string> = {}): ServerResponse {
  const { status, template } = TRANSPORT_ERRORS[kind];
  return { status, headers: { ...errorHeaders(requestId), ...extra }, body: errorBody(template, requestId) };
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

/** Stops reading at the cap: the 413 goes out at once and the connection closes after it. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else {
        req.off('data', onData);
        resolve('too-large');
      }
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    // A request that arrived whole is processed even if its client has already gone (a delete still happens).
    req.on('close', () => (req.complete ? resolve(Buffer.concat(chunks)) : reject(new Error('request closed before its body ended'))));
  });
}
