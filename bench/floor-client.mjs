/**
 * The physical floor (issue 17), run as its own process so it pays what the CLI pays to start: node,
 * then undici, then the suite's recorded requests sent `concurrency` at a time over a keep-alive pool —
 * no checks, no evidence, no reports. Plain JavaScript, so no compiler stands between it and node.
 *
 *   node bench/floor-client.mjs ORIGIN REQUESTS.json CONCURRENCY [CA.pem]
 *
 * Prints one line: {"requests":N,"statuses":{...},"connections":N}.
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

const [origin, requestsFile, concurrencyText, caFile] = process.argv.slice(2);
const requests = JSON.parse(readFileSync(requestsFile, 'utf8'));
const concurrency = Number(concurrencyText);
let connections = 0;
const pool = new Pool(origin, {
  connections: concurrency,
  pipelining: 1,
  headersTimeout: 10_000,
  bodyTimeout: 10_000,
  connect: { timeout: 5000, ...(caFile ? { ca: readFileSync(caFile, 'utf8') } : {}) },
});
pool.on('connect', () => {
  connections += 1;
});
const statuses = {};
let next = 0;
const worker = async () => {
  while (next < requests.length) {
    const { method, path, headers } = requests[next++];
    const response = await pool.request({ method, path, headers, signal: AbortSignal.timeout(10_000) });
    await response.body.dump({ limit: 1024 * 1024 });
    statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
  }
};
await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
await pool.close();
process.stdout.write(`${JSON.stringify({ requests: requests.length, statuses, connections })}\n`);
