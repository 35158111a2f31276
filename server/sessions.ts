import { ERROR_TEMPLATES, errorResponse, type ErrorTemplate } from './error-responses.ts';
import type { ServerResponse } from './handler.ts';
import type { Seed } from './seed.ts';
import { FailureJobStore } from './store.ts';

/** A client's private copy of the seed: every request carrying the same value sees and changes only that copy. */
export const SESSION_HEADER = 'x-sdrs-session';
/** `POST /__sdrs/reset` puts the seed back (the session's copy, or the shared jobs without the header). */
export const RESET_PATH = '/__sdrs/reset';

/** Session ids: short and plain, so a log line can show them. */
const SESSION_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Copies kept at once; the least recently used goes first (a copy is a few jobs per project). */
const MAX_SESSIONS = 256;

/**
 * The reference server's state per client. Without X-Sdrs-Session every client shares one store (as
 * on a real service); with it, a client gets its own copy of the seed — one team's `DELETE …/batch`
 * or test run no longer empties another's jobs, and a new session starts from the seed.
 */
export class SessionStores {
  private readonly sessions = new Map<string, FailureJobStore>();

  constructor(
    private readonly seed: Seed,
    readonly shared: FailureJobStore,
  ) {}

  /** The store a request works on, or the 400 a malformed session id gets. */
  storeFor(headers: Record<string, string | string[] | undefined>, requestId: string): FailureJobStore | ServerResponse {
    const id = headers[SESSION_HEADER];
    if (id === undefined) return this.shared;
    if (typeof id !== 'string' || !SESSION_ID.test(id)) {
      const template = ERROR_TEMPLATES[400] as ErrorTemplate;
      return errorResponse(400, requestId, {
        ...template,
        message: `X-Sdrs-Session must be 1–64 characters of A–Z a–z 0–9 . _ - (reference server session control; the request was not processed)`,
      });
    }
    let store = this.sessions.get(id);
    if (store) this.sessions.delete(id);
    else store = new FailureJobStore(this.seed);
    this.sessions.set(id, store);
    for (const oldest of this.sessions.keys()) {
      if (this.sessions.size <= MAX_SESSIONS) break;
      this.sessions.delete(oldest);
    }
    return store;
  }

  /** `POST /__sdrs/reset`: the seed again, for the session named, or for the shared jobs. */
  reset(headers: Record<string, string | string[] | undefined>, requestId: string): ServerResponse {
    const store = this.storeFor(headers, requestId);
    if (!(store instanceof FailureJobStore)) return store;
    store.reset();
    const session = headers[SESSION_HEADER];
    const jobs = this.seed.projects.reduce((n, p) => n + p.jobs.length, 0);
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ reset: typeof session === 'string' ? { session } : 'shared', jobs }),
    };
  }
}
