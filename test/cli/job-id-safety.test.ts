import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { decodings, patternCharacters } from '../../lib/cases/job-id-safety.ts';
import { unknownJobIdFor } from '../../lib/plan/job-id-shape.ts';
import type { RunSummary } from '../../reporters/summary-model.ts';
import { runCli } from '../support/cli.ts';
import { httpServer } from '../support/network-peers.ts';
import { startRawServer } from '../support/raw-server.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * "Never overreach" and "the ledger is complete", against servers that record every request: no id
 * that could reach another path is ever sent, and every DELETE answered 2xx is in the ledger.
 */

const PROJECT = 'p0123456789abcdef';
const TOKEN = 'test-token-1234';
const target = (url: string) => ['run', '--endpoint', url, '--project-id', PROJECT, '--token', TOKEN];

const outputs = (dir: string) => ['--summary-dir', dir, '--results-dir', join(dir, 'allure-results')];
const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'conformance-summary.json'), 'utf8')) as RunSummary;

/** The job segment (the last one) of a request path, decoded once — what a server reads as the id. */
const jobSegment = (path: string) => decodeURIComponent(path.split('?')[0]!.split('/').at(-1)!);

/** A raw TCP server that records every connection and request head, and answers 404. */
async function recordingServer() {
  const heads: string[] = [];
  let connections = 0;
  const { url, server } = await startRawServer((socket, head) => {
    heads.push(head);
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  server.on('connection', () => (connections += 1));
  return { url, heads, connections: () => connections };
}

test.concurrent.for<[string, string[], RegExp]>([
  [
    'the batch path',
    ['batch'],
    /the path segment of another operation, DELETE \/v1\/\{project_id\}\/task-center\/failure-jobs\/batch \(deleteAllServerGroupFailureJobs\)/,
  ],
  ['the batch path in capitals', ['BATCH'], /another operation/],
  ['the batch path percent-encoded', ['%62atch'], /another operation/],
  ['the batch path with a carriage return and an escape after it', ['batch\r\u001b'], /^CFG_USAGE: --failure-job-id "batch\\r\\x1b": .*another operation/],
  ['a dot segment', ['.'], /a dot segment/],
  ['a double dot segment', ['..'], /a dot segment/],
  ['an encoded double dot segment', ['%2e%2e'], /a dot segment/],
  ['a path', ['a/b'], /holds "\/" or "\\" once decoded/],
  ['an empty id', [''], /is empty/],
  [
    'the same id twice',
    ['job-1', 'job-1'],
    /^CFG_USAGE: --failure-job-id "job-1": the id is given twice: the job deleted and the guard that must survive would be one job/,
  ],
  ['the same job in other capitals', ['job-1', 'JOB-1'], /names the same job as "job-1" \(ids are compared decoded and case-insensitively\)/],
])('--failure-job-id: %s → exit 2, one line, and not a single request reaches the endpoint', async ([, ids, message], { expect }) => {
  const server = await recordingServer();
  const run = await runCli([...target(server.url), '--allow-delete', ...ids.flatMap((id) => ['--failure-job-id', id]), ...outputs(tempDir())]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/^CFG_USAGE: --failure-job-id "/);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\u001b/);
  expect(run.stdout).toBe('');
  expect(server.heads).toEqual([]);
  expect(server.connections()).toBe(0);
});

/** Ids a list may return that no DELETE may carry, in the list's order, before two good ones. */
const BAD_LISTED = ['batch', '.', '..', '%2e%2e', 'a/b', 'BATCH', '%62atch'];

test('ids served by --discover that could reach another path are never sent; the run says which and why; the unknown id is never one the list names', async () => {
  // What --seed 1 would derive with nothing listed: here the list names it.
  const unknown = unknownJobIdFor(1, []).id;
  const listed = [...BAD_LISTED, 'good-1', 'GOOD-1', 'good-2', unknown];
  const deleted = new Set<string>();
  const server = await httpServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '';
    if (req.method === 'GET' && /\/task-center\/failure-jobs(\?.*)?$/.test(path)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ failure_jobs: listed.filter((id) => !deleted.has(id)).map((job_id) => ({ job_id })), count: listed.length }));
    }
    const id = jobSegment(path);
    if (req.method === 'DELETE' && req.headers['x-auth-token'] === TOKEN && listed.includes(id) && !deleted.has(id)) {
      deleted.add(id);
      return void res.writeHead(204).end();
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"SDRS.0404","message":"not found"}}');
  });
  const dir = tempDir();
  const run = await runCli([...target(server.url), '--allow-delete', '--discover', '--fuzz-runs', '0', ...outputs(dir)]);
  const deletes = server.requests.filter((r) => r.startsWith('DELETE ')).map((r) => jobSegment(r.slice('DELETE '.length)));
  expect(deletes.length).toBeGreaterThan(0);
  for (const bad of [...BAD_LISTED, 'GOOD-1', unknown]) expect(deletes).not.toContain(bad);
  expect([...deleted]).toEqual(['good-1']);
  // The console says which listed ids were passed over, and why.
  for (const bad of [...BAD_LISTED, 'GOOD-1']) expect(run.stdout).toContain(`not sent   ${bad}  (discovered): the id `);
  expect(run.stdout).toMatch(/discovered id "batch" not used: the id is the path segment of another operation/);
  expect(run.stdout).toMatch(/discovered id "GOOD-1" not used: the id names the same job as "good-1"/);
  // So does the summary, whole.
  const summary = summaryOf(dir);
  expect(summary.refusedJobIds.map((r) => r.id)).toEqual([...BAD_LISTED, 'GOOD-1']);
  // The seed's first "unknown" id names a listed job here: the run derives another, and says which shape it assumed (the ids have none in common).
  const unknownCase = summary.cases.find((c) => c.caseId === 'deleteFailureJob.unknown-id');
  expect(unknownCase?.skip).toBeNull();
  expect(unknownCase?.receivedStatus).toBe(404);
  expect(run.stdout).toMatch(/unknown job id "[0-9a-f-]{36}": the ids have different lengths .*, so the unknown id takes the doc example's shape \(UUID\)/);
});

