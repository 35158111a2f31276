/**
 * The one error type bad input raises. The CLI prints `code: message` and nothing else — no stack —
 * so the message must say what was expected, what was seen, where, and what to do.
 */
export type ErrorCode =
  | 'CFG_USAGE'
  | 'CFG_INVALID'
  /** An output folder holds something this tool did not write, or is one a person lives in (/, ~, the working directory). */
  | 'CFG_UNSAFE_OUTPUT'
  | 'SPEC_UNREADABLE'
  | 'SPEC_INVALID'
  | 'SPEC_UNSUPPORTED'
  | 'NET_UNREACHABLE'
  /** Preconditions (lib/judge/preconditions.ts): a setup mistake seen before any case, never a contract verdict. */
  | 'PRE_NOT_THIS_API'
  | 'PRE_IDENTITY'
  | 'PRE_OTHER_IDENTITY'
  /** The endpoint answered the read-only list with 429 or 5xx: it is there, but not serving now. */
  | 'PRE_UNAVAILABLE'
  | 'RUN_FAILED';

export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isConformanceError(value: unknown): value is ConformanceError {
  return value instanceof ConformanceError;
}

/** One line for a person: known errors by code, anything else by its message only. */
export function formatError(error: unknown): string {
  if (isConformanceError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `RUN_FAILED: ${error.message}`;
  return `RUN_FAILED: ${String(error)}`;
}
