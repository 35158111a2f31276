import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { DEFAULT_SPEC } from '../cli/run-options.ts';

const ITEM = '/v1/{project_id}/task-center/failure-jobs/{failure_job_id}';
/** The expectation table's operation (spec/expectations.yaml `operation:`): the copy that keeps it gets the condition cases. */
const TABLE_OPERATION = 'deleteFailureJob';

/**
 * A spec with `count` copies of the DELETE operation, each under its own path
 * (`/v1/{project_id}/task-center-{i}/failure-jobs/{failure_job_id}`) with its own operationId; the
 * list operation and the components are kept. Copy 0 keeps the table's operationId, so the 1-operation
 * spec generates exactly the real suite's cases; the table binds its conditions to that one id, so
 * copies 1… get the cases every operation gets from the spec alone (negative inputs + one per status).
 */
export function writeSyntheticSpec(dir: string, count: number): string {
  const api = load(readFileSync(DEFAULT_SPEC, 'utf8')) as { info: { title: string }; paths: Record<string, Record<string, { operationId?: string }>> };
  const item = api.paths[ITEM];
  if (!item?.delete) throw new Error(`${DEFAULT_SPEC} has no DELETE ${ITEM}`);
  const rest = Object.fromEntries(Object.entries(api.paths).filter(([path]) => path !== ITEM));
  const copies = Object.fromEntries(
    Array.from({ length: count }, (_, i) => {
      const copy = structuredClone(item);
      (copy.delete as { operationId: string }).operationId = i === 0 ? TABLE_OPERATION : `${TABLE_OPERATION}${i}`;
      return [ITEM.replace('/task-center/', `/task-center-${i}/`), copy];
    }),
  );
  api.info.title = `${api.info.title} (benchmark: ${count} operation${count === 1 ? '' : 's'})`;
  api.paths = { ...copies, ...rest };
  const file = join(dir, `synthetic-${count}.openapi.yaml`);
  writeFileSync(file, dump(api, { noRefs: true, lineWidth: -1 }));
  return file;
}

/** Maps a synthetic path back to the reference server's (`task-center-7` → `task-center`) in a request line. */
export function toReferencePath(requestLine: string): string {
  return requestLine.replace(/^(\S+ \/v1\/[^/\s]*\/)task-center-\d+\//, '$1task-center/');
}
