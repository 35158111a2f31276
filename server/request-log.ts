/** One line per request: what was asked, what was decided, and what actually reached the client. */
export interface RequestLogLine {
  /** '-' when the request head never arrived whole (a parse error or a header timeout). */
  method: string;
  path: string;
  /** The status decided; sent in full only when `outcome` is 'sent'. */
  status: number;
  ms: number;
  requestId: string;
  /** The X-Sdrs-Scenario applied, in its canonical spelling. */
  fault?: string | undefined;
  outcome: DeliveryOutcome;
}

/**
 * - sent: the whole answer was written
 * - reset: the connection was reset instead (the `reset` fault)
 * - abandoned: the connection closed before the answer was complete (hang, stall, a client giving up
 *   during added latency, the server closing or its idle timeout)
 */
export type DeliveryOutcome = { kind: 'sent' } | { kind: 'reset' } | { kind: 'abandoned'; closedBy: 'client' | 'server' | 'idle timeout' };

const MAX_PATH_CHARS = 200;

/** `DELETE /v1/…/failure-jobs/x 204 3ms 9f2c…` — plus, when a fault was asked for, what it did. */
export function formatLogLine(line: RequestLogLine): string {
  const path = line.path.length > MAX_PATH_CHARS ? `${line.path.slice(0, MAX_PATH_CHARS)}…` : line.path;
  const parts = [line.method, path, String(line.status), `${line.ms}ms`, line.requestId || '-'];
  if (line.fault !== undefined) parts.push(`scenario=${line.fault}`);
  if (line.outcome.kind === 'reset') parts.push('(connection reset, nothing sent)');
  if (line.outcome.kind === 'abandoned') parts.push(`(answer not completed: ${line.outcome.closedBy} closed the connection)`);
  return parts.join(' ');
}
