import type { TLSSocket } from 'node:tls';
import { expect, test } from 'vitest';
import { createConnectionPool } from '../../lib/http/connection-pool.ts';
import { DEFAULT_HTTP_OPTIONS, type HttpOptions } from '../../lib/http/http-options.ts';
import { sendExchange } from '../../lib/http/send-exchange.ts';
import { httpsServer, selfSignedCertificate } from '../support/network-peers.ts';

/** An HTTPS server that notes, per request, whether its connection resumed an earlier TLS session. */
async function resumptionServer() {
  const certificate = selfSignedCertificate();
  const resumed: boolean[] = [];
  const url = await httpsServer(certificate, (req, res) => {
    resumed.push((req.socket as TLSSocket).isSessionReused());
    res.writeHead(404, { 'content-type': 'application/json', connection: 'close' }).end('{}');
  });
  const options: HttpOptions = { ...DEFAULT_HTTP_OPTIONS, tls: { ca: [certificate.cert], rejectUnauthorized: true } };
  return { url: `${url}/v1/p/task-center/failure-jobs/j`, resumed, options };
}

test('with fresh connections, every connection after the first resumes the TLS session: no full handshake', async () => {
  const { url, resumed, options } = await resumptionServer();
  for (let i = 0; i < 3; i += 1) {
    const exchange = await sendExchange({ method: 'DELETE', url, headers: {} }, options);
    expect(exchange.kind).toBe('response');
  }
  expect(resumed).toEqual([false, true, true]);
});

test("a pool's new connections resume the session its first connection made", async () => {
  const { url, resumed, options } = await resumptionServer();
  const pool = createConnectionPool(options, 3);
  // The server closes each connection (Connection: close): every request needs a new one.
  for (let i = 0; i < 3; i += 1) expect((await pool.send({ method: 'DELETE', url, headers: {} })).kind).toBe('response');
  await pool.settle();
  expect(pool.opened).toBe(3);
  expect(resumed).toEqual([false, true, true]);
});
