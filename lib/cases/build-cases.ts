import { ConformanceError } from '../errors.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import { type ConditionRow, type IdentityRef, type MatrixRow, NEGATIVE_INPUTS_FAMILY, type OperationTable, type StateRow } from '../spec/operation-tables.ts';
import type { ConditionCase, ConformanceCase, FuzzCase, GuardCase, JobRef, Need, StateCase, StatusCase } from './case-model.ts';

/**
 * Pure: operation model + its table → the cases of one operation. Condition cases come first, in
 * table order (ordered sequences rely on it) and, where the table declares families, family by
 * family — the matrices' cells first, the negative-input case in its family, and after each family
 * (each method of a sweep) a guard case; then the state checks; then one status case per documented response,
 * so adding a status to the spec adds a case without touching code. An operation without a table
 * still gets its negative inputs and status cases.
 */
export function buildCases(operation: OperationModel, table: OperationTable | undefined, profile: string): ConformanceCase[] {
  if (table && !(profile in table.profiles)) {
    throw new ConformanceError('CFG_INVALID', `unknown profile "${profile}"; ${table.file} declares: ${Object.keys(table.profiles).join(', ')}`);
  }
  const fuzz = operation.pathParams.length ? [fuzzCase(operation, table?.families ? NEGATIVE_INPUTS_FAMILY : undefined)] : [];
  const state = table ? table.state.map((row) => stateCase(operation, row)) : [];
  const statuses = operation.responses.map((r) => statusCase(operation, r.status, r.description, r.descriptionZh));
  if (!table) return [...fuzz, ...statuses];
  const rows = (family: string | undefined) => [
    ...table.matrices.filter((m) => m.family === family).flatMap((m) => matrixCases(operation, m, profile)),
    ...table.conditions.filter((row) => row.family === family).flatMap((row) => conditionCases(operation, row, profile)),
  ];
  if (!table.families) return [...rows(undefined), ...fuzz, ...state, ...statuses];
  const guarded = Boolean(table.jobs) && Object.values(table.params).includes('job');
  const families = table.families.flatMap((family) => {
    const cases: ConformanceCase[] = [...rows(family), ...(family === NEGATIVE_INPUTS_FAMILY ? fuzz : [])];
    if (!guarded || !cases.length) return cases;
    // A method sweep is verified method by method: a guard gone after HEAD names HEAD, not just its family.
    const swept = cases.every((c) => c.kind === 'condition' && c.method !== operation.method);
    return swept ? cases.flatMap((c) => [c, guardCase(operation, family, (c as ConditionCase).method)]) : [...cases, guardCase(operation, family)];
  });
  return [...families, ...state, ...statuses];
}

export function caseIdOf(operationId: string, ...parts: string[]): string {
  return [operationId, ...parts].join('.');
}

function conditionCases(operation: OperationModel, row: ConditionRow, profile: string): ConditionCase[] {
  const job = row.request.job === undefined ? undefined : parseJobRef(row.request.job);
  const methods = row.methods ?? [operation.method];
  return methods.map((method) =>
    conditionCase(operation, {
      id: caseIdOf(operation.operationId, row.id, ...(row.methods ? [method.toLowerCase()] : [])),
      conditionId: row.id,
      title: row.methods ? `${row.title}: ${method}` : row.title,
      source: row.source,
      severity: row.severity,
      family: row.family,
      method,
      identity: row.request.identity,
      job,
      query: { ...(row.request.query ?? {}) },
      expectedStatuses: expectedFor(row.expect, profile, row.id),
      after: row.after ? caseIdOf(operation.operationId, row.after) : undefined,
      alongside: row.alongside ? caseIdOf(operation.operationId, row.alongside) : undefined,
    }),
  );
}

/** One case per cell — identity × job — each expecting the identity's statuses, so a regression shows per cell. */
function matrixCases(operation: OperationModel, matrix: MatrixRow, profile: string): ConditionCase[] {
  return Object.entries(matrix.identities).flatMap(([identity, row]) =>
    Object.entries(matrix.jobs).map(([jobKey, job]) =>
      conditionCase(operation, {
        id: caseIdOf(operation.operationId, matrix.id, identity, jobKey),
        conditionId: matrix.id,
        title: `${matrix.title}: ${row?.title}, on ${job.title}`,
        source: matrix.source,
        severity: matrix.severity,
        family: matrix.family,
        method: operation.method,
        identity: identity as IdentityRef,
        job: parseJobRef(job.job),
        query: {},
        expectedStatuses: expectedFor(row?.expect ?? {}, profile, `${matrix.id}.${identity}`),
        after: undefined,
        alongside: undefined,
      }),
    ),
  );
}

