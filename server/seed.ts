import { readFileSync } from 'node:fs';
import { ConformanceError } from '../lib/errors.ts';

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

export const DEFAULT_SEED_FILE = new URL('./default-seed.json', import.meta.url);

export function loadSeed(file: string | URL = DEFAULT_SEED_FILE): Seed {
  let seed: Seed;
  try {
    seed = JSON.parse(readFileSync(file, 'utf8')) as Seed;
  } catch (error) {
    throw new ConformanceError('CFG_INVALID', `cannot read the seed file ${String(file)}: ${(error as Error).message}`);
  }
  if (!Array.isArray(seed.projects) || seed.projects.length === 0) {
    throw new ConformanceError('CFG_INVALID', `${String(file)}#/projects: expected at least one project`);
  }
  seed.projects.forEach((project, index) => {
    if (typeof project.projectId !== 'string' || !Array.isArray(project.jobs) || !Array.isArray(project.tokens) || !Array.isArray(project.aksk)) {
      throw new ConformanceError('CFG_INVALID', `${String(file)}#/projects/${index}: expected projectId, tokens[], aksk[] and jobs[]`);
    }
  });
  return seed;
}