test('a server that answers 204 to everything: every DELETE it answered — conditions, status probes, each generated input — is in the ledger, one for one; the console counts requests and jobs apart', async () => {
  const jobs = ['job-a', 'job-b', 'job-c'];
  const server = await httpServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && /\/task-center\/failure-jobs(\?.*)?$/.test(req.url ?? '')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ failure_jobs: jobs.map((job_id) => ({ job_id })), count: jobs.length }));
    }
    res.writeHead(204).end();
  });
  const dir = tempDir();
  const run = await runCli([...target(server.url), '--allow-delete', '--discover', '--scenario-control', '--fuzz-runs', '40', ...outputs(dir)]);
  expect(run.code).toBe(1);
  const answered = server.requests.filter((r) => r.startsWith('DELETE ')).map((r) => r.slice('DELETE '.length));
  const { ledger, ledgerTotals } = summaryOf(dir);
  expect(answered.length).toBeGreaterThan(40);
  expect(ledger.map((d) => d.path).sort()).toEqual([...answered].sort());
  expect(ledgerTotals.requests).toBe(answered.length);
  expect(ledgerTotals.jobs).toBe(new Set(ledger.map((d) => `${d.projectId} ${d.jobId}`)).size);
  // Every case kind that sent a DELETE is there: the conditions, each generated input (shrinking replays
  // included) and the status probes (Prefer: code=NNN, answered 204 all the same; 204 itself was shown by own-job).
  expect(new Set(ledger.map((d) => d.caseId))).toEqual(
    new Set([
      ...['none', 'invalid-token'].flatMap((who) =>
        ['guard', 'unknown', 'malformed', 'overlong'].map((id) => `deleteFailureJob.refused-identity.${who}.${id}`),
      ),
      'deleteFailureJob.invalid-id-characters',
      'deleteFailureJob.invalid-id-overlong',
      'deleteFailureJob.invalid-id-encodings',
      'deleteFailureJob.unknown-id',
      'deleteFailureJob.own-job',
      'deleteFailureJob.deleted-concurrently',
      'deleteFailureJob.deleted-again',
      'deleteFailureJob.negative-inputs',
      ...[400, 401, 403, 404, 405, 406, 407, 408, 409, 500, 501, 502, 503, 504].map((s) => `deleteFailureJob.status-${s}`),
    ]),
  );
  expect(ledger.filter((d) => d.intended).map((d) => d.caseId)).toEqual(['deleteFailureJob.own-job']);
  expect(run.stdout).toContain(
    `Deletion ledger: ${answered.length} DELETE requests answered 2xx (${answered.length - 1} UNEXPECTED), ${ledgerTotals.jobs} distinct jobs.`,
  );
  expect(run.stdout).toMatch(/^ {2}UNEXPECTED .* by deleteFailureJob\.negative-inputs \(204\)/m);
});

