/** The typed view of the spec the rest of the suite works from — no OpenAPI objects leak past lib/spec. */

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS' | 'TRACE';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'];

export type JsonSchema = Record<string, unknown>;

/** One documented response of an operation, e.g. 404 with the doc's Chinese text kept verbatim. */
export interface DocumentedResponse {
  status: number;
  description: string;
  /** The doc's own words (x-doc-zh), verbatim. */
  descriptionZh: string | undefined;
  /** JSON schema of an application/json body; undefined when the response documents no content. */
  bodySchema: JsonSchema | undefined;
  /** JSON pointer of this response in the spec, for reports. */
  pointer: string;
}

export interface OperationModel {
  operationId: string;
  method: HttpMethod;
  pathTemplate: string;
  pathParams: string[];
  summary: string;
  docUrl: string | undefined;
  docSection: string | undefined;
  /**
   * "supporting" operations (the list) help the suite but generate no conformance cases; "off-limits"
   * ones (the batch delete) are never called — the spec names them so no id can reach their path.
   */
  role: 'contract' | 'supporting' | 'off-limits';
  responses: DocumentedResponse[];
  /** Methods the spec documents on the same path, for the Allow header a 405 must carry. */
  methodsOnPath: HttpMethod[];
}

export interface SpecModel {
  file: string;
  title: string;
  version: string;
  /** sha256 of the spec file's bytes, for reports and baselines. */
  sha256: string;
  operations: OperationModel[];
}

export function findOperation(spec: SpecModel, operationId: string): OperationModel {
  const operation = spec.operations.find((op) => op.operationId === operationId);
  if (!operation) throw new Error(`operation ${operationId} is not in ${spec.file}`);
  return operation;
}

export function documentedStatuses(operation: OperationModel): number[] {
  return operation.responses.map((r) => r.status);
}
