import type { HandlerContext, ServerRequest, ServerResponse } from '../handler.ts';
import type { Seed } from '../seed.ts';

/**
 * Where a real regression of "Delete a failed task" or of the list comes from. Ids are public (the
 * matrix, `serve --list-mutants`, reports): never rename one.
 */
export const FAMILIES = ['success', 'authn', 'bola', 'ids', 'query', 'error-bodies', 'methods', 'concurrency', 'misconfig', 'state', 'robustness'] as const;
export type MutantFamily = (typeof FAMILIES)[number];

/** The pure handler's shape: the faithful `handleRequest`, or a mutant wrapped around it. */
export type Handle = (request: ServerRequest, ctx: HandlerContext) => ServerResponse;

/**
 * A variant of the reference server that breaks the contract in exactly one way. It is data plus
 * the breakage: how it wraps the faithful handler (request → response) and, for what no
 * ServerResponse can say (bytes after a 204, framing), the bytes the delivery layer writes instead.
 */
export interface Mutant {
  name: string;
  family: MutantFamily;
  /** One line: what is broken, in the words a bug report would use. */
  description: string;
  /** Called once per server, so a mutant may keep state (remembered deletions, say). */
  handler?: (faithful: Handle, seed: Seed) => Handle;
  /** The whole answer as raw bytes, written instead of what Node would send; the connection closes after them. */
  wire?: (response: ServerResponse, method: string) => Buffer | undefined;
  /** Bytes after a well-formed answer on its kept-alive connection, outside any message (server/deliver.ts). */
  stray?: (response: ServerResponse) => StrayBytes | undefined;
}

/**
 * Leftovers a broken server writes on a connection after an answer: `afterMs` later (a late flush), or
 * in front of the connection's next answer (a buffer flushed with the next write).
 */
export interface StrayBytes {
  bytes: Buffer;
  when: { afterMs: number } | 'before-next-answer';
}