function conditionCase(operation: OperationModel, fields: Omit<ConditionCase, 'kind' | 'operationId' | 'needs'>): ConditionCase {
  const needs: Need[] = [];
  // Only the victim needs deletion permission; a refused request aims at the guard when there is one.
  if (fields.job?.kind === 'victim') needs.push('deletable-job');
  if (fields.identity === 'other') needs.push('second-identity');
  return { kind: 'condition', operationId: operation.operationId, ...fields, needs };
}

function expectedFor(expect: Record<string, number[]>, profile: string, where: string): number[] {
  const expected = expect[profile] ?? expect.doc;
  if (!expected) throw new ConformanceError('SPEC_INVALID', `condition ${where} has no expectation for profile "${profile}" nor "doc"`);
  return [...expected];
}

/** One method of a sweep, in words. */
export function methodStep(method: string): string {
  return `${method} on the job's path`;
}

/** After a family (or one method of a sweep), the list must still show the guard job: nothing the family sent was allowed to delete it. */
function guardCase(operation: OperationModel, family: string, method?: string): GuardCase {
  const step = method ? methodStep(method) : `the ${family} family of requests`;
  return {
    kind: 'guard',
    id: caseIdOf(operation.operationId, `guard-after-${family}`, ...(method ? [method.toLowerCase()] : [])),
    operationId: operation.operationId,
    family,
    step,
    method,
    title: `The guard job is still listed after ${step}`,
    source: 'derived from RFC 9110 §9.2.1, §9.3.5 — a refused request changes nothing; a safe method never deletes; a DELETE removes its target only',
    severity: 'critical',
    expectedStatuses: [200],
    needs: ['deletable-job'],
  };
}

/** Statuses a hostile path may meet: the documented refusals (4xx), and 414/431 (RFC 9110 §15.5.15, RFC 6585 §5). */
const PROTOCOL_REFUSALS = [414, 431];

function fuzzCase(operation: OperationModel, family: string | undefined): FuzzCase {
  const refusals = operation.responses.map((r) => r.status).filter((status) => status >= 400 && status < 500);
  return {
    kind: 'fuzz',
    id: caseIdOf(operation.operationId, 'negative-inputs'),
    operationId: operation.operationId,
    title: `Hostile ${operation.pathParams.join(' and ')} values are refused, never a 2xx, 5xx or hang`,
    source: 'derived from RFC 9110 (4xx for a request the server will not process); documented statuses of the operation',
    severity: 'critical',
    family,
    expectedStatuses: [...refusals, ...PROTOCOL_REFUSALS.filter((s) => !refusals.includes(s))],
  };
}

function stateCase(operation: OperationModel, row: StateRow): StateCase {
  return {
    kind: 'state',
    id: caseIdOf(operation.operationId, row.id),
    operationId: operation.operationId,
    stateId: row.id,
    title: row.title,
    source: row.source,
    severity: row.severity,
    list: row.list,
    expect: row.expect,
    expectedStatuses: [200],
    after: caseIdOf(operation.operationId, row.after),
    needs: row.list === 'other' ? ['deletable-job', 'second-identity'] : ['deletable-job'],
  };
}

function statusCase(operation: OperationModel, status: number, description: string, descriptionZh: string | undefined): StatusCase {
  return {
    kind: 'status',
    id: caseIdOf(operation.operationId, `status-${status}`),
    operationId: operation.operationId,
    status,
    title: `Documented response ${status}: ${description.split(' — ')[0]}`,
    descriptionZh,
    severity: status < 300 ? 'blocker' : status < 500 ? 'normal' : 'minor',
  };
}

export function parseJobRef(text: string): JobRef {
  if (text === 'victim' || text === 'guard' || text === 'unknown') return { kind: text };
  if (text.startsWith('literal:')) return { kind: 'literal', id: text.slice('literal:'.length) };
  const repeat = /^repeat:(.):(\d+)$/.exec(text);
  if (repeat) return { kind: 'literal', id: (repeat[1] as string).repeat(Number(repeat[2])) };
  throw new ConformanceError('SPEC_INVALID', `unknown job reference "${text}"`);
}
