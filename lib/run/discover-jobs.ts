import { bodyText } from '../http/exchange.ts';
import { sendExchange } from '../http/send-exchange.ts';
import { ConformanceError } from '../errors.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import { buildRequest, operationUrl } from './build-request.ts';
import type { RunConfig } from './run-config.ts';

/** Lists the primary project's failed tasks (GET …/failure-jobs) and returns their job ids, in list order. */
export async function discoverJobs(config: RunConfig, list: OperationModel): Promise<string[]> {
  const url = operationUrl(config.baseUrl, list, { project_id: config.primary.projectId });
  const exchange = await sendExchange(buildRequest('GET', url, config.primary.credential, new Date()), config.http);
  if (exchange.kind === 'network-error') {
    throw new ConformanceError('NET_UNREACHABLE', `listing failure jobs at ${redactUrl(url)} failed: ${exchange.error.cause} (${exchange.error.code})`);
  }
  if (exchange.response.status !== 200) {
    throw new ConformanceError('RUN_FAILED', `--discover: GET ${redactUrl(url)} answered ${exchange.response.status}, expected 200 with {"failure_jobs": […]}`);
  }
  let ids: unknown;
  try {
    ids = (JSON.parse(bodyText(exchange.response.body)) as { failure_jobs?: Array<{ job_id?: unknown }> }).failure_jobs?.map((job) => job.job_id);
  } catch {
    ids = undefined;
  }
  if (!Array.isArray(ids)) throw new ConformanceError('RUN_FAILED', `--discover: GET ${redactUrl(url)} did not return {"failure_jobs": […]} JSON`);
  return ids.filter((id): id is string => typeof id === 'string' && id.length > 0);
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}
