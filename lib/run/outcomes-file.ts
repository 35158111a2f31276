import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConformanceError } from '../errors.ts';
import type { Exchange } from '../http/exchange.ts';
import type { CaseOutcome } from './case-outcome.ts';
import type { RunConfig } from './run-config.ts';

export const OUTCOMES_FILE = 'conformance-outcomes.json';

/** Everything `merge` needs from one shard: its outcomes (already redacted) and where its Allure results are. */
export interface ShardRecord {
  schemaVersion: 1;
  shard: { index: number; count: number } | null;
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
  writeFileSync(path, `${JSON.stringify({ ...record, resultsDir: resolve(record.resultsDir), outcomes })}\n`);
}

export function readShardRecord(path: string): ShardRecord {
  let record: ShardRecord;
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as ShardRecord;
  } catch (error) {
    throw new ConformanceError('CFG_INVALID', `cannot read the shard record ${path}: ${(error as Error).message.split('\n')[0]} — pass the --summary-dir of a run`);
  }
  if (record.schemaVersion !== 1 || !Array.isArray(record.outcomes)) throw new ConformanceError('CFG_INVALID', `${path}: not a ${OUTCOMES_FILE} of this suite version`);
  return { ...record, outcomes: record.outcomes.map((o) => ({ ...o, exchanges: o.exchanges.map(decodeBody) })) };
}

function encodeBody(exchange: Exchange): unknown {
  return exchange.kind === 'response' ? { ...exchange, response: { ...exchange.response, body: Buffer.from(exchange.response.body).toString('base64') } } : exchange;
}

function decodeBody(exchange: Exchange): Exchange {
  return exchange.kind === 'response' ? { ...exchange, response: { ...exchange.response, body: Buffer.from(exchange.response.body as unknown as string, 'base64') } } : exchange;
}
