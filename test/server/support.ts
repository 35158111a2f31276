import { connect } from 'node:net';
import { Agent, request } from 'undici';
import { onTestFinished } from 'vitest';
import { AuthDirectory } from '../../server/auth-directory.ts';
import type { HandlerContext, ServerRequest } from '../../server/handler.ts';
import { startReferenceServer, type ReferenceServerOptions, type RunningServer } from '../../server/http-server.ts';
import type { RequestLogLine } from '../../server/request-log.ts';
import { loadRoutes, type RouteTable } from '../../server/routes.ts';
import { loadSeed, type Seed } from '../../server/seed.ts';
import { FailureJobStore } from '../../server/store.ts';

export const seed: Seed = loadSeed();
export const [projectA, projectB] = seed.projects as [Seed['projects'][0], Seed['projects'][0]];
export const TOKEN_A = projectA.tokens[0] as string;
/** A job of project A no test deletes (busy: a delete answers 409), and one that any test may delete on its own server. */
export const BUSY_JOB = projectA.jobs.find((job) => job.busy)?.job_id as string;
export const FREE_JOB = projectA.jobs.find((job) => !job.busy)?.job_id as string;
export const UNKNOWN_JOB = '00000000-0000-4000-8000-00000000dead';

export const TOKEN_B = projectB.tokens[0] as string;
export const listPath = (projectId = projectA.projectId) => `/v1/${projectId}/task-center/failure-jobs`;

let routes: Promise<RouteTable> | undefined;

/** For the pure handler: a fresh store of the seed, the shipped spec's routes, scenario control on, request ids rid1, rid2, … */
export async function handlerContext(options: Partial<HandlerContext> = {}): Promise<HandlerContext> {
  let n = 0;
  routes ??= loadRoutes();
  return {
    store: new FailureJobStore(seed),
    auth: new AuthDirectory(seed),
    now: () => new Date(),
    newRequestId: () => {
      n += 1;
      return `rid${n}`;
    },
    scenarios: true,
    routes: await routes,
    ...options,
  };
}

/** A request for the pure handler; project A's token unless headers say otherwise. */
export const pureRequest = (method: string, url: string, headers: ServerRequest['headers'] = { 'x-auth-token': TOKEN_A }): ServerRequest => ({
  method,
  url,
  headers,
  body: Buffer.alloc(0),
});

export const jobUrl = (server: { url: string }, jobId: string, projectId = projectA.projectId) =>
  `${server.url}/v1/${projectId}/task-center/failure-jobs/${encodeURIComponent(jobId)}`;

export interface TestServer extends RunningServer {
  /** Every log line so far. */
  lines: RequestLogLine[];
  /** The next log line that matches, however soon it comes: log lines are the server's own events. */
  nextLine(match: (line: RequestLogLine) => boolean): Promise<RequestLogLine>;
  /** Settles once `count` requests have reached the handler in all (counting from the start). */
  started(count: number): Promise<void>;
}

/** A reference server on a free loopback port, closed when the test ends (registered before anything can fail). */
export async function testServer(options: Partial<ReferenceServerOptions> = {}): Promise<TestServer> {
  const lines: RequestLogLine[] = [];
  const waiters: Array<{ match: (line: RequestLogLine) => boolean; resolve: (line: RequestLogLine) => void }> = [];
  let starts = 0;
  const startWaiters: Array<{ count: number; resolve: () => void }> = [];
  const server = await startReferenceServer({
    seed,
    ...options,
    onRequestStart: () => {
      starts += 1;
      for (const waiter of startWaiters.filter((w) => w.count <= starts)) {
        startWaiters.splice(startWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
    onRequest: (line) => {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.match(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    },
  });
  onTestFinished(() => server.close());
  return Object.assign(server, {
    lines,
    nextLine: (match: (line: RequestLogLine) => boolean) =>
      new Promise<RequestLogLine>((resolve) => {
        const seen = lines.find(match);
        if (seen) resolve(seen);
        else waiters.push({ match, resolve });
      }),
    started: (count: number) => new Promise<void>((resolve) => (count <= starts ? resolve() : startWaiters.push({ count, resolve }))),
  });
}

/** Explicit waits on every request (undici's defaults are 300 s); one connection per request. */
export const TIMEOUTS = { connectTimeout: 2000, headersTimeout: 5000, bodyTimeout: 5000 };
/** Connections are not kept (reset: true), so this agent holds nothing open between tests. */
const DISPATCHER = new Agent({ connect: { timeout: TIMEOUTS.connectTimeout } });

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: unknown;
}

export async function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; headersTimeout?: number; bodyTimeout?: number } = {},
): Promise<Answer> {
  const response = await request(url, {
    method: (init.method ?? 'DELETE') as 'DELETE',
    headers: init.headers ?? { 'x-auth-token': TOKEN_A },
    body: init.body,
    dispatcher: DISPATCHER,
    headersTimeout: init.headersTimeout ?? TIMEOUTS.headersTimeout,
    bodyTimeout: init.bodyTimeout ?? TIMEOUTS.bodyTimeout,
    reset: true,
  });
  const body = await response.body.text();
  const headers = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers, body, json };
}

export interface RawResult {
  /** Everything the server sent, latin1. */
  data: string;
  /** How the exchange ended: the server closed, reset, or the test's own deadline came first. */
  end: 'closed' | 'reset' | 'deadline';
}

/** Bytes no HTTP client would send, on a raw loopback socket, read until the server closes or `deadlineMs`. */
export function rawExchange(port: number, bytes: string | Buffer, deadlineMs = 5000): Promise<RawResult> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let end: RawResult['end'] = 'closed';
    const deadline = setTimeout(() => {
      end = 'deadline';
      socket.destroy();
    }, deadlineMs);
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET') end = 'reset';
    });
    socket.on('close', () => {
      clearTimeout(deadline);
      resolve({ data, end });
    });
    socket.write(bytes);
  });
}

/** Status and JSON body of the first response in raw bytes. */
export function parseRaw(data: string): { status: number; headers: Record<string, string>; json: unknown } {
  const [head = '', body = ''] = data.split('\r\n\r\n', 2);
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, json };
}

/** A well-formed HTTP/1.1 request as bytes, for rawExchange. */
export function rawRequest(method: string, path: string, headers: Record<string, string> = { 'x-auth-token': TOKEN_A }): string {
  return [`${method} ${path} HTTP/1.1`, 'host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
}

export const jobPath = (jobId: string, projectId = projectA.projectId) => `/v1/${projectId}/task-center/failure-jobs/${encodeURIComponent(jobId)}`;
