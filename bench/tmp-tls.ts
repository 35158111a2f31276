import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceServer } from '../server/http-server.ts';
import { loadSeed } from '../server/seed.ts';
import { runCli } from './measure-process.ts';
import { selfSigned, startTlsTerminator } from './ratios.ts';
import { byUrlArgs } from './suite-phase.ts';
import { startTcpProxy } from './tcp-proxy.ts';
const tls = process.argv[2] === 'tls';
const cert = selfSigned(mkdtempSync(join(tmpdir(), 'w17-')));
const lines: number[] = [];
const t0 = performance.now();
const server = await startReferenceServer({ seed: loadSeed(), scenarios: true, onRequestStart: () => lines.push(Math.round(performance.now() - t0)) });
const term = tls ? await startTlsTerminator(server.port, cert) : undefined;
const proxy = await startTcpProxy({ upstreamPort: term?.port ?? server.port, delayMs: 50 });
const url = tls ? proxy.url.replace('http:', 'https:') : proxy.url;
const run = await runCli([...byUrlArgs(url), '--concurrency', '8', ...(tls ? ['--ca-file', cert.certFile] : []), ...process.argv.slice(3)], {
  timeoutMs: 120000,
});
console.log(
  tls,
  Math.round(performance.now() - t0),
  run.verdict,
  Math.round(run.summaryDurationMs),
  'conns',
  proxy.activity().connectedAt.length,
  'first',
  lines[0],
  'last',
  lines[lines.length - 1],
  'n',
  lines.length,
  run.stderr.slice(0, 300),
);
await proxy.close();
await term?.close();
await server.close();
