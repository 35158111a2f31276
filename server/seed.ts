import { readFileSync } from 'node:fs';
import { ConformanceError } from '../lib/errors.ts';
import { projectPath } from '../lib/project-paths.ts';

/** One failed task as the list operation returns it (sdrs-api-notes.md §7); `busy` is the server's own flag. */
export interface FailureJob {
  job_id: string;
  job_type: string;
  job_status?: 'FAIL';
  resource_id: string;
  resource_name: string;
  resource_type: string;
  failure_status: string;
  error_code: string;
  fail_reason: string;
  begin_time: string;
  /** Its protection group is busy: a delete answers 409 (the doc's 由于冲突，请求无法被完成). */
  busy?: boolean;
}

export interface SeedProject {
  projectId: string;
  name: string;
  tokens: string[];
  aksk: Array<{ ak: string; sk: string }>;
  jobs: FailureJob[];
}

export interface Seed {
  projects: SeedProject[];
}

/** Job ids the reference server accepts as well formed: what the list ever returns (UUIDs, 32-char ids). */
export const JOB_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const DEFAULT_SEED_FILE = projectPath('server', 'default-seed.json');

export function loadSeed(file: string | URL = DEFAULT_SEED_FILE): Seed {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConformanceError('CFG_INVALID', `cannot read the seed file ${String(file)}: ${(error as Error).message}. Start from server/default-seed.json.`);
  }
  return validateSeed(value, String(file));
}

/**
 * Checks a parsed seed and names the first problem by JSON pointer. Identities must be unique across
 * projects: one token or AK in two projects would make "who is calling" a guess.
 */
export function validateSeed(value: unknown, where: string): Seed {
  const fail = (pointer: string, expected: string): never => {
    throw new ConformanceError('CFG_INVALID', `${where}#${pointer}: expected ${expected}`);
  };
  const projects = (value as Partial<Seed> | null)?.projects;
  if (!Array.isArray(projects) || projects.length === 0) fail('/projects', 'an array of at least one project');
  const seen = new Set<string>();
  const unique = (pointer: string, what: string, key: string) => {
    if (seen.has(`${what}:${key}`)) fail(pointer, `a ${what} used once across all projects ("${key}" appears twice)`);
    seen.add(`${what}:${key}`);
  };
  (projects as unknown[]).forEach((raw, p) => {
    const project = raw as Partial<SeedProject>;
    const at = `/projects/${p}`;
    if (!isText(project.projectId)) fail(`${at}/projectId`, 'a non-empty string');
    unique(`${at}/projectId`, 'project id', project.projectId as string);
    if (!Array.isArray(project.tokens) || !project.tokens.every(isText)) fail(`${at}/tokens`, 'an array of non-empty strings');
    for (const [t, token] of (project.tokens ?? []).entries()) unique(`${at}/tokens/${t}`, 'token', token);
    if (!Array.isArray(project.aksk) || !project.aksk.every((k) => isText(k?.ak) && isText(k?.sk)))
      fail(`${at}/aksk`, 'an array of { "ak": string, "sk": string }');
    for (const [k, { ak }] of (project.aksk ?? []).entries()) unique(`${at}/aksk/${k}/ak`, 'AK', ak);
    if (!Array.isArray(project.jobs)) fail(`${at}/jobs`, 'an array of failure jobs (fields: sdrs-api-notes.md §7)');
    const ids = new Set<string>();
    project.jobs?.forEach((job, j) => {
      if (!isText(job?.job_id) || !JOB_ID_PATTERN.test(job.job_id) || job.job_id === 'batch' || ids.has(job.job_id)) {
        // "batch" is the sibling bulk-delete path (sdrs-api-notes.md §8): a job by that name could never be reached.
        fail(`${at}/jobs/${j}/job_id`, `an id matching ${JOB_ID_PATTERN}, not "batch", unique within the project`);
      }
      if (job.busy !== undefined && typeof job.busy !== 'boolean') fail(`${at}/jobs/${j}/busy`, 'true or false');
      ids.add(job.job_id);
    });
  });
  return value as Seed;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
