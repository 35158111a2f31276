import type { ProxyAuth } from './proxy-auth.ts';
import { MAX_LATENCY_MS } from './scenarios.ts';
import type { Seed, SeedProject } from './seed.ts';

export interface BannerInput {
  url: string;
  seed: Seed;
  scenarios: boolean;
  requestTimeoutMs: number;
  proxyAuth?: ProxyAuth | undefined;
  rateLimitPerMinute?: number | undefined;
}

/**
 * What `serve` prints at start: where it listens, who it accepts, and two commands to paste. The
 * credentials are the seed's fake public ones: printing them is the point of a mock.
 */
export function describeServer(input: BannerInput): string[] {
  const { url, seed } = input;
  const lines = [
    `SDRS reference server listening on ${url}`,
    '  API: DELETE /v1/{project_id}/task-center/failure-jobs/{failure_job_id} (and GET …/failure-jobs to list)',
    input.scenarios
      ? `  Scenario control: on — Prefer: code=NNN; X-Sdrs-Scenario: latency=MS (≤ ${MAX_LATENCY_MS}), reset, stall, hang`
      : '  Scenario control: off (--no-scenarios) — Prefer and X-Sdrs-Scenario are ignored, as in production',
    `  Request timeout: ${input.requestTimeoutMs} ms, then 408`,
  ];
  if (input.proxyAuth)
    lines.push(`  Proxy auth: on (user "${input.proxyAuth.user}") — without Proxy-Authorization: ${input.proxyAuth.expected}, every request gets 407`);
  if (input.rateLimitPerMinute !== undefined)
    lines.push(`  Rate limit: ${input.rateLimitPerMinute} requests per project per minute, then 429 (gateway throttling, outside the doc's status table)`);
  lines.push('Identities (fake and public — this is a mock):');
  for (const project of seed.projects) {
    const busy = project.jobs.filter((job) => job.busy).map((job) => job.job_id);
    lines.push(`  ${project.name ?? '(unnamed)'}  project_id ${project.projectId}`);
    for (const token of project.tokens) lines.push(`    X-Auth-Token: ${token}`);
    for (const { ak, sk } of project.aksk) lines.push(`    AK/SK: ${ak} / ${sk}  (SDK-HMAC-SHA256)`);
    lines.push(`    failure jobs: ${project.jobs.length}${busy.length ? ` (busy, delete → 409: ${busy.join(', ')})` : ''}`);
  }
  lines.push(...tryIt(input));
  lines.push(...runIt(input));
  lines.push('One log line per request: METHOD PATH STATUS MS REQUEST-ID. Ctrl+C (SIGINT) or SIGTERM stops the server.');
  return lines;
}

function tryIt(input: BannerInput): string[] {
  const project = input.seed.projects.find((p) => p.tokens.length > 0);
  if (!project) return ['Try it: no project has an X-Auth-Token; sign requests with an AK/SK pair (see docs/reference-server.md).'];
  const deletable = project.jobs.find((job) => !job.busy);
  const lines = ['Try it:'];
  if (deletable) {
    lines.push(`  # 204 No Content: deletes ${deletable.job_id} of ${project.name ?? project.projectId} (a second time → 404)`);
    lines.push(`  ${curlDelete(input, project, deletable.job_id)}`);
  }
  lines.push('  # 404 Not Found: no such failure job');
  lines.push(`  ${curlDelete(input, project, unusedJobId(project))}`);
  return lines;
}

function curlDelete(input: BannerInput, project: SeedProject, jobId: string): string {
  const headers = [`X-Auth-Token: ${project.tokens[0]}`];
  if (input.proxyAuth) headers.push(`Proxy-Authorization: ${input.proxyAuth.expected}`);
  const url = `${input.url}/v1/${encodeURIComponent(project.projectId)}/task-center/failure-jobs/${encodeURIComponent(jobId)}`;
  return ['curl -i -X DELETE', ...headers.map((h) => `-H ${shellQuote(h)}`), shellQuote(url)].join(' ');
}

/**
 * The one command that comes out CONFORMANT against this server: two identities, discovery and
 * permission to delete, scenario control (the statuses no client provokes). `run --scenario-control`
 * sends X-Sdrs-Session, so every run starts from the seed, whoever else uses the server.
 */
function runIt(input: BannerInput): string[] {
  const [a, b] = input.seed.projects.filter((p) => p.tokens.length > 0);
  if (!a) return [];
  const flags = [
    'sdrs-conformance run --endpoint',
    shellQuote(input.url),
    '--project-id',
    shellQuote(a.projectId),
    '--token',
    shellQuote(a.tokens[0] as string),
    ...(b ? ['--other-project-id', shellQuote(b.projectId), '--other-token', shellQuote(b.tokens[0] as string)] : []),
    '--discover --allow-delete',
    ...(input.scenarios ? ['--scenario-control'] : []),
    ...(input.proxyAuth ? ['-H', shellQuote(`Proxy-Authorization: ${input.proxyAuth.expected}`)] : []),
  ];
  const sessions = input.scenarios
    ? `each run gets its own copy of the jobs (X-Sdrs-Session); POST ${input.url}/__sdrs/reset restores the shared ones`
    : 'runs share the jobs (--no-scenarios): restart the server to restore them';
  return [`Run the suite against it (${sessions}):`, `  ${flags.join(' ')}`];
}

/** A UUID-shaped id (the doc example's form) that names no job of the project. */
function unusedJobId(project: SeedProject): string {
  const taken = new Set(project.jobs.map((job) => job.job_id));
  for (let n = 0; ; n += 1) {
    const id = `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    if (!taken.has(id)) return id;
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
