import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { runCli, runNode } from './measure-process.ts';
import { spread, type Spread } from './stats.ts';
import { byUrlArgs, countingServer } from './suite-phase.ts';
import { startTcpProxy, type RecordedRequest } from './tcp-proxy.ts';

/** The suite's default --concurrency, which the floor matches. */
const CONCURRENCY = 8;
const FUZZ_RUNS = 100;
const FLOOR_CLIENT = new URL('./floor-client.mjs', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;

/** Issue 17's settings and targets: the suite's wall time over the floor's, measured side by side. */
const SETTINGS = [
  { name: 'loopback', delayMs: 0, tls: false, target: 2.0 },
  { name: '100 ms added to every answer', delayMs: 100, tls: false, target: 1.15 },
  { name: 'HTTPS through a 50 ms round-trip link', delayMs: 50, tls: true, target: 1.3 },
] as const;

export interface RatioRow {
  setting: string;
  target: number;
  runs: number;
  /** Spawn → exit of `node bin/sdrs-conformance.js run` by URL, and of bench/floor-client.mjs, paired. */
  suite: Spread;
  floor: Spread;
  /** Median of the per-pair ratios suite / floor. */
  ratio: Spread;
  suiteRssKb: Spread;
  floorRssKb: Spread;
  /** TCP connections each opened, counted by the proxy in front of the server. */
  suiteConnections: Spread;
  floorConnections: Spread;
  suiteRequests: Spread;
  verdicts: string[];
}

/**
 * Section 6: for each setting, `runs` pairs — the CLI by URL, then the floor client with the same
 * requests — each against its own fresh server behind the proxy that adds the setting's latency. TLS
 * ends in a terminator behind that proxy, so handshakes pay the round trips too. `suiteFlags` are
 * added to the suite's command (`--fresh-connections` shows the one-connection-per-exchange mode).
 */
export async function measureRatios(runs: number, recorded: readonly RecordedRequest[], suiteFlags: readonly string[] = []): Promise<RatioRow[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'sdrs-bench-ratios-'));
  try {
    const requestsFile = join(scratch, 'requests.json');
    writeFileSync(requestsFile, JSON.stringify(recorded));
    const certificate = selfSigned(scratch);
    const rows: RatioRow[] = [];
    for (const setting of SETTINGS) {
      const pairs = [];
      for (let i = 0; i < runs; i += 1) {
        const suite = await behindLink(setting, certificate, async (url) =>
          runCli([...byUrlArgs(url), '--concurrency', String(CONCURRENCY), '--fuzz-runs', String(FUZZ_RUNS), ...caFlags(setting, certificate), ...suiteFlags], {
            timeoutMs: 180_000,
          }),
        );
        const floor = await behindLink(setting, certificate, (url) =>
          runNode([FLOOR_CLIENT, url, requestsFile, String(CONCURRENCY), ...(setting.tls ? [certificate.certFile] : [])], { cwd: ROOT, timeoutMs: 180_000 }),
        );
        if (floor.result.exitCode !== 0) throw new Error(`floor client failed (${setting.name}): ${floor.result.stderr.slice(-1000)}`);
        pairs.push({ suite, floor });
      }
      rows.push({
        setting: setting.name,
        target: setting.target,
        runs,
        suite: spread(pairs.map((p) => p.suite.result.wallMs)),
        floor: spread(pairs.map((p) => p.floor.result.wallMs)),
        ratio: spread(pairs.map((p) => p.suite.result.wallMs / p.floor.result.wallMs)),
        suiteRssKb: spread(pairs.map((p) => p.suite.result.peakRssKb)),
        floorRssKb: spread(pairs.map((p) => p.floor.result.peakRssKb)),
        suiteConnections: spread(pairs.map((p) => p.suite.connections)),
        floorConnections: spread(pairs.map((p) => p.floor.connections)),
        suiteRequests: spread(pairs.map((p) => p.suite.requests)),
        verdicts: [...new Set(pairs.map((p) => p.suite.result.verdict ?? `none (${p.suite.result.stderr.slice(-300)})`))],
      });
    }
    return rows;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

type Setting = (typeof SETTINGS)[number];
interface Certificate {
  key: string;
  cert: string;
  certFile: string;
}

const caFlags = (setting: Setting, certificate: Certificate) => (setting.tls ? ['--ca-file', certificate.certFile] : []);

/** A fresh reference server behind the setting's link (proxy, and TLS terminator when asked); `task` gets the URL to use. */
async function behindLink<T>(
  setting: Setting,
  certificate: Certificate,
  task: (url: string) => Promise<T>,
): Promise<{ result: T; connections: number; requests: number }> {
  const { server, requests } = await countingServer();
  const terminator = setting.tls ? await startTlsTerminator(server.port, certificate) : undefined;
  const proxy = await startTcpProxy({ upstreamPort: terminator?.port ?? server.port, delayMs: setting.delayMs });
  try {
    const url = setting.tls ? proxy.url.replace('http:', 'https:') : proxy.url;
    const result = await task(url);
    return { result, connections: proxy.activity().connectedAt.length, requests: requests() };
  } finally {
    await proxy.close();
    await terminator?.close();
    await server.close();
  }
}

/** Ends TLS in front of a plain server: what a load balancer does. */
export async function startTlsTerminator(upstreamPort: number, certificate: Certificate): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: certificate.key, cert: certificate.cert }, (client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A throwaway certificate for 127.0.0.1, made with openssl (scripts/setup-system.sh installs it) in the bench's scratch folder. */
export function selfSigned(dir: string): Certificate {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}
