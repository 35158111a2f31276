import { errorCodeOf, parseJsonBody } from '../checks/error-body.ts';
import type { BodyValidator } from '../checks/check-model.ts';
import { ConformanceError, type ErrorCode } from '../errors.ts';
import { headerValue, type Exchange } from '../http/exchange.ts';
import { inlineTerminalText } from '../text/terminal-text.ts';

/**
 * Pure: what the read-only list answered each identity before any case, judged as a setup question —
 * "is this the API, and are these identities accepted?" — never as a contract verdict. A setup mistake
 * (a wrong path, a refused token) would otherwise come back as a page of violations blamed on the server.
 *
 * The line drawn: an answer that is recognisably this API's list (a JSON object holding the documented
 * body's required members) passes, even when a member is wrong — that is the server's fault and the
 * list's own case reports it. Anything else that is not 200 with the documented body is a precondition
 * failure naming its likely cause and the flag that fixes it.
 */
export interface ListProbe {
  /** Whose list was asked for, with whose credentials: each names its own flags. */
  identity: 'primary' | 'other';
  projectId: string;
  exchange: Exchange & { kind: 'response' };
}

export interface ListShape {
  /** The list's documented success status (the operation table's `success`). */
  success: number;
  validator: BodyValidator | undefined;
  /** The members the documented success body requires: what makes an answer recognisably this API's. */
  required: readonly string[];
}

export type PreconditionResult = { ok: true; warnings: string[] } | { ok: false; error: ConformanceError };

const FLAGS = {
  primary: { credentials: '--token/--ak/--sk', project: '--project-id', who: 'the primary identity' },
  other: { credentials: '--other-token/--other-ak/--other-sk', project: '--other-project-id', who: 'the other identity' },
} as const;

const ENDPOINT_PATH_ADVICE =
  "check the endpoint's path: --endpoint is the service's base URL (scheme://host[:port], e.g. https://sdrs.cn-north-4.myhuaweicloud.com), without /v1/… or another prefix";

/** Every probe in order; the first that fails decides the one line. */
export function judgePreconditions(probes: readonly ListProbe[], shape: ListShape): PreconditionResult {
  const warnings: string[] = [];
  for (const probe of probes) {
    const verdict = judgeProbe(probe, shape);
    if ('error' in verdict) return { ok: false, error: verdict.error };
    if (verdict.warning) warnings.push(verdict.warning);
  }
  return { ok: true, warnings };
}

function judgeProbe(probe: ListProbe, shape: ListShape): { warning?: string } | { error: ConformanceError } {
  const { response, request } = probe.exchange;
  const flags = FLAGS[probe.identity];
  const asked = `GET ${pathOf(request.url)} (the list of ${flags.project} ${shown(probe.projectId)}, with ${flags.who}'s credentials)`;
  const fail = (code: ErrorCode, text: string) => ({ error: new ConformanceError(code, text) });
  const answered = `answered ${response.status}${describe(probe.exchange)}`;
  const status = response.status;
  if (status === shape.success) {
    const body = parseJsonBody(response.body);
    const value = body.ok ? body.value : undefined;
    const verdict = value === undefined ? undefined : shape.validator?.(value);
    if (verdict?.valid || (value !== undefined && !shape.validator)) return {};
    if (isRecognisable(value, shape.required)) {
      const where = verdict && !verdict.valid ? ` (at ${verdict.pointer}: ${verdict.message})` : '';
      return { warning: `warning: ${asked} answered ${status} with a body that breaks the documented schema${shown(where)}; the list's own case reports it.` };
    }
    return fail(
      'PRE_NOT_THIS_API',
      `the endpoint does not serve this API: ${asked} answered ${status}${describe(probe.exchange)}, not the documented list — ${ENDPOINT_PATH_ADVICE}.`,
    );
  }
  if (status === 401 || status === 403) {
    const code = probe.identity === 'primary' ? 'PRE_IDENTITY' : 'PRE_OTHER_IDENTITY';
    return fail(code, `the endpoint refused ${flags.who}: ${asked} ${answered} — check ${flags.credentials} and ${flags.project}.`);
  }
  if (status >= 300 && status < 400) {
    const location = headerValue(response, 'location');
    return fail(
      'PRE_NOT_THIS_API',
      `the endpoint redirects: ${asked} ${answered}${location ? ` to ${shown(location)}` : ''}; redirects are never followed, so credentials never travel to another origin — check --endpoint (scheme, host and path).`,
    );
  }
  if (status === 429 || status >= 500) {
    return fail('PRE_UNAVAILABLE', `the endpoint is not serving now: ${asked} ${answered} — try again later; no case was run, so nothing is blamed on it.`);
  }
  if (probe.identity === 'other') {
    // The primary identity's list already proved the path: what differs now is the other project and its credentials.
    return fail('PRE_OTHER_IDENTITY', `the endpoint did not list the other project: ${asked} ${answered} — check ${flags.project} and ${flags.credentials}.`);
  }
  const project = status === 400 ? ` and ${flags.project}` : '';
  return fail('PRE_NOT_THIS_API', `the endpoint does not serve this API: ${asked} ${answered} — ${ENDPOINT_PATH_ADVICE}${project}.`);
}

/** A JSON object holding every member the documented body requires: this API's answer, right or wrong. */
function isRecognisable(value: unknown, required: readonly string[]): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value) || required.length === 0) return false;
  return required.every((name) => Object.hasOwn(value, name));
}

/** " (APIG.0101, application/json)", " (text/html)" — enough to tell a gateway's route miss from a web page. */
function describe(exchange: ListProbe['exchange']): string {
  const body = parseJsonBody(exchange.response.body);
  const code = body.ok ? errorCodeOf(body.value)?.code : undefined;
  const type = headerValue(exchange.response, 'content-type')?.split(';')[0]?.trim();
  const parts = [code && shown(code), type ? shown(type) : 'no Content-Type', exchange.response.body.length === 0 ? 'empty body' : undefined].filter(Boolean);
  return ` (${parts.join(', ')})`;
}

/** Received text in a one-line message: inert and short. */
const shown = (text: string) => inlineTerminalText(text, 80);

function pathOf(url: string): string {
  return shown(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] || url);
}
