import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bodyText } from '../../lib/http/exchange.ts';
import type { CaseOutcome } from '../../lib/run/case-outcome.ts';
import { formatViolations } from '../../lib/run/format-violations.ts';

/**
 * A small allure-results dir in the shape allure-vitest writes for our suite (ids from the case id,
 * one step per exchange with the request and response as attachments), without running vitest inside vitest.
 * Cleared first, as `sdrs-conformance run` clears its results dir.
 */
export async function writeAllureResults(dir: string, outcomes: readonly CaseOutcome[], startedAt: number): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const [i, o] of outcomes.entries()) {
    const start = startedAt + i * 10;
    const stop = start + o.durationMs;
    const status = o.status === 'broken' ? 'broken' : o.status;
    const steps = [];
    for (const exchange of o.exchanges) {
      const url = new URL(exchange.request.url);
      const request = [
        `${exchange.request.method} ${url.pathname} HTTP/1.1`,
        `host: ${url.host}`,
        ...Object.entries(exchange.request.headers).map(([n, v]) => `${n}: ${v}`),
      ].join('\n');
      const response =
        exchange.kind === 'response'
          ? [`HTTP/1.1 ${exchange.response.status}`, ...exchange.response.headers.map(([n, v]) => `${n}: ${v}`), '', bodyText(exchange.response.body)].join(
              '\n',
            )
          : `no response: ${exchange.error.cause} (${exchange.error.code}) ${exchange.error.message}`;
      const attachments = [];
      for (const [name, text] of [
        ['request (HTTP)', request],
        ['response (HTTP)', response],
      ] as const) {
        const source = `${randomUUID()}-attachment.txt`;
        await writeFile(join(dir, source), text);
        attachments.push({ name, source, type: 'text/plain' });
      }
      const target = `${exchange.request.method} ${new URL(exchange.request.url).pathname}`;
      steps.push({
        name: exchange.kind === 'response' ? `${target} → ${exchange.response.status}` : `${target} → ${exchange.error.cause}`,
        status,
        stage: 'finished',
        start,
        stop,
        steps: [],
        parameters: [],
        attachments,
      });
    }
    const message = o.status === 'failed' ? formatViolations(o.violations) : o.status === 'broken' ? `transport error: ${o.transportError}` : o.skip?.reason;
    const uuid = randomUUID();
    await writeFile(
      join(dir, `${uuid}-result.json`),
      JSON.stringify({
        uuid,
        historyId: o.caseId,
        testCaseId: o.caseId,
        name: `[${o.caseId}] ${o.title}`,
        fullName: `sdrs-conformance:suites/conformance.suite.ts#${o.operationId} [${o.caseId}] ${o.title}`,
        status,
        statusDetails: message ? { message } : {},
        stage: 'finished',
        start,
        stop,
        labels: [
          { name: 'parentSuite', value: o.operationId },
          { name: 'feature', value: o.operationId },
          { name: 'severity', value: o.severity },
        ],
        links: [],
        parameters: [],
        attachments: [],
        steps,
      }),
    );
  }
}
