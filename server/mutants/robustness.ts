import type { Mutant } from './mutant-model.ts';
import { crashInOperation, fromOperation, mapResponse, targetOf } from './toolkit.ts';

/** Unusual ids and encodings: a documented refusal, never a 5xx, and a valid body when one is sent (issue 4 §3). */
export const ROBUSTNESS_MUTANTS: Mutant[] = [
  {
    name: 'overlong-id-500',
    family: 'robustness',
    description: 'an id longer than 255 characters overflows a database column: 500 instead of 400 or 404',
    handler: crashInOperation('the job id does not fit the column', (target) => (target.jobId ?? target.rawJob).length > 255),
  },
  {
    name: 'percent-escape-500',
    family: 'robustness',
    description: 'an id that arrives percent-encoded (%20, %3C, …) trips the decoder: 500 instead of 400 or 404',
    handler: crashInOperation('the decoder does not handle percent escapes', (target) => target.rawJob.includes('%')),
  },
  {
    name: 'double-decode-500',
    family: 'robustness',
    description: 'the id is percent-decoded twice, and the second pass throws on a literal % (sent as %25): 500',
    handler: crashInOperation('the second decoding of the job id threw', (target) => target.jobId !== undefined && !decodes(target.jobId)),
  },
  {
    name: 'non-ascii-id-500',
    family: 'robustness',
    description: 'an id with characters outside ASCII breaks the latin-1 database driver: 500 instead of 400 or 404',
    handler: crashInOperation('the driver cannot encode the job id', (target) => /[^\x00-\x7f]/.test(target.jobId ?? '')),
  },
  {
    name: 'id-echoed-unescaped',
    family: 'robustness',
    description: 'the 400 for a malformed id echoes it into the JSON by string concatenation, so a quote breaks the body',
    handler: mapResponse((response, request, ctx) => {
      if (!fromOperation(request, response, 400, ctx)) return response;
      const { jobId, rawJob } = targetOf(request, ctx);
      return { ...response, body: `{"error":{"code":"SDRS.0201","message":"Invalid failure_job_id: ${jobId ?? rawJob}"}}` };
    }),
  },
];

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}
