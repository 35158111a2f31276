import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { referenceServer, tokenArgs } from '../support/reference.ts';
import { tempDir } from '../support/temp-dir.ts';

/** A relay to the reference server that resets every connection whose request asks for a scenario (Prefer). */
async function resettingProbes(upstreamPort: number): Promise<{ url: string; resets: () => number }> {
  let resets = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => {});
    client.once('data', (head: Buffer) => {
      if (/\r\nprefer:/i.test(head.toString('latin1'))) {
        resets += 1;
        return void client.resetAndDestroy();
      }
      const upstream = connect(upstreamPort, '127.0.0.1', () => {
        upstream.write(head);
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, resets: () => resets };
}

test('a target that resets on status probes under --scenario-control is not CONFORMANT, and its summary names the transport errors', async () => {
  const server = await referenceServer({ scenarios: true });
  const relay = await resettingProbes(Number(new URL(server.url).port));
  const dir = tempDir('probe-resets');
  const run = await runCli(
    // --fresh-connections: the relay judges a connection by its first request.
    [
      ...tokenArgs(relay.url),
      '--discover',
      '--allow-delete',
      '--scenario-control',
      '--fresh-connections',
      '--summary-dir',
      dir,
      '--results-dir',
      join(dir, 'results'),
    ],
    { timeoutMs: 120_000 },
  );
  expect(relay.resets()).toBeGreaterThan(5);
  // A reset is no "not provokable": the probe asked, the target broke the connection.
  expect(run.code, run.stdout + run.stderr).toBe(1);
  const summary = JSON.parse(readFileSync(join(dir, 'conformance-summary.json'), 'utf8')) as {
    verdict: string;
    cases: Array<{ caseId: string; status: string; transportError: string | null; skip: unknown }>;
  };
  expect(summary.verdict).toBe('NOT CONFORMANT');
  const probes = summary.cases.filter((c) => /\.status-(40[6-9]|50\d)$/.test(c.caseId));
  expect(probes.length).toBeGreaterThan(10);
  for (const c of probes) {
    expect(c.status, c.caseId).toBe('broken');
    expect(c.transportError, c.caseId).toMatch(/reset/);
  }
  expect(readFileSync(join(dir, 'conformance-summary.md'), 'utf8')).toMatch(/Transport error: reset/);
});
