import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { referenceServer, tokenArgs } from '../support/reference.ts';

/**
 * A TCP relay in front of the reference server that counts the connections open at once, as the
 * server sees them (open from its accept until the client's FIN or the close), and holds each answer
 * back a little so that requests overlap.
 */
async function countingRelay(upstreamPort: number, delayMs: number): Promise<{ url: string; peak: () => number; total: () => number; requests: () => number }> {
  let open = 0;
  let peak = 0;
  let total = 0;
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    open += 1;
    total += 1;
    peak = Math.max(peak, open);
    sockets.add(client);
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(upstream);
    // A connection counts as open until the client lets go of it — its FIN ('end'), or the close, whichever comes
    // first: after our FIN the relay's own close finishes in its event loop, which a new connection can overtake.
    let counted = true;
    const release = () => {
      if (counted) open -= 1;
      counted = false;
    };
    client.on('end', release);
    client.on('close', () => {
      release();
      upstream.destroy();
    });
    client.on('error', () => {});
    upstream.on('error', () => client.destroy());
    // Request heads carry no body here and arrive whole: each request line starts one.
    let sent = '';
    client.on('data', (chunk: Buffer) => {
      sent = (sent + chunk.toString('latin1')).slice(-8192);
      const lines = sent.match(/(^|\r\n\r\n)[A-Z]+ \S+ HTTP\/1\.1\r\n/g) ?? [];
      requests += lines.length;
      if (lines.length) sent = sent.slice(sent.lastIndexOf(' HTTP/1.1\r\n') + 11);
    });
    client.pipe(upstream);
    upstream.on('data', (chunk) => setTimeout(() => client.writable && client.write(chunk), delayMs));
    upstream.on('end', () => setTimeout(() => client.end(), delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, peak: () => peak, total: () => total, requests: () => requests };
}

test.for([
  [8, 'pool'],
  [3, 'pool'],
  [8, 'fresh'],
] as const)(
  'with --concurrency %i (%s connections), at most that many connections are open at any moment, counted at the server',
  { timeout: 180_000 },
  async ([concurrency, connections]) => {
    const server = await referenceServer({ scenarios: true });
    const relay = await countingRelay(Number(new URL(server.url).port), 15);
    const work = mkdtempSync(join(tmpdir(), 'sdrs-concurrency-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    const run = await runCli(
      [
        ...tokenArgs(relay.url),
        '--allow-delete',
        '--discover',
        '--scenario-control',
        '--concurrency',
        String(concurrency),
        ...(connections === 'fresh' ? ['--fresh-connections'] : []),
        '--summary-dir',
        work,
        '--results-dir',
        join(work, 'results'),
      ],
      { timeoutMs: 120_000 },
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // Enough requests that the limit was pressed on…
    expect(relay.requests()).toBeGreaterThan(100);
    // …and never more open at once than asked, nested work (negative inputs, probes, list reads) included.
    expect(relay.peak()).toBeLessThanOrEqual(concurrency);
    expect(relay.peak()).toBe(concurrency);
    if (connections === 'fresh') expect(relay.total()).toBe(relay.requests());
    // Kept alive: a connection per slot, plus the preflight's and one for each connection retired after a 204 or a close.
    else expect(relay.total()).toBeLessThan(relay.requests() / 5);
  },
);
