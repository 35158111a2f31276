import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_SPEC } from '../../cli/run-options.ts';
import { fileTempDir } from '../support/temp-dir.ts';
import { errorExamples } from '../support/spec-examples.ts';

/**
 * What a client team gets from `openapi-typescript` for our spec: `ErrorBody` must be a precise union
 * that `tsc --strict` holds bodies to — an untyped `anyOf` fragment once made it `unknown`, so any
 * value type-checked. Each probe is compiled alone; a rejected probe must fail with the assignment
 * error on its own line, not for some unrelated reason.
 */
const work = fileTempDir('types');

beforeAll(async () => {
  const nodes = await openapiTS(pathToFileURL(DEFAULT_SPEC));
  writeFileSync(join(work, 'sdrs.ts'), astToString(nodes));
}, 30_000);

/** tsc --strict on one probe file that imports the generated types; its diagnostics as `line: TSnnnn`. */
function compile(name: string, body: string): string[] {
  const file = join(work, `${name}.ts`);
  writeFileSync(file, `import type { components } from './sdrs.ts';\ntype ErrorBody = components['schemas']['ErrorBody'];\n${body}\n`);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${line}: TS${d.code}`;
  });
}

describe('openapi-typescript types of the spec, under tsc --strict', () => {
  test('every documented error example is an ErrorBody', () => {
    const examples = errorExamples();
    expect(examples.length).toBeGreaterThan(14);
    const lines = examples.map((e, i) => `export const ok${i}: ErrorBody = ${JSON.stringify(e.value)};`);
    expect(compile('valid', lines.join('\n'))).toEqual([]);
  });

  test.for([
    ['a number', '42'],
    ['an empty object', '{}'],
    ['code and message without a wrapper', "{ code: 'SDRS.0201', message: 'Invalid request parameters' }"],
    ['a non-string code', "{ error: { code: 201, message: 'Invalid request parameters' } }"],
    ['a wrapper without a message', "{ itemNotFound: { code: 'SDRS.9404' } }"],
    ['a gateway body without error_msg', "{ error_code: 'APIG.0301' }"],
  ] as const)('%s is rejected', ([name, value]) => {
    // Line 3 is the probe's assignment (two lines of imports above it); TS2322/TS2353/TS2741: not assignable.
    const diagnostics = compile(name.replaceAll(' ', '-'), `export const b: ErrorBody = ${value};`);
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) expect(d).toMatch(/^3: TS(2322|2353|2741)$/);
  });
});
