import { readFileSync } from 'node:fs';
import { load as parse } from 'js-yaml';
import type { ValidateFunction } from 'ajv';
import { ajv } from '../checks/ajv.ts';
import { ConformanceError } from '../errors.ts';
import { projectPath } from '../project-paths.ts';
import type { HttpMethod } from './operation-model.ts';

export type IdentityRef = 'primary' | 'none' | 'invalid-token' | 'other';
export type Severity = 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';

export interface ConditionRow {
  id: string;
  title: string;
  source: string;
  methods?: HttpMethod[];
  after?: string;
  request: { identity: IdentityRef; job: string };
  expect: Record<string, number[]>;
  severity: Severity;
}

export interface StateRow {
  id: string;
  title: string;
  source: string;
  after: string;
  list: 'primary' | 'other';
  expect: 'deleted-only' | 'unchanged';
  severity: Severity;
}

export interface ExpectationTable {
  file: string;
  operation: string;
  profiles: Record<string, string>;
  conditions: ConditionRow[];
  state: StateRow[];
}

const schemaUrl = projectPath('spec', 'expectations.schema.json');
/** Compiled on first use, once per process: the CLI and the session both load the table. */
let validateTable: ValidateFunction | undefined;

/** Loads the expectation table and checks it against its schema and its own cross-references. */
export function loadExpectations(file: string): ExpectationTable {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConformanceError('SPEC_UNREADABLE', `cannot read the expectation table ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  validateTable ??= ajv.compile(JSON.parse(readFileSync(schemaUrl, 'utf8')));
  const validate = validateTable;
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw new ConformanceError('SPEC_INVALID', `${file}#${first?.instancePath || '/'}: ${first?.message ?? 'invalid'} ${JSON.stringify(first?.params ?? {})}`);
  }
  const loaded = data as Omit<ExpectationTable, 'file' | 'state'> & { state?: StateRow[] };
  const table: ExpectationTable = { ...loaded, file, state: loaded.state ?? [] };
  const ids = new Set(table.conditions.map((c) => c.id));
  table.conditions.forEach((row, index) => {
    if (row.after && !ids.has(row.after)) {
      throw new ConformanceError('SPEC_INVALID', `${file}#/conditions/${index}/after: "${row.after}" names no condition`);
    }
    for (const profile of Object.keys(row.expect)) {
      if (!(profile in table.profiles)) {
        throw new ConformanceError('SPEC_INVALID', `${file}#/conditions/${index}/expect/${profile}: profile "${profile}" is not declared under profiles`);
      }
    }
  });
  table.state.forEach((row, index) => {
    if (!ids.has(row.after)) throw new ConformanceError('SPEC_INVALID', `${file}#/state/${index}/after: "${row.after}" names no condition`);
  });
  return table;
}
