import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as parse } from 'js-yaml';
import type { ValidateFunction } from 'ajv';
import { ajv } from '../checks/ajv.ts';
import { ConformanceError } from '../errors.ts';
import { projectPath } from '../project-paths.ts';
import type { SpecModel } from './operation-model.ts';
import { validatedTable } from './validation-cache.ts';

/**
 * What the suite knows of one operation beyond the OpenAPI document, as data
 * (spec/operations/<operationId>.yaml): its success status, how its path parameters are filled,
 * where the jobs it consumes come from, and its conditions → expected statuses per profile.
 * Adding an operation is adding a file here, not editing the engine.
 */
export type IdentityRef = 'primary' | 'none' | 'invalid-token' | 'other';
export type Severity = 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';
/** `project`: the project of the path (the primary identity's); `job`: the job the case targets. */
export type ParamRole = 'project' | 'job';

export interface ConditionRow {
  id: string;
  title: string;
  source: string;
  /** One of the table's families (required when it declares them). */
  family?: string;
  /** Sent instead of the operation's method, one case each (any method but DELETE and CONNECT). */
  methods?: string[];
  after?: string;
  /** A condition whose request this row's copies go out together with, at the same moment. */
  alongside?: string;
  request: { identity: IdentityRef; job?: string; query?: Record<string, string> };
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

/** Rows that expand into one case per cell: every refused identity crossed with every kind of job id. */
export interface MatrixRow {
  id: string;
  family?: string;
  title: string;
  source: string;
  identities: Partial<Record<IdentityRef, { title: string; expect: Record<string, number[]> }>>;
  jobs: Record<string, { title: string; job: string }>;
  severity: Severity;
}

/** The generated negative-input case's family, where a table declares families. */
export const NEGATIVE_INPUTS_FAMILY = 'negative-inputs';

/** Where jobs come from: the list operation, the array in its 200 body (JSON pointer), the id field. */
export interface JobSource {
  list: string;
  items: string;
  id: string;
  /** The list's paging query parameters and where its total is (a JSON pointer); absent: one read shows every job. */
  paging?: { limit: string; offset: string; count: string } | undefined;
}

export interface OperationTable {
  file: string;
  operation: string;
  success: number;
  params: Record<string, ParamRole>;
  jobs: JobSource | undefined;
  profiles: Record<string, string>;
  /** The order the families of requests go out in; absent: every request at once. */
  families: string[] | undefined;
  matrices: MatrixRow[];
  conditions: ConditionRow[];
  state: StateRow[];
}

export type OperationTables = Record<string, OperationTable>;

export const DEFAULT_OPERATIONS_DIR = projectPath('spec', 'operations');
const schemaPath = projectPath('spec', 'operation-table.schema.json');
/** Compiled on first use, once per process. */
let validateTable: ValidateFunction | undefined;
let schemaText: string | undefined;

function tableSchemaText(): string {
  schemaText ??= readFileSync(schemaPath, 'utf8');
  return schemaText;
}

/** The table's YAML, parsed and checked against spec/operation-table.schema.json; one SPEC_* error otherwise. */
function parsedAndChecked(file: string, text: string): unknown {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new ConformanceError('SPEC_UNREADABLE', `cannot read the operation table ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  validateTable ??= ajv.compile(JSON.parse(tableSchemaText()));
  if (!validateTable(data)) {
    const first = validateTable.errors?.[0];
    throw new ConformanceError('SPEC_INVALID', `${file}#${first?.instancePath || '/'}: ${first?.message ?? 'invalid'} ${JSON.stringify(first?.params ?? {})}`);
  }
  return data;
}

/** Every `*.yaml` of `dir`, checked against its schema, its own cross-references and the spec. */
export function loadOperationTables(dir: string, spec: Pick<SpecModel, 'operations' | 'file'>): OperationTables {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.yaml'))
      .sort();
  } catch (error) {
    throw new ConformanceError('SPEC_UNREADABLE', `cannot read the operation tables in ${dir}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (names.length === 0) throw new ConformanceError('SPEC_UNREADABLE', `${dir} holds no operation table (*.yaml)`);
  const tables: OperationTables = {};
  for (const name of names) {
    const table = loadOperationTable(join(dir, name));
    if (tables[table.operation])
      throw new ConformanceError('SPEC_INVALID', `${table.file}#/operation: "${table.operation}" has a table already (${tables[table.operation]?.file})`);
    checkAgainstSpec(table, spec);
    tables[table.operation] = table;
  }
  const profiles = Object.keys(Object.values(tables)[0]?.profiles ?? {})
    .sort()
    .join(', ');
  for (const table of Object.values(tables)) {
    if (Object.keys(table.profiles).sort().join(', ') !== profiles)
      throw new ConformanceError('SPEC_INVALID', `${table.file}#/profiles: every table declares the same profiles (${profiles})`);
    if (table.jobs && !tables[table.jobs.list])
      throw new ConformanceError('SPEC_INVALID', `${table.file}#/jobs/list: "${table.jobs.list}" has no table in ${dir}`);
  }
  return tables;
}

/** The read-only request a preflight sends: the operation the tables name for listing jobs, on the project. */
export function readOnlyProbe(
  spec: Pick<SpecModel, 'operations'>,
  tables: OperationTables,
  projectId: string,
): { operation: SpecModel['operations'][number]; params: Record<string, string>; paging: JobSource['paging'] } | undefined {
  const source = Object.values(tables).find((t) => t.jobs)?.jobs;
  const operation = spec.operations.find((op) => op.operationId === source?.list);
  const table = source ? tables[source.list] : undefined;
  if (!operation || !table) return undefined;
  return {
    operation,
    paging: source?.paging,
    params: Object.fromEntries(
      Object.entries(table.params)
        .filter(([, role]) => role === 'project')
        .map(([name]) => [name, projectId]),
    ),
  };
}

/** The profiles every table declares. */
export function profilesOf(tables: OperationTables): string[] {
  return Object.keys(Object.values(tables)[0]?.profiles ?? {});
}

function loadOperationTable(file: string): OperationTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConformanceError('SPEC_UNREADABLE', `cannot read the operation table ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  // A run reads the tables three times (options, preflight, engine); a text that validated before is not checked again.
  const data = validatedTable(text, tableSchemaText(), () => parsedAndChecked(file, text));
  const loaded = data as Omit<OperationTable, 'file' | 'state' | 'jobs' | 'families' | 'matrices'> & {
    state?: StateRow[];
    jobs?: JobSource;
    families?: string[];
    matrices?: MatrixRow[];
  };
  const table: OperationTable = { ...loaded, file, jobs: loaded.jobs, state: loaded.state ?? [], families: loaded.families, matrices: loaded.matrices ?? [] };
  const ids = new Set(table.conditions.map((c) => c.id));
  checkFamilies(table);
  table.matrices.forEach((matrix, index) => {
    if (ids.has(matrix.id)) throw new ConformanceError('SPEC_INVALID', `${file}#/matrices/${index}/id: "${matrix.id}" is a condition's id too`);
    for (const [identity, row] of Object.entries(matrix.identities))
      for (const profile of Object.keys(row?.expect ?? {}))
        if (!(profile in table.profiles))
          throw new ConformanceError(
            'SPEC_INVALID',
            `${file}#/matrices/${index}/identities/${identity}/expect/${profile}: profile "${profile}" is not declared under profiles`,
          );
  });
  table.conditions.forEach((row, index) => {
    if (row.after && !ids.has(row.after)) throw new ConformanceError('SPEC_INVALID', `${file}#/conditions/${index}/after: "${row.after}" names no condition`);
    const partner = table.conditions.find((c) => c.id === row.alongside);
    if (row.alongside && (!partner || partner.alongside || partner.request.job !== row.request.job || partner.request.identity !== row.request.identity))
      throw new ConformanceError(
        'SPEC_INVALID',
        `${file}#/conditions/${index}/alongside: "${row.alongside}" must name another condition with the same request (identity and job)`,
      );
    for (const profile of Object.keys(row.expect)) {
      if (!(profile in table.profiles))
        throw new ConformanceError('SPEC_INVALID', `${file}#/conditions/${index}/expect/${profile}: profile "${profile}" is not declared under profiles`);
    }
    const needsJob = Object.values(table.params).includes('job');
    if (needsJob !== (row.request.job !== undefined)) {
      throw new ConformanceError(
        'SPEC_INVALID',
        `${file}#/conditions/${index}/request/job: ${needsJob ? 'required: a path parameter of this operation is the job' : 'not allowed: no path parameter of this operation is a job'}`,
      );
    }
  });
  table.state.forEach((row, index) => {
    if (!ids.has(row.after)) throw new ConformanceError('SPEC_INVALID', `${file}#/state/${index}/after: "${row.after}" names no condition`);
    if (!table.jobs) throw new ConformanceError('SPEC_INVALID', `${file}#/state/${index}: a state check needs jobs (where the jobs are listed)`);
  });
  return table;
}

