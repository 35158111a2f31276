import { readFileSync } from 'node:fs';
import { projectPath } from '../lib/project-paths.ts';
import type { ErrorTemplate } from './error-responses.ts';

/** A row of the SDRS error-code appendix (spec/sdrs-error-codes.json): the code, its status and its message. */
export interface AppendixError {
  status: number;
  template: ErrorTemplate;
}

let byCode: Map<string, { status: number; message: string }> | undefined;

/**
 * The appendix's own status and message for a code, so the answer and the client's error-code ↔
 * status check read the same table. Read once, on first use. An unknown code is a bug in this
 * server (a typo in an adapter), not something a request can cause.
 */
export function appendixError(code: string): AppendixError {
  byCode ??= new Map(
    (
      JSON.parse(readFileSync(projectPath('spec', 'sdrs-error-codes.json'), 'utf8')) as { codes: Array<{ code: string; status: number; message: string }> }
    ).codes.map((row) => [row.code, row]),
  );
  const row = byCode.get(code);
  if (!row) throw new Error(`${code} is not in spec/sdrs-error-codes.json`);
  return { status: row.status, template: { shape: 'sdrs', code, message: row.message } };
}
