import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { ajv } from '../checks/ajv.ts';
import { ConformanceError } from '../errors.ts';
import { isInsideOrSame } from '../output-folder.ts';
import { projectPath } from '../project-paths.ts';
import type { Exchange } from '../http/exchange.ts';
import type { CaseOutcome } from './case-outcome.ts';
import type { RunConfig } from './run-config.ts';

export const OUTCOMES_FILE = 'conformance-outcomes.json';

/** Everything `merge` needs from one shard: its outcomes (already redacted) and where its Allure results are. */
export interface ShardRecord {
  schemaVersion: 1;
  shard: { index: number; count: number } | null;
  /**
   * Where the run's Allure results are. Written relative to the record's folder (the --summary-dir),
   * so a shard folder can be moved or copied whole; `merge` reads it only inside that folder.
   * Records written before this rule hold an absolute path.
   */
  resultsDir: string;
  specSha256: string;
  profile: string;
  endpoint: string;
  endpointClass: RunConfig['endpointClass'];
  seed: number;
  startedAt: string;
  outcomes: CaseOutcome[];
}

/** Bodies travel as base64: JSON has no bytes. */
export function writeShardRecord(path: string, record: ShardRecord): void {
  const outcomes = record.outcomes.map((o) => ({ ...o, exchanges: o.exchanges.map(encodeBody) }));
  const resultsDir =
    relative(dirname(resolve(path)), resolve(record.resultsDir))
      .split(sep)
      .join('/') || '.';
  writeFileSync(path, `${JSON.stringify({ ...record, resultsDir, outcomes })}\n`);
}

/** `merge` reads a shard's results only inside its summary dir: a shard run says so before it starts. */
export function resultsInsideSummary(summaryDir: string, resultsDir: string): boolean {
  return isInsideOrSame(resolve(resultsDir), resolve(summaryDir));
}

const schemaPath = projectPath('spec', 'outcomes.schema.json');
/** Compiled on first use, once per process. */
let validateRecord: ValidateFunction | undefined;

export function readShardRecord(path: string): ShardRecord {
  let record: ShardRecord;
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as ShardRecord;
  } catch (error) {
    throw new ConformanceError(
      'CFG_INVALID',
      `cannot read the shard record ${path}: ${(error as Error).message.split('\n')[0]} — pass the --summary-dir of a run`,
    );
  }
  // The file may have been edited or come from elsewhere: nothing in it is trusted before it validates.
  validateRecord ??= ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  if (!validateRecord(record)) {
    const first = validateRecord.errors?.[0];
    throw new ConformanceError(
      'CFG_INVALID',
      `${path}#${first?.instancePath || ''}: ${first?.message ?? 'invalid'} ${JSON.stringify(first?.params ?? {})} — not a ${OUTCOMES_FILE} of this suite version (pass the --summary-dir of a run)`,
    );
  }
  return { ...record, outcomes: record.outcomes.map((o) => ({ ...o, exchanges: o.exchanges.map(decodeBody) })) };
}

function encodeBody(exchange: Exchange): unknown {
  if (exchange.kind !== 'response') return exchange;
  const { body, wireBody } = exchange.response;
  const encoded = { body: Buffer.from(body).toString('base64'), ...(wireBody ? { wireBody: Buffer.from(wireBody).toString('base64') } : {}) };
  return { ...exchange, response: { ...exchange.response, ...encoded } };
}

function decodeBody(exchange: Exchange): Exchange {
  if (exchange.kind !== 'response') return exchange;
  const { body, wireBody } = exchange.response as unknown as { body: string; wireBody?: string };
  const decoded = { body: Buffer.from(body, 'base64'), ...(wireBody !== undefined ? { wireBody: Buffer.from(wireBody, 'base64') } : {}) };
  return { ...exchange, response: { ...exchange.response, ...decoded } };
}
