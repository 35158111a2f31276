import type { Identity } from '../auth/credentials.ts';
import { bodyText, type Exchange } from '../http/exchange.ts';
import { sendExchange } from '../http/send-exchange.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import { buildRequest, operationUrl } from './build-request.ts';
import type { RunConfig } from './run-config.ts';

export type JobList = { ok: true; exchange: Exchange; ids: string[] } | { ok: false; exchange: Exchange; problem: string };

/** GET …/failure-jobs as `identity`, on its own project: the job ids in list order, or what went wrong. */
export async function listJobIds(config: RunConfig, list: OperationModel, identity: Identity, signal?: AbortSignal): Promise<JobList> {
  const url = operationUrl(config.baseUrl, list, { project_id: identity.projectId });
  const exchange = await sendExchange(buildRequest('GET', url, identity.credential, new Date()), config.http, signal);
  const where = `GET ${new URL(url).pathname}`;
  if (exchange.kind === 'network-error') return { ok: false, exchange, problem: `${where} failed: ${exchange.error.cause} (${exchange.error.code})` };
  if (exchange.response.status !== 200) return { ok: false, exchange, problem: `${where} answered ${exchange.response.status}, expected 200 with {"failure_jobs": […]}` };
  let ids: unknown;
  try {
    ids = (JSON.parse(bodyText(exchange.response.body)) as { failure_jobs?: Array<{ job_id?: unknown }> }).failure_jobs?.map((job) => job.job_id);
  } catch {
    ids = undefined;
  }
  if (!Array.isArray(ids)) return { ok: false, exchange, problem: `${where} did not return {"failure_jobs": […]} JSON` };
  return { ok: true, exchange, ids: ids.filter((id): id is string => typeof id === 'string' && id.length > 0) };
}
