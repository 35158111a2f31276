import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { DEFAULT_SPEC } from '../../cli/run-options.ts';

/**
 * The spec as raw OpenAPI (not the suite's typed model, which drops examples and parameters' details),
 * for tests that hold the spec itself to the doc and to the tools that read it.
 */
type Node = Record<string, unknown>;

export const RAW_SPEC = yaml.load(readFileSync(DEFAULT_SPEC, 'utf8')) as Node;

/** A local `$ref` followed (the spec has no remote ones); any other node as it is. */
export function resolve(node: unknown): Node {
  const ref = (node as Node)?.$ref;
  if (typeof ref !== 'string') return node as Node;
  return ref
    .slice(2)
    .split('/')
    .reduce<Node>((at, key) => at[key.replaceAll('~1', '/').replaceAll('~0', '~')] as Node, RAW_SPEC);
}

export interface RawParameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
  example?: unknown;
}

export interface RawOperation {
  operationId: string;
  method: string;
  path: string;
  parameters: RawParameter[];
  responses: Record<string, Node>;
  node: Node;
}

export function rawOperations(): RawOperation[] {
  return Object.entries(RAW_SPEC.paths as Record<string, Node>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([key]) => key !== 'parameters')
      .map(([method, op]) => {
        const node = op as Node;
        const parameters = [...((item.parameters as unknown[]) ?? []), ...((node.parameters as unknown[]) ?? [])].map(
          (p) => resolve(p) as unknown as RawParameter,
        );
        const responses = Object.fromEntries(Object.entries(node.responses as Node).map(([status, r]) => [status, resolve(r)]));
        return { operationId: node.operationId as string, method: method.toUpperCase(), path, parameters, responses, node };
      }),
  );
}

export interface ResponseExample {
  operationId: string;
  status: number;
  name: string;
  value: unknown;
}

/** Every named example of every response of every operation. */
export function responseExamples(): ResponseExample[] {
  return rawOperations().flatMap((op) =>
    Object.entries(op.responses).flatMap(([status, response]) => {
      const media = (response.content as Record<string, Node> | undefined)?.['application/json'];
      return Object.entries((media?.examples as Record<string, Node>) ?? {}).map(([name, example]) => ({
        operationId: op.operationId,
        status: Number(status),
        name,
        value: example.value,
      }));
    }),
  );
}

/** The error examples, each once (operations share the response components). */
export function errorExamples(): ResponseExample[] {
  const seen = new Set<string>();
  return responseExamples().filter((e) => e.status >= 400 && !seen.has(`${e.status} ${e.name}`) && seen.add(`${e.status} ${e.name}`));
}
