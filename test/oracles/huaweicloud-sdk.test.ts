import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger.js';
import { describe, expect, onTestFinished, test } from 'vitest';
import { startReferenceServer } from '../../server/http-server.ts';
import { projectA, projectB, seed } from '../support/reference.ts';

/**
 * The official Huawei Cloud Node SDK core — a client nobody here wrote — calling `serve` with AK/SK,
 * the way a client team's generated SdrsClient would (sdrs-api-notes.md §4: the Node SDK has no SDRS
 * module; a generated one hands HcClient exactly these request options). Its signatures must be
 * accepted and its error handling must surface our codes. Its two known limits are pinned here too,
 * as docs/reference-server.md describes them: if an SDK release lifts one, this test says so.
 */
// The SDK logs every failed call to stdout, request config (signed headers) and all: not in our test output.
Logger4jInstance.level = 'off';

const DELETE = '/v1/{project_id}/task-center/failure-jobs/{failure_job_id}';
const BUSY_JOB = projectA.jobs.find((job) => job.busy)?.job_id as string;
const FREE_JOB = '897f57b2-6e94-4179-b414-9532726c59f2';

interface SdkError {
  httpStatusCode?: number;
  errorCode?: string;
  errorMsg?: string;
  requestId?: string;
}

async function serve(): Promise<string> {
  const server = await startReferenceServer({ seed, scenarios: false });
  onTestFinished(() => server.close());
  return server.url;
}

/** An HcClient for `endpoint` with AK/SK, as ClientBuilder makes one for a generated service client. */
function sdkClient(endpoint: string, identity: { ak: string; sk: string; projectId: string }, axiosRequestConfig: Record<string, unknown> = {}): HcClient {
  const credentials = new BasicCredentials().withAk(identity.ak).withSk(identity.sk).withProjectId(identity.projectId);
  return new ClientBuilder((client: HcClient) => client)
    .withCredential(credentials)
    .withEndpoint(endpoint)
    .withOptions({ axiosRequestConfig: { timeout: 10_000, ...axiosRequestConfig } })
    .build();
}

/** deleteFailureJob as a generated client sends it; the SDK's exception fields when it throws. */
async function deleteFailureJob(client: HcClient, failureJobId: string): Promise<{ httpStatusCode?: number; body?: unknown; error?: SdkError }> {
  try {
    const body = (await client.sendRequest({
      method: 'DELETE',
      url: DELETE,
      contentType: 'application/json',
      queryParams: {},
      pathParams: { failure_job_id: failureJobId },
      headers: {},
    })) as { httpStatusCode?: number };
    return { httpStatusCode: body.httpStatusCode, body };
  } catch (error) {
    const { httpStatusCode, errorCode, errorMsg, requestId } = error as SdkError;
    return { error: { httpStatusCode, errorCode, errorMsg, requestId } };
  }
}

const keyA = { ...projectA.aksk[0]!, projectId: projectA.projectId };

describe('the Huawei Cloud Node SDK core against serve, with AK/SK', () => {
  test('a signed delete of a job is accepted: 204', async () => {
    const client = sdkClient(await serve(), keyA);
    expect(await deleteFailureJob(client, FREE_JOB)).toEqual({ httpStatusCode: 204, body: { httpStatusCode: 204 } });
    // …and a second time the job is gone: 404 (the SDK's errorCode: see the itemNotFound limit below).
    expect((await deleteFailureJob(client, FREE_JOB)).error?.httpStatusCode).toBe(404);
  });

  test.for([
    ['an unknown AK', { ...keyA, ak: 'REFAKNOBODY000000000' }, FREE_JOB, 401, 'APIG.0301'],
    ['a wrong secret key', { ...keyA, sk: 'not-the-secret-key' }, FREE_JOB, 401, 'APIG.0301'],
    ["another project's path", { ...keyA, projectId: projectB.projectId }, FREE_JOB, 403, 'APIG.0302'],
    ['a busy job', keyA, BUSY_JOB, 409, 'SDRS.9409'],
  ] as const)('%s surfaces its status and error code', async ([, identity, jobId, status, code]) => {
    const { error } = await deleteFailureJob(sdkClient(await serve(), identity), jobId);
    expect(error).toMatchObject({ httpStatusCode: status, errorCode: code, requestId: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });
});

describe('the SDK core’s two limits (docs/reference-server.md, "Huawei Cloud SDKs")', () => {
  test('limit 1: it reads no code from {"itemNotFound": …} or {"badrequest": …} — the workaround reads the body itself', async () => {
    const endpoint = await serve();
    const { error } = await deleteFailureJob(sdkClient(endpoint, keyA), '00000000-0000-4000-8000-000000000000');
    expect(error).toMatchObject({ httpStatusCode: 404, errorCode: undefined, errorMsg: 'Request failed with status code 404' });
    // Workaround: let every status resolve and take code/message from whichever wrapper the body has.
    const lenient = sdkClient(endpoint, keyA, { validateStatus: () => true });
    const { body } = await deleteFailureJob(lenient, '00000000-0000-4000-8000-000000000000');
    expect(body).toMatchObject({ httpStatusCode: 404, itemNotFound: { code: 'SDRS.9404' } });
  });

  test('limit 2: an id that needs percent-encoding is signed as encoded once and sent otherwise: 401, not 400', async () => {
    const endpoint = await serve();
    const { error } = await deleteFailureJob(sdkClient(endpoint, keyA), 'job id with spaces');
    expect(error).toMatchObject({ httpStatusCode: 401, errorCode: 'APIG.0301' });
  });
});
