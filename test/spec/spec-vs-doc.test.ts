import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ajv } from '../../lib/checks/ajv.ts';
import { errorBodySchema } from '../../lib/checks/error-body-schema.ts';
import { errorCodeStatus } from '../../lib/checks/error-code-status.ts';
import { successBodySchema } from '../../lib/checks/success-body-schema.ts';
import { findOperation } from '../../lib/spec/operation-model.ts';
import { ERROR_TEMPLATES, errorBody } from '../../server/error-responses.ts';
import { adapterFor } from '../../server/operations/index.ts';
import { expectationFor, response, spec } from '../support/fixtures.ts';
import { RAW_SPEC, rawOperations, resolve, responseExamples } from '../support/spec-examples.ts';

/**
 * The spec against the facts of sdrs_05_0902 (the copy in spec/reference), read from the doc's own
 * tables rather than restated here, and the spec's examples against its own schemas and checks — the
 * examples are what Prism answers and what Dredd sends, so a wrong one misleads every tool downstream.
 */
const DOC = readFileSync(new URL('../../spec/reference/sdrs_05_0902.zh.md', import.meta.url), 'utf8');

/** The doc's HTML tables as rows of cell texts (tags and entities stripped), header rows left out. */
function docTables(markdown: string): string[][][] {
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  return [...markdown.matchAll(/<table>[\s\S]*?<\/table>/g)].map(([table]) =>
    [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)]
      .filter(([, row]) => (row as string).includes('<td'))
      .map(([, row]) => [...(row as string).matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map(([, cell]) => text(cell as string))),
  );
}

const [PARAMETERS, NORMAL, ERRORS] = docTables(DOC) as [string[][], string[][], string[][]];
const deleteOp = rawOperations().find((op) => op.operationId === 'deleteFailureJob')!;

