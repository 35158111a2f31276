import { createHash, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { onTestFinished, expect, test } from 'vitest';
import { projectPath } from '../../lib/project-paths.ts';
import { validatedTable } from '../../lib/spec/validation-cache.ts';

/** A table text no other run has cached; its cache file is removed after the test. */
function freshTable(schema: string): string {
  const text = `operation: t-${randomUUID()}\n`;
  const key = createHash('sha256').update(schema).update('\0').update(text).digest('hex');
  onTestFinished(() => rmSync(projectPath('node_modules', '.cache', 'sdrs-conformance', `table-${key}.json`), { force: true }));
  return text;
}

test('a table text that validated is not validated again under the same schema; another text or schema is', () => {
  const schema = `{"$id":"s-${randomUUID()}"}`;
  const text = freshTable(schema);
  let checks = 0;
  const validate = () => {
    checks += 1;
    return { operation: 'x', rows: [1, 2] };
  };
  expect(validatedTable(text, schema, validate)).toEqual({ operation: 'x', rows: [1, 2] });
  expect(validatedTable(text, schema, validate)).toEqual({ operation: 'x', rows: [1, 2] });
  expect(checks).toBe(1);
  // Each caller gets its own copy: changing one changes no later load.
  (validatedTable(text, schema, validate) as { rows: number[] }).rows.push(3);
  expect(validatedTable(text, schema, validate)).toEqual({ operation: 'x', rows: [1, 2] });
  validatedTable(freshTable(schema), schema, validate);
  const otherSchema = `${schema} `;
  validatedTable(freshTable(otherSchema), otherSchema, validate);
  expect(checks).toBe(3);
});

test('a table that fails validation is never cached: the next load checks it again and fails again', () => {
  const schema = `{"$id":"s-${randomUUID()}"}`;
  const text = freshTable(schema);
  let checks = 0;
  const invalid = () => {
    checks += 1;
    throw new Error('SPEC_INVALID: nope');
  };
  expect(() => validatedTable(text, schema, invalid)).toThrow('nope');
  expect(() => validatedTable(text, schema, invalid)).toThrow('nope');
  expect(checks).toBe(2);
});