/** Declared families: every row names one of them, and none is named that is not declared. */
function checkFamilies(table: OperationTable): void {
  const rows = [
    ...table.matrices.map((m, i) => ({ at: `matrices/${i}`, family: m.family })),
    ...table.conditions.map((c, i) => ({ at: `conditions/${i}`, family: c.family })),
  ];
  for (const { at, family } of rows) {
    if (!table.families && family !== undefined)
      throw new ConformanceError('SPEC_INVALID', `${table.file}#/${at}/family: "${family}" given, but the table declares no families`);
    if (table.families && (family === undefined || !table.families.includes(family)))
      throw new ConformanceError(
        'SPEC_INVALID',
        `${table.file}#/${at}/family: ${family === undefined ? 'required' : `"${family}" is not`} one of the declared families (${table.families.join(', ')})`,
      );
  }
}

function checkAgainstSpec(table: OperationTable, spec: Pick<SpecModel, 'operations' | 'file'>): void {
  const operation = spec.operations.find((op) => op.operationId === table.operation);
  if (!operation) throw new ConformanceError('SPEC_INVALID', `${table.file}#/operation: "${table.operation}" is not an operation of ${spec.file}`);
  const missing = operation.pathParams.filter((p) => !(p in table.params));
  const extra = Object.keys(table.params).filter((p) => !operation.pathParams.includes(p));
  if (missing.length || extra.length) {
    throw new ConformanceError(
      'SPEC_INVALID',
      `${table.file}#/params: must name exactly the path parameters of ${operation.pathTemplate} (${operation.pathParams.join(', ')})`,
    );
  }
  if (!operation.responses.some((r) => r.status === table.success)) {
    throw new ConformanceError('SPEC_INVALID', `${table.file}#/success: ${table.success} is not a documented response of ${table.operation}`);
  }
}
