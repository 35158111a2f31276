import { expect, test } from 'vitest';
import { runCli } from '../support/cli.ts';
import { connectProxy, httpServer, httpsServer, selfSignedCertificate } from '../support/network-peers.ts';
import { referenceServer, tokenArgs } from '../support/reference.ts';

const base = (url: string) => ['run', '--endpoint', url, '--project-id', 'p', '--token', 'secret-token-value'];
const listAnswer = (_req: unknown, res: import('node:http').ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"failure_jobs":[],"count":0}');
};

test('a self-signed certificate: a clear TLS error naming the fix, exit 3', async () => {
  const url = await httpsServer(selfSignedCertificate(), listAnswer);
  const run = await runCli(base(url));
  expect(run.code).toBe(3);
  expect(run.stderr).toMatch(/^NET_UNREACHABLE: https:\/\/127\.0\.0\.1:\d+ did not answer: TLS failed .*--ca-file .*--insecure/);
});

test('--ca-file trusts the certificate; --insecure accepts it with a warning', async () => {
  const tls = selfSignedCertificate();
  const url = await httpsServer(tls, listAnswer);
  const trusted = await runCli([...base(url), '--ca-file', tls.certFile]);
  expect(trusted.stderr).not.toMatch(/NET_UNREACHABLE/);
  expect(trusted.stdout).toMatch(/Verdict: NOT CONFORMANT/); // the stub answers 200 to everything
  const insecure = await runCli([...base(url), '--insecure']);
  expect(insecure.stderr).toMatch(/^warning: --insecure: TLS certificates are not verified/);
  expect(insecure.stderr).not.toMatch(/NET_UNREACHABLE/);
});

test('plain HTTP on an https URL: one line asking "did you mean http://…?", exit 3', async () => {
  const { url, requests } = await httpServer(listAnswer);
  const run = await runCli(base(url.replace('http:', 'https:')));
  expect(run.code).toBe(3);
  expect(run.stderr).toMatch(/^NET_UNREACHABLE: https:\/\/127\.0\.0\.1:\d+ answers in plain HTTP, not TLS .* did you mean http:\/\/127\.0\.0\.1:\d+\?/);
  // The plain-HTTP question went without credentials: a token never travels unencrypted.
  expect(requests).toEqual(['GET /']);
});

test('--proxy tunnels every request through CONNECT and the run passes', async () => {
  const server = await referenceServer();
  const proxy = await connectProxy();
  const run = await runCli([...tokenArgs(server.url), '--allow-delete', '--discover', '--proxy', proxy.url]);
  expect(run.code).toBe(0);
  // every connection is a tunnel: the preflight's two, then the run's kept-alive ones (at most --concurrency open at once)
  expect(proxy.tunnels.length).toBeGreaterThanOrEqual(3);
  expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(server.url).host]));
});

test('a redirect to another origin is never followed — with or without credentials — and is a violation', async () => {
  const elsewhere = await httpServer(listAnswer);
  // The list answers (the preconditions pass); every other request is redirected.
  const redirecting = await httpServer((req, res) => {
    if (req.method === 'GET' && /\/failure-jobs(\?.*)?$/.test(req.url ?? '')) return listAnswer(req, res);
    res.writeHead(307, { location: `${elsewhere.url}${req.url}` });
    res.end();
  });
  const run = await runCli(base(redirecting.url));
  expect(elsewhere.requests).toEqual([]);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/\[status-documented\] Status not documented for this operation — Received: 307/);
});
