import { expect, test } from 'vitest';
import { describeServer } from '../../server/banner.ts';
import { parseProxyAuth } from '../../server/proxy-auth.ts';
import { BUSY_JOB, FREE_JOB, projectA, projectB, seed, TOKEN_A } from './support.ts';

const URL = 'http://127.0.0.1:8080';

test('the banner names every identity and gives a 204 and a 404 to paste', () => {
  const text = describeServer({ url: URL, seed, scenarios: true, requestTimeoutMs: 30_000 }).join('\n');
  expect(text).toContain(`listening on ${URL}`);
  for (const project of [projectA, projectB]) {
    expect(text).toContain(project.projectId);
    for (const token of project.tokens) expect(text).toContain(`X-Auth-Token: ${token}`);
    for (const { ak, sk } of project.aksk) expect(text).toContain(`${ak} / ${sk}`);
  }
  expect(text).toContain(BUSY_JOB);
  expect(text).toContain(`curl -i -X DELETE -H 'X-Auth-Token: ${TOKEN_A}' '${URL}/v1/${projectA.projectId}/task-center/failure-jobs/${FREE_JOB}'`);
  expect(text).toContain(
    `curl -i -X DELETE -H 'X-Auth-Token: ${TOKEN_A}' '${URL}/v1/${projectA.projectId}/task-center/failure-jobs/00000000-0000-4000-8000-000000000000'`,
  );
  expect(text).toContain('Scenario control: on');
  expect(text).not.toContain('Proxy auth');
});

test('proxy auth, rate limit and --no-scenarios show, and the curls carry the proxy credentials', () => {
  const proxyAuth = parseProxyAuth('u:p');
  const text = describeServer({ url: URL, seed, scenarios: false, requestTimeoutMs: 500, proxyAuth, rateLimitPerMinute: 7 }).join('\n');
  expect(text).toContain('Scenario control: off');
  expect(text).toContain('Request timeout: 500 ms');
  expect(text).toContain('7 requests per project per minute, then 429');
  expect(text).toContain(`-H 'Proxy-Authorization: ${proxyAuth.expected}'`);
});

test('a seed without tokens says how to call instead of printing a curl that cannot work', () => {
  const tokenless = { projects: [{ ...projectA, tokens: [] }] };
  const text = describeServer({ url: URL, seed: tokenless, scenarios: true, requestTimeoutMs: 30_000 }).join('\n');
  expect(text).not.toContain('curl');
  expect(text).toContain('sign requests with an AK/SK pair');
});
