import { ConformanceError } from '../errors.ts';
import type { OperationModel } from '../spec/operation-model.ts';
import type { ConditionRow, OperationTable, StateRow } from '../spec/operation-tables.ts';
import type { ConditionCase, ConformanceCase, FuzzCase, JobRef, Need, StateCase, StatusCase } from './case-model.ts';

/**
 * Pure: operation model + its table → the cases of one operation. Condition cases come first, in
 * table order (ordered sequences rely on it); then the negative-input case and the state checks; then
 * one status case per documented response, so adding a status to the spec adds a case without
 * touching code. An operation without a table still gets its negative inputs and status cases.
 */
export function buildCases(operation: OperationModel, table: OperationTable | undefined, profile: string): ConformanceCase[] {
  if (table && !(profile in table.profiles)) {
    throw new ConformanceError('CFG_INVALID', `unknown profile "${profile}"; ${table.file} declares: ${Object.keys(table.profiles).join(', ')}`);
  }
  const conditions = table ? table.conditions.flatMap((row) => conditionCases(operation, row, profile)) : [];
  const state = table ? table.state.map((row) => stateCase(operation, row)) : [];
  const fuzz = operation.pathParams.length ? [fuzzCase(operation)] : [];
  return [...conditions, ...fuzz, ...state, ...operation.responses.map((r) => statusCase(operation, r.status, r.description, r.descriptionZh))];
}

export function caseIdOf(operationId: string, ...parts: string[]): string {
  return [operationId, ...parts].join('.');
}

function conditionCases(operation: OperationModel, row: ConditionRow, profile: string): ConditionCase[] {
  const expected = row.expect[profile] ?? row.expect.doc;
  if (!expected) throw new ConformanceError('SPEC_INVALID', `condition ${row.id} has no expectation for profile "${profile}" nor "doc"`);
  const job = row.request.job === undefined ? undefined : parseJobRef(row.request.job);
  const needs: Need[] = [];
  // Only the victim needs deletion permission; a refused request aims at the guard when there is one.
  if (job?.kind === 'victim') needs.push('deletable-job');
  if (row.request.identity === 'other') needs.push('second-identity');
  const methods = row.methods ?? [operation.method];
  return methods.map((method) => ({
    kind: 'condition',
    id: caseIdOf(operation.operationId, row.id, ...(row.methods ? [method.toLowerCase()] : [])),
    operationId: operation.operationId,
    conditionId: row.id,
    title: row.methods ? `${row.title}: ${method}` : row.title,
    source: row.source,
    severity: row.severity,
    method,
    identity: row.request.identity,
    job,
    query: { ...(row.request.query ?? {}) },
    expectedStatuses: [...expected],
    after: row.after ? caseIdOf(operation.operationId, row.after) : undefined,
    needs,
  }));
}

/** Statuses a hostile path may meet: the documented refusals (4xx), and 414/431 (RFC 9110 §15.5.15, RFC 6585 §5). */
const PROTOCOL_REFUSALS = [414, 431];

function fuzzCase(operation: OperationModel): FuzzCase {
  const refusals = operation.responses.map((r) => r.status).filter((status) => status >= 400 && status < 500);
  return {
    kind: 'fuzz',
    id: caseIdOf(operation.operationId, 'negative-inputs'),
    operationId: operation.operationId,
    title: `Hostile ${operation.pathParams.join(' and ')} values are refused, never a 2xx, 5xx or hang`,
    source: 'derived from RFC 9110 (4xx for a request the server will not process); documented statuses of the operation',
    severity: 'critical',
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