/** A project's jobs on a server that reads `%` `*` as "anything" and `_` `?` as "one character", as SQL LIKE and globs do. */
async function patternServer() {
  const jobs = new Set(['aaa111', 'bbb222', 'ccc333', 'ddd444']);
  const server = await httpServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '';
    if (req.method === 'GET' && /\/task-center\/failure-jobs(\?.*)?$/.test(path)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ failure_jobs: [...jobs].map((job_id) => ({ job_id })), count: jobs.size }));
    }
    let id = path.split('?')[0]!.split('/').at(-1)!;
    try {
      id = decodeURIComponent(id);
    } catch {
      // kept raw, as a lenient server does
    }
    const pattern = new RegExp(
      `^${[...id].map((c) => (c === '%' || c === '*' ? '.*' : c === '_' || c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`,
      's',
    );
    const matched = req.method === 'DELETE' && req.headers['x-auth-token'] === TOKEN ? [...jobs].filter((job) => pattern.test(job)) : [];
    for (const job of matched) jobs.delete(job);
    if (matched.length) return void res.writeHead(204).end();
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"SDRS.0404","message":"not found"}}');
  });
  return { ...server, jobs };
}

test('a pattern-matching server, without --allow-delete: no id with a pattern character reaches it, and nothing is deleted', async () => {
  const server = await patternServer();
  const dir = tempDir();
  const run = await runCli([...target(server.url), '--fuzz-runs', '100', ...outputs(dir)]);
  const segments = server.requests.filter((r) => r.startsWith('DELETE ')).flatMap((r) => r.slice('DELETE '.length).split('?')[0]!.split('/').slice(1));
  expect(segments.length).toBeGreaterThan(100);
  expect(segments.filter((s) => patternCharacters(s, 'segment').length > 0)).toEqual([]);
  expect(segments.filter((s) => decodings(s).some((d) => /[%*_?[]/.test(d.replace(/%[0-9a-f]{2}/gi, ''))))).toEqual([]);
  expect([...server.jobs]).toEqual(['aaa111', 'bbb222', 'ccc333', 'ddd444']);
  expect(run.stdout).toMatch(
    /^SKIP deleteFailureJob\.invalid-id-encodings[\s\S]*?skipped: Its job id "50%-ü-✓" holds "%".*--allow-delete with --failure-job-id or --discover/m,
  );
  expect(summaryOf(dir).ledgerTotals).toEqual({ requests: 0, jobs: 0, unexpected: 0, vanished: 0 });
  expect(run.stdout).toMatch(/Deletion ledger: no job was deleted\./);
});

test('a pattern-matching server, with --allow-delete: its deletions are in the ledger as UNEXPECTED, and the jobs that vanished with them are listed', async () => {
  const server = await patternServer();
  const dir = tempDir();
  const run = await runCli([...target(server.url), '--allow-delete', '--discover', '--fuzz-runs', '100', ...outputs(dir)]);
  expect(run.code).toBe(1);
  const summary = summaryOf(dir);
  const unexpected = summary.ledger.filter((d) => !d.intended);
  expect(unexpected.length).toBeGreaterThan(0);
  expect(unexpected.every((d) => patternCharacters(d.jobId, 'value').length > 0)).toBe(true);
  // The jobs a pattern took: gone from the list, with no DELETE of their own id answered 2xx.
  const deletedByName = new Set(summary.ledger.map((d) => d.jobId));
  const vanished = summary.vanished.map((v) => v.jobId);
  expect(vanished.length).toBeGreaterThan(0);
  expect(vanished.sort()).toEqual(['aaa111', 'bbb222', 'ccc333', 'ddd444'].filter((id) => !server.jobs.has(id) && !deletedByName.has(id)));
  expect(summary.vanished.every((v) => v.list === 'primary' && v.projectId === PROJECT && v.seenBy === 'deleteFailureJob.list-after-delete')).toBe(true);
  expect(summary.ledgerTotals.vanished).toBe(vanished.length);
  expect(run.stdout).toMatch(/^ {2}UNEXPECTED /m);
  expect(run.stdout).toMatch(
    /^ {2}vanished {3}[a-d]{3}\d{3} {2}from the primary project's list \(deleteFailureJob\.list-after-delete\); no DELETE of it was answered 2xx$/m,
  );
  expect(run.stdout).toMatch(new RegExp(`; ${vanished.length} jobs? vanished\\.`));
});
