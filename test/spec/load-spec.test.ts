import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DEFAULT_SPEC } from '../../cli/run-options.ts';
import { loadSpec } from '../../lib/spec/load-spec.ts';
import { findOperation } from '../../lib/spec/operation-model.ts';
import { spec } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';

const DOC_STATUSES = [204, 400, 401, 403, 404, 405, 406, 407, 408, 409, 500, 501, 502, 503, 504];

test('the transcribed spec validates and lists all 15 statuses of sdrs_05_0902', () => {
  const operation = findOperation(spec, 'deleteFailureJob');
  expect(operation.method).toBe('DELETE');
  expect(operation.pathTemplate).toBe('/v1/{project_id}/task-center/failure-jobs/{failure_job_id}');
  expect(operation.pathParams).toEqual(['project_id', 'failure_job_id']);
  expect(operation.responses.map((r) => r.status)).toEqual(DOC_STATUSES);
  expect(operation.responses.find((r) => r.status === 204)?.bodySchema).toBeUndefined();
  for (const r of operation.responses.filter((r) => r.status >= 400)) {
    expect(r.bodySchema, `status ${r.status}`).toBeDefined();
    expect(r.descriptionZh, `status ${r.status} keeps the doc's words`).toMatch(/[\u4e00-\u9fff]/);
  }
  expect(spec.sha256).toMatch(/^[0-9a-f]{64}$/);
});

test("the doc's Chinese descriptions are kept verbatim", () => {
  const doc = readFileSync(new URL('../../spec/reference/sdrs_05_0902.zh.md', import.meta.url), 'utf8');
  const errors = findOperation(spec, 'deleteFailureJob').responses.filter((r) => r.status >= 400);
  expect(errors.length).toBeGreaterThan(0);
  for (const r of errors) {
    expect(doc).toContain(r.descriptionZh);
  }
});

function brokenCopy(edit: (text: string) => string): string {
  const dir = tempDir('spec');
  const file = join(dir, 'broken.openapi.yaml');
  writeFileSync(file, edit(readFileSync(DEFAULT_SPEC, 'utf8')));
  return file;
}

test.for([
  [
    'a non-string operationId',
    (t: string) => t.replace('operationId: deleteFailureJob', 'operationId: 12'),
    /^SPEC_INVALID: .*broken\.openapi\.yaml#\/paths\/~1v1~1\{project_id\}.*\/delete\/operationId: must be string/,
  ],
  [
    'a dangling $ref',
    (t: string) => t.replace("'#/components/responses/Conflict'", "'#/components/responses/Nope'"),
    /^SPEC_INVALID: .*broken\.openapi\.yaml: Missing \$ref pointer "#\/components\/responses\/Nope"/,
  ],
  ['YAML that does not parse', (t: string) => `${t}\n  bad: [unclosed\n`, /^SPEC_INVALID: .*broken\.openapi\.yaml: Error parsing .*/],
  [
    'a range status key',
    (t: string) => t.replace("'409': { $ref", "'4XX': { $ref"),
    /^SPEC_UNSUPPORTED: .*#\/paths\/.*\/responses\/4XX: expected an explicit status code/,
  ],
] as const)('a broken spec (%s) stops with one line naming the file and the pointer', async ([, edit, want]) => {
  const error = await loadSpec(brokenCopy(edit)).then(
    () => undefined,
    (e: Error & { code: string }) => `${e.code}: ${e.message}`,
  );
  expect(error).toMatch(want);
  expect(error).not.toContain('\n');
});
