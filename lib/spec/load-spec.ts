import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { validatedDocument } from './validation-cache.ts';
import { ConformanceError } from '../errors.ts';
import { HTTP_METHODS, type DocumentedResponse, type HttpMethod, type JsonSchema, type OperationModel, type SpecModel } from './operation-model.ts';

// biome-ignore lint/suspicious/noExplicitAny: the dereferenced OpenAPI document before it is typed (what this module is for)
type OpenApiObject = Record<string, any>;

/**
 * Reads, validates (swagger-parser) and dereferences the spec, then maps it to the operation model.
 * Any problem stops the run with one SPEC_* error naming the file and the JSON pointer of the first problem.
 */
export async function loadSpec(file: string): Promise<SpecModel> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new ConformanceError('SPEC_UNREADABLE', `cannot read the spec ${file}: ${(error as Error).message}`);
  }
  let api: OpenApiObject;
  try {
    api = (await validatedDocument(file, bytes)) as OpenApiObject;
  } catch (error) {
    throw new ConformanceError('SPEC_INVALID', `${file}${firstProblem(error)}`);
  }
  if (typeof api.openapi !== 'string' || !api.openapi.startsWith('3.')) {
    throw new ConformanceError('SPEC_UNSUPPORTED', `${file}#/openapi: expected an OpenAPI 3.x document, found ${JSON.stringify(api.openapi ?? api.swagger)}`);
  }
  return {
    file,
    title: String(api.info?.title ?? ''),
    version: String(api.info?.version ?? ''),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    operations: operationsOf(api, file),
  };
}

/** swagger-parser reports schema problems as ajv-style details and YAML/ref problems as plain messages. */
function firstProblem(error: unknown): string {
  const details = (error as { details?: Array<{ instancePath?: string; message?: string; params?: unknown }> }).details;
  const first = details?.[0];
  if (first) {
    const pointer = first.instancePath || '/';
    const extra = first.params && Object.keys(first.params).length ? ` ${JSON.stringify(first.params)}` : '';
    return `#${pointer}: ${first.message ?? 'invalid'}${extra} — fix the spec at that pointer`;
  }
  const message = (error as Error)?.message ?? String(error);
  // The first line says what is wrong; the rest repeats the file and parser internals.
  return `: ${message.split('\n')[0]}`;
}

function operationsOf(api: OpenApiObject, file: string): OperationModel[] {
  const operations: OperationModel[] = [];
  for (const [pathTemplate, pathItem] of Object.entries<OpenApiObject>(api.paths ?? {})) {
    const methodsOnPath = HTTP_METHODS.filter((m) => pathItem[m.toLowerCase()]);
    for (const method of methodsOnPath) {
      const op = pathItem[method.toLowerCase()] as OpenApiObject;
      const pointer = `/paths/${escapePointer(pathTemplate)}/${method.toLowerCase()}`;
      if (typeof op.operationId !== 'string') {
        throw new ConformanceError('SPEC_INVALID', `${file}#${pointer}/operationId: every operation needs an operationId (case ids derive from it)`);
      }
      operations.push({
        operationId: op.operationId,
        method,
        pathTemplate,
        pathParams: [...pathTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string),
        summary: String(op.summary ?? op.operationId),
        docUrl: op.externalDocs?.url ?? api.externalDocs?.url,
        docSection: op['x-doc-section'],
        role: op['x-sdrs-role'] === 'supporting' || op['x-sdrs-role'] === 'off-limits' ? op['x-sdrs-role'] : 'contract',
        responses: responsesOf(op, `${pointer}/responses`, file),
        methodsOnPath: methodsOnPath as HttpMethod[],
      });
    }
  }
  return operations;
}

function responsesOf(op: OpenApiObject, pointer: string, file: string): DocumentedResponse[] {
  return Object.entries<OpenApiObject>(op.responses ?? {}).map(([code, response]) => {
    if (!/^[1-5][0-9][0-9]$/.test(code)) {
      throw new ConformanceError(
        'SPEC_UNSUPPORTED',
        `${file}#${pointer}/${code}: expected an explicit status code (range keys such as 4XX and "default" name no status a case can verify)`,
      );
    }
    const json = Object.entries<OpenApiObject>(response.content ?? {}).find(([type]) => /json/i.test(type));
    return {
      status: Number(code),
      description: String(response.description ?? ''),
      descriptionZh: response['x-doc-zh'],
      bodySchema: json?.[1].schema as JsonSchema | undefined,
      pointer: `${pointer}/${code}`,
    };
  });
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
