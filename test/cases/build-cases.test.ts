import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildCases } from '../../lib/cases/build-cases.ts';
import { DEFAULT_SPEC } from '../../cli/run-options.ts';
import { DEFAULT_OPERATIONS_DIR, loadOperationTables } from '../../lib/spec/operation-tables.ts';
import { loadSpec } from '../../lib/spec/load-spec.ts';
import { findOperation } from '../../lib/spec/operation-model.ts';
import { deleteOperation, spec } from '../support/fixtures.ts';
import { tempDir } from '../support/temp-dir.ts';

const table = loadOperationTables(DEFAULT_OPERATIONS_DIR, spec).deleteFailureJob!;

test('one case per condition (per method for wrong-method), per state check and per documented status, with stable ids', () => {
  const cases = buildCases(deleteOperation, table, 'doc');
  expect(cases.map((c) => c.id)).toMatchInlineSnapshot(`
    [
      "deleteFailureJob.own-job",
      "deleteFailureJob.deleted-concurrently",
      "deleteFailureJob.deleted-again",
      "deleteFailureJob.guard-after-deletion",
      "deleteFailureJob.refused-identity.none.guard",
      "deleteFailureJob.refused-identity.none.unknown",
      "deleteFailureJob.refused-identity.none.malformed",
      "deleteFailureJob.refused-identity.none.overlong",
      "deleteFailureJob.refused-identity.invalid-token.guard",
      "deleteFailureJob.refused-identity.invalid-token.unknown",
      "deleteFailureJob.refused-identity.invalid-token.malformed",
      "deleteFailureJob.refused-identity.invalid-token.overlong",
      "deleteFailureJob.refused-identity.other.guard",
      "deleteFailureJob.refused-identity.other.unknown",
      "deleteFailureJob.refused-identity.other.malformed",
      "deleteFailureJob.refused-identity.other.overlong",
      "deleteFailureJob.guard-after-identities",
      "deleteFailureJob.invalid-id-characters",
      "deleteFailureJob.invalid-id-overlong",
      "deleteFailureJob.invalid-id-encodings",
      "deleteFailureJob.unknown-id",
      "deleteFailureJob.guard-after-ids",
      "deleteFailureJob.wrong-method.get",
      "deleteFailureJob.guard-after-methods.get",
      "deleteFailureJob.wrong-method.head",
      "deleteFailureJob.guard-after-methods.head",
      "deleteFailureJob.wrong-method.options",
      "deleteFailureJob.guard-after-methods.options",
      "deleteFailureJob.wrong-method.put",
      "deleteFailureJob.guard-after-methods.put",
      "deleteFailureJob.wrong-method.post",
      "deleteFailureJob.guard-after-methods.post",
      "deleteFailureJob.wrong-method.patch",
      "deleteFailureJob.guard-after-methods.patch",
      "deleteFailureJob.wrong-method.trace",
      "deleteFailureJob.guard-after-methods.trace",
      "deleteFailureJob.extension-method.purge",
      "deleteFailureJob.guard-after-methods.purge",
      "deleteFailureJob.negative-inputs",
      "deleteFailureJob.guard-after-negative-inputs",
      "deleteFailureJob.list-after-delete",
      "deleteFailureJob.other-project-untouched",
      "deleteFailureJob.status-204",
      "deleteFailureJob.status-400",
      "deleteFailureJob.status-401",
      "deleteFailureJob.status-403",
      "deleteFailureJob.status-404",
      "deleteFailureJob.status-405",
      "deleteFailureJob.status-406",
      "deleteFailureJob.status-407",
      "deleteFailureJob.status-408",
      "deleteFailureJob.status-409",
      "deleteFailureJob.status-500",
      "deleteFailureJob.status-501",
      "deleteFailureJob.status-502",
      "deleteFailureJob.status-503",
      "deleteFailureJob.status-504",
    ]
  `);
  expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
});

test('every row of the table is labelled with its source', () => {
  expect(table.conditions.length).toBeGreaterThan(0);
  for (const row of table.conditions) expect(row.source).toMatch(/^(documented in sdrs_05_0902|derived from RFC 9110)/);
});

test('adding a status to a copy of the spec adds a case, with no new code', async () => {
  const dir = tempDir('spec');
  const copy = join(dir, 'with-418.openapi.yaml');
  const text = readFileSync(DEFAULT_SPEC, 'utf8').replace(
    "        '409': { $ref: '#/components/responses/Conflict' }",
    "        '409': { $ref: '#/components/responses/Conflict' }\n        '418': { $ref: '#/components/responses/Conflict' }",
  );
  writeFileSync(copy, text);
  const extended = findOperation(await loadSpec(copy), 'deleteFailureJob');
  const before = buildCases(deleteOperation, table, 'doc').map((c) => c.id);
  const after = buildCases(extended, table, 'doc').map((c) => c.id);
  expect(after.filter((id) => !before.includes(id))).toEqual(['deleteFailureJob.status-418']);
  // …and the negative inputs now accept a 418 refusal too
  expect(buildCases(extended, table, 'doc').find((c) => c.kind === 'fuzz')?.expectedStatuses).toContain(418);
});

test('an unknown profile is a configuration error naming the declared ones', () => {
  expect(() => buildCases(deleteOperation, table, 'staging')).toThrow(/unknown profile "staging".*declares: doc/);
});
