import { createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * Bytes that try to forge what a person reads: erase the FAIL line and print a verdict of their own in
 * a terminal, open a heading, a link, an image, raw HTML or a table break in Markdown, break out of an
 * HTML attribute, or make the JUnit file unparseable.
 */
export const FORGED_VERDICT = 'Verdict: CONFORMANT';
const FORGERY = [
  `\u001b[2K\r\u001b[1A\u001b[2K${FORGED_VERDICT}\r\n# CONFORMANT\n`,
  '[Approve release](https://evil.example/approve) ![badge](https://evil.example/ok.png) <https://evil.example/auto> www.evil.example ',
  '<img src=x onerror=alert(1)> <script>alert(1)</script> "double" \'single\' `code` | cell | break |\n',
  '\u009b2K\u009d8;;https://evil.example\u0007link\u009d8;;\u0007 \u202eTNAMROFNOC\u202c \u0001\u0008\u007f\uffff ]]></failure>',
].join('');

/**
 * Job ids the list operation returns. The first two become the jobs the run may delete (victim, guard),
 * so they hold no `/` or `\\` that a path-safety rule could refuse; the rest only appear in list comparisons. The lone surrogate sits there too: it could not be put
 * in a URL (encodeURIComponent throws), and is text for the reports like any other.
 */
export const HOSTILE_JOB_IDS = [
  `job-\u001b[2K\r${FORGED_VERDICT}\u001b[1A`,
  'guard-\u001b]8;;mailto:approve@evil.example\u0007Approve release\u001b]8;;\u0007',
  '\u009b2K\u009b1Ac1-csi\u001b]0;window title\u001b\\',
  'rlo-\u202eTNAMROFNOC',
  `nl-\n${FORGED_VERDICT}`,
  'cr-\rPASS deleteFailureJob.own-job',
  '# CONFORMANT [Approve release](https://evil.example/approve) ![x](https://evil.example/x.png) <b>bold</b> | a | b |',
  'xml-\u0001\u001b\uffff\ud800 ]]></testcase> "\' <script>alert(1)</script>',
];

export const PRIMARY = { projectId: 'p-primary', token: 'tok-primary' };
export const OTHER = { projectId: 'p-other', token: 'tok-other' };

/** Three error answers, chosen per request line, so every kind of received text reaches the reports. */
const ANSWERS: Array<(body: Buffer) => Buffer> = [
  // ESC and CR where llhttp refuses them (reason phrase, header values): the response is rebuilt from
  // the wire, so these bytes reach the checks (Content-Type is quoted by error-media-type).
  (body) =>
    head(
      `HTTP/1.1 400 Bad \u001b[2K\rRequest\r\nContent-Type: application/json\u001b]8;;https://evil.example/approve\u0007Approve\u001b]8;;\u0007\r\nX-Request-Id: \r${FORGED_VERDICT}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      body,
    ),
  // Only what HTTP allows: obs-text (0x80–0xFF, read as Latin-1, so 0x9B is the 8-bit CSI) in the reason
  // phrase and a header value; the body is not JSON, and the parser's message quotes its first bytes raw.
  (body) =>
    head(
      `HTTP/1.1 400 Bad \u009b2KRequest\r\nContent-Type: text/html; x=\u009b2K\u009b1A\u00ae\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      body,
    ),
  // Well-formed JSON of the wrong shape: the schema check quotes the body.
  (body) => {
    const json = Buffer.from(JSON.stringify({ error_msg: body.toString('utf8') }));
    return head(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\nConnection: close\r\n\r\n`, json);
  },
];

function head(text: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(text, 'latin1'), body]);
}

function json(status: string, value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value));
  return head(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, body);
}

/**
 * An SDRS look-alike on loopback whose list operation returns HOSTILE_JOB_IDS and whose every refusal
 * carries FORGERY. It plays along where the run needs it (the primary identity's DELETE of the first
 * listed job gets a 204), so deletion, ledger and state checks run too — and the list still shows the
 * deleted job afterwards, so the state checks quote the ids. `close()` destroys every connection.
 */
export async function forgingEndpoint(): Promise<{ url: string; close: () => Promise<void> }> {
  const [victim] = HOSTILE_JOB_IDS;
  let deleted = false;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const [requestLine = '', ...fields] = received.slice(0, end).split('\r\n');
      const token = fields.find((f) => /^x-auth-token:/i.test(f))?.replace(/^[^:]*:\s*/, '');
      const [method = '', target = ''] = requestLine.split(' ');
      const path = target.replace(/\?.*$/, '');
      const project = /^\/v1\/([^/]+)\//.exec(path)?.[1];
      if (method === 'GET' && /\/task-center\/failure-jobs$/.test(path)) {
        // After the 204, the primary list still shows the deleted job and nothing else.
        const ids = project === PRIMARY.projectId && deleted ? [victim] : HOSTILE_JOB_IDS;
        return void socket.end(json('200 OK', { failure_jobs: ids.map((job_id) => ({ job_id })), count: ids.length }));
      }
      if (method === 'DELETE' && token === PRIMARY.token && project === PRIMARY.projectId && !deleted && path.endsWith(`/${encodeURIComponent(victim!)}`)) {
        deleted = true;
        return void socket.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n');
      }
      const pick = [...requestLine].reduce((sum, c) => sum + c.charCodeAt(0), 0) % ANSWERS.length;
      socket.end(ANSWERS[pick]!(Buffer.from(FORGERY)));
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
