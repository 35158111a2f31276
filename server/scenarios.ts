import { ERROR_TEMPLATES } from './error-responses.ts';

/** Statuses `Prefer: code=NNN` can produce: every error status the server has a template for, and 204 where the operation documents it. */
export const SYNTHESISABLE_STATUSES: readonly number[] = [204, ...Object.keys(ERROR_TEMPLATES).map(Number)];

/** Prism's convention: `Prefer: code=404`. Anything else (or an unknown status) is ignored, not guessed. */
export function preferredStatus(prefer: string | string[] | undefined): number | undefined {
  const value = Array.isArray(prefer) ? prefer.join(',') : prefer;
  const match = value ? /(?:^|[,;\s])code=(\d{3})(?:$|[,;\s])/.exec(value) : null;
  const status = match ? Number(match[1]) : undefined;
  return status !== undefined && SYNTHESISABLE_STATUSES.includes(status) ? status : undefined;
}

/** The request header that asks for a network fault; the response (when one is sent) echoes it. */
export const SCENARIO_HEADER = 'x-sdrs-scenario';
export const SCENARIO_APPLIED_HEADER = 'x-sdrs-scenario-applied';

/**
 * How the answer leaves the server. The request is always processed first (a delete happens even
 * when the answer is then reset or never sent): that is the case a client's retry logic must survive.
 * - complete: the whole response
 * - stall: status line and headers, then part of the body and never the rest (no body: the head never ends)
 * - reset: no response, the connection is reset (TCP RST)
 * - hang: no response at all, the connection stays open
 */
export type FaultEnding = 'complete' | 'stall' | 'reset' | 'hang';

export interface Fault {
  /** Added before anything is written, ms. */
  latencyMs: number;
  ending: FaultEnding;
}

/** Longest latency a request may ask for: keeps every fault bounded well inside the idle timeout. */
export const MAX_LATENCY_MS = 60_000;

const SCENARIO_GRAMMAR = `latency=MS (0–${MAX_LATENCY_MS}), reset, stall or hang, comma-separated, at most one of reset/stall/hang (e.g. "latency=200, reset")`;

export type ScenarioRequest = { kind: 'none' } | { kind: 'fault'; fault: Fault; applied: string } | { kind: 'invalid'; detail: string };

const ENDINGS: ReadonlySet<string> = new Set<FaultEnding>(['stall', 'reset', 'hang']);

/** Parses `X-Sdrs-Scenario`. A value it does not understand is reported, never silently ignored. */
export function parseScenario(header: string | string[] | undefined): ScenarioRequest {
  const value = (Array.isArray(header) ? header.join(',') : (header ?? '')).trim();
  if (value === '') return { kind: 'none' };
  let latencyMs: number | undefined;
  let ending: FaultEnding | undefined;
  for (const raw of value.split(',')) {
    const token = raw.trim().toLowerCase();
    const latency = /^latency=(\d{1,6})$/.exec(token);
    if (latency) {
      const ms = Number(latency[1]);
      if (latencyMs !== undefined) return invalid(value, 'latency given twice');
      if (ms > MAX_LATENCY_MS) return invalid(value, `latency ${ms} ms is above the ${MAX_LATENCY_MS} ms bound`);
      latencyMs = ms;
    } else if (ENDINGS.has(token)) {
      if (ending !== undefined) return invalid(value, `both ${ending} and ${token}`);
      ending = token as FaultEnding;
    } else {
      return invalid(value, `"${raw.trim()}" is not understood`);
    }
  }
  const fault: Fault = { latencyMs: latencyMs ?? 0, ending: ending ?? 'complete' };
  return { kind: 'fault', fault, applied: describeFault(fault) };
}

/** The canonical spelling, echoed in X-Sdrs-Scenario-Applied and in the request log. */
export function describeFault(fault: Fault): string {
  const parts = fault.latencyMs > 0 ? [`latency=${fault.latencyMs}`] : [];
  if (fault.ending !== 'complete') parts.push(fault.ending);
  return parts.join(', ') || 'latency=0';
}

function invalid(value: string, why: string): ScenarioRequest {
  return { kind: 'invalid', detail: `X-Sdrs-Scenario "${value.slice(0, 100)}": ${why}; expected ${SCENARIO_GRAMMAR}` };
}
