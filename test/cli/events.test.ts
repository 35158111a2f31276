/**
 * `--events FILE|-`: NDJSON while the run goes on — run-started (the plan), case-started and
 * case-finished per case, run-finished (verdict, counts, exit code). README "Event stream".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { startReferenceServer } from '../../server/http-server.ts';
import { runCli } from '../support/cli.ts';
import { seed, tokenArgs } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

type Event = { event: string; caseId?: string; [key: string]: unknown };
const parse = (text: string): Event[] =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Event);

test('--events FILE: one JSON line per finished case, framed by run-started (the plan) and run-finished (the verdict)', async () => {
  const work = tempDir('events');
  const file = join(work, 'events.ndjson');
  const run = await runCli(['run', '--fuzz-runs', '10', '--events', file, '--results-dir', join(work, 'r'), '--summary-dir', work]);
  expect(run.code, run.stderr).toBe(0);
  const events = parse(readFileSync(file, 'utf8'));
  const [started] = events;
  expect(started).toMatchObject({ event: 'run-started', tool: 'sdrs-conformance', schemaVersion: 1 });
  const planned = started?.cases as string[];
  expect(started?.total).toBe(planned.length);
  const finished = events.filter((e) => e.event === 'case-finished');
  expect(finished.map((e) => e.caseId).sort()).toEqual([...planned].sort());
  expect(
    events
      .filter((e) => e.event === 'case-started')
      .map((e) => e.caseId)
      .sort(),
  ).toEqual([...planned].sort());
  // Each case starts before it finishes.
  for (const id of planned)
    expect(events.findIndex((e) => e.event === 'case-started' && e.caseId === id)).toBeLessThan(
      events.findIndex((e) => e.event === 'case-finished' && e.caseId === id),
    );
  expect(finished.find((e) => e.caseId === 'deleteFailureJob.own-job')).toMatchObject({ status: 'passed', receivedStatus: 204, checks: [], skip: null });
  const summary = JSON.parse(readFileSync(join(work, 'conformance-summary.json'), 'utf8')) as { counts: object };
  expect(events.at(-1)).toMatchObject({ event: 'run-finished', verdict: 'CONFORMANT', exitCode: 0, counts: summary.counts });
});

test('--events - : stdout is NDJSON alone (the console lines go to stderr); a failing case names the checks that caught it', async () => {
  const work = tempDir('events-stdout');
  const broken = await startReferenceServer({ seed, scenarios: true, mutant: 'unknown-id-204' });
  onTestFinished(() => broken.close());
  const run = await runCli([
    ...tokenArgs(broken.url),
    '--allow-delete',
    '--discover',
    '--fuzz-runs',
    '5',
    '--events',
    '-',
    '--results-dir',
    join(work, 'r'),
    '--summary-dir',
    work,
  ]);
  expect(run.code).toBe(1);
  const events = parse(run.stdout);
  expect(events.length).toBeGreaterThan(3);
  expect(events.find((e) => e.caseId === 'deleteFailureJob.unknown-id' && e.event === 'case-finished')).toMatchObject({
    status: 'failed',
    receivedStatus: 204,
    checks: expect.arrayContaining(['status-expected']),
  });
  expect(run.stderr).toMatch(/^FAIL deleteFailureJob\.unknown-id/m);
  expect(events.at(-1)).toMatchObject({ event: 'run-finished', verdict: 'NOT CONFORMANT', exitCode: 1 });
});

test('--events FILE naming a file another tool wrote: refused, exit 2, the file untouched', async () => {
  const work = tempDir('events-foreign');
  const file = join(work, 'notes.txt');
  writeFileSync(file, 'my notes\n');
  const run = await runCli(['run', '--events', file, '--results-dir', join(work, 'r'), '--summary-dir', work]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/^CFG_UNSAFE_OUTPUT: --events .*notes\.txt: the file exists and is not an event stream of this tool/);
  expect(readFileSync(file, 'utf8')).toBe('my notes\n');
});