describe('deleteFailureJob against sdrs_05_0902', () => {
  test('method and path are the URI格式 line', () => {
    const uri = /URI格式\s+(\w+) (\S+)/.exec(DOC.replaceAll('\\', ''));
    expect([deleteOp.method, deleteOp.path]).toEqual([uri?.[1], uri?.[2]]);
  });

  test('the path parameters are the 参数说明 table: names, required (是), the doc’s words kept', () => {
    expect(PARAMETERS.length).toBe(2);
    const documented = PARAMETERS.map(([name, required, words]) => ({ name, in: 'path', required: required === '是', words: words?.split('。')[0] }));
    expect(deleteOp.parameters.map((p) => ({ name: p.name, in: p.in, required: p.required, words: String(p.description).split('。')[0] }))).toEqual(documented);
  });

  test('请求参数: 无 — no query parameter, header parameter or request body', () => {
    expect(DOC).toMatch(/请求参数\s+无/);
    expect(deleteOp.parameters.filter((p) => p.in !== 'path')).toEqual([]);
    expect(deleteOp.node.requestBody).toBeUndefined();
  });

  test('the 请求样例 id is the failure_job_id example', () => {
    const sample = /failure-jobs\/([0-9a-f-]{36})/.exec(DOC);
    expect(deleteOp.parameters.find((p) => p.name === 'failure_job_id')?.example).toBe(sample?.[1]);
  });

  test('the statuses are 正常 + 异常, each with the doc’s reason phrase and its 说明 verbatim, row by row', () => {
    const rows = [...NORMAL, ...ERRORS].map(([status, words]) => {
      const [, code, reason] = /^(\d{3}) ?(.*)$/.exec(status ?? '') ?? [];
      return { status: Number(code), reason: reason || words, zh: words };
    });
    expect(rows.map((r) => r.status)).toEqual([204, 400, 401, 403, 404, 405, 406, 407, 408, 409, 500, 501, 502, 503, 504]);
    const model = findOperation(spec, 'deleteFailureJob').responses;
    expect(model.map((r) => r.status)).toEqual(rows.map((r) => r.status));
    for (const [i, r] of model.entries()) {
      expect(r.description.startsWith(rows[i]!.reason!), `${r.status} ${r.description}`).toBe(true);
      expect(r.descriptionZh, String(r.status)).toBe(rows[i]!.zh);
    }
  });

  test('响应: 无 — the 204 documents no content', () => {
    expect(DOC).toMatch(/## 响应[^\n]*\n+无/);
    expect(deleteOp.responses['204']?.content).toBeUndefined();
  });
});

describe('examples', () => {
  test('info.version is a string (quoted: a bare date is a Date to YAML tools)', () => {
    expect(typeof (RAW_SPEC.info as { version: unknown }).version).toBe('string');
  });

  test('every parameter of every operation has an example its schema accepts', () => {
    const parameters = rawOperations().flatMap((op) => op.parameters.map((p) => ({ op: op.operationId, ...p })));
    expect(parameters.length).toBeGreaterThan(8);
    for (const p of parameters) {
      const validate = ajv.compile(resolveSchema(p.schema));
      expect(p.example, `${p.op} ${p.name}`).toBeDefined();
      expect(validate(p.example), `${p.op} ${p.name} = ${JSON.stringify(p.example)}`).toBe(true);
    }
  });

  test('every response with content has a named example; every error status has one', () => {
    for (const op of rawOperations())
      for (const [status, r] of Object.entries(op.responses)) {
        if (!r.content) continue;
        const named = responseExamples().filter((e) => e.operationId === op.operationId && e.status === Number(status));
        expect(named.length, `${op.operationId} ${status}`).toBeGreaterThan(0);
      }
    const errorStatuses = new Set(
      responseExamples()
        .filter((e) => e.status >= 400)
        .map((e) => e.status),
    );
    expect([...errorStatuses].sort()).toEqual(ERRORS.map(([s]) => Number(s?.slice(0, 3))).sort());
  });

  test.for(responseExamples().map((e) => [`${e.operationId} ${e.status} ${e.name}`, e] as const))('%s passes the suite’s own body checks', ([, e]) => {
    const operation = findOperation(spec, e.operationId);
    const exchange = response(e.status, { headers: [['content-type', 'application/json']], body: e.value as object });
    const expectation = expectationFor(undefined, operation);
    const check = e.status >= 400 ? errorBodySchema : successBodySchema;
    expect([...check(exchange, expectation), ...errorCodeStatus(exchange, expectation)]).toEqual([]);
  });

  // Shape and code, not the message: 错误信息 is a free string (the list words its 409 for the task center).
  test.for(['deleteFailureJob', 'listFailureJobs'])(
    '%s: the first example of each error status has the shape and code the reference server sends',
    (operationId) => {
      const examples = responseExamples().filter((x) => x.operationId === operationId && x.status >= 400);
      const firsts = examples.filter((e, i) => examples.findIndex((x) => x.status === e.status) === i);
      expect(firsts.length).toBe(14);
      for (const e of firsts) {
        const template = adapterFor(operationId)?.errors?.[e.status] ?? ERROR_TEMPLATES[e.status]!;
        expect(shapeAndCode(e.value), String(e.status)).toEqual(shapeAndCode(JSON.parse(errorBody(template, 'request-id'))));
      }
    },
  );
});

/** `itemNotFound SDRS.9404`, `gateway APIG.0301`: which documented form a body takes, and its code. */
function shapeAndCode(body: unknown): string {
  const value = body as Record<string, { code?: string } | string>;
  if (typeof value.error_code === 'string') return `gateway ${value.error_code}`;
  const [key = '', inner] = Object.entries(value)[0] ?? [];
  return `${key} ${(inner as { code?: string })?.code}`;
}

/** A parameter's schema with its `$ref`s to components followed, as ajv sees one standalone. */
function resolveSchema(schema: unknown): Record<string, unknown> {
  const resolved = resolve(schema);
  return JSON.parse(JSON.stringify(resolved)) as Record<string, unknown>;
}
