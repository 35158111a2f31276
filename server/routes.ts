import { loadSpec } from '../lib/spec/load-spec.ts';
import { HTTP_METHODS, type HttpMethod, type OperationModel, type SpecModel } from '../lib/spec/operation-model.ts';
import { projectPath } from '../lib/project-paths.ts';

/** The spec the server routes from unless told otherwise: the one the suite checks against. */
export const DEFAULT_SPEC_FILE = projectPath('spec', 'sdrs-failure-jobs.openapi.yaml');

/** One documented operation as the router needs it. */
export interface RouteOperation {
  operationId: string;
  /** The statuses its responses document (for scenario control: a 2xx is synthesised only where documented). */
  statuses: readonly number[];
}

type Segment = { kind: 'literal'; text: string } | { kind: 'param'; name: string };

/** One path of the spec and the operations on it, by method. */
export interface Route {
  pathTemplate: string;
  segments: readonly Segment[];
  operations: Partial<Record<HttpMethod, RouteOperation>>;
  /** The Allow header of a 405 on this path: the spec's methods on it (RFC 9110 §15.5.6, §10.2.1). */
  allow: string;
}

export interface RouteMatch {
  route: Route;
  /** Path parameters as received (percent-encoded) … */
  raw: Record<string, string>;
  /** … and decoded; undefined when a value is not decodable. */
  params: Record<string, string | undefined>;
}

export interface RouteTable {
  /** Most specific first: at the first segment where two paths differ, a literal beats a {param}. */
  routes: readonly Route[];
  /** The route a path (without query) reaches, or undefined: no published API has that path. */
  match(path: string): RouteMatch | undefined;
}

/** The route table of a spec: the file (validated through lib/spec's cached loader) or a loaded model. */
export async function loadRoutes(spec: string | SpecModel = DEFAULT_SPEC_FILE): Promise<RouteTable> {
  return routeTable(typeof spec === 'string' ? (await loadSpec(spec)).operations : spec.operations);
}

/**
 * Paths from the spec, matched segment by segment. A literal matches its own text once decoded
 * (`%62atch` is `batch`: percent-encoded unreserved characters are equivalent, RFC 3986 §6.2.2.2);
 * a {param} matches any non-empty segment. Literal before templated is the OpenAPI rule (Paths
 * Object), and the one the overlapping `…/failure-jobs/batch` and `…/{failure_job_id}` need
 * (sdrs-api-notes.md §8).
 */
export function routeTable(operations: readonly Pick<OperationModel, 'operationId' | 'method' | 'pathTemplate' | 'responses'>[]): RouteTable {
  const byPath = new Map<string, Route>();
  for (const op of operations) {
    const route = byPath.get(op.pathTemplate) ?? { pathTemplate: op.pathTemplate, segments: segmentsOf(op.pathTemplate), operations: {}, allow: '' };
    route.operations[op.method] = { operationId: op.operationId, statuses: op.responses.map((r) => r.status) };
    byPath.set(op.pathTemplate, route);
  }
  const routes = [...byPath.values()].map((route) => ({ ...route, allow: HTTP_METHODS.filter((m) => route.operations[m]).join(', ') })).sort(bySpecificity);
  return {
    routes,
    match(path) {
      const parts = path.split('/');
      for (const route of routes) {
        const found = matchRoute(route, parts);
        if (found) return found;
      }
      return undefined;
    },
  };
}

/** The operation a method reaches on a route; undefined: not documented there (405). */
export function operationFor(route: Route, method: string): RouteOperation | undefined {
  return Object.hasOwn(route.operations, method) ? route.operations[method as HttpMethod] : undefined;
}

function segmentsOf(template: string): Segment[] {
  return template.split('/').map((part) => {
    const param = /^\{([^}]+)\}$/.exec(part);
    return param ? { kind: 'param', name: param[1] as string } : { kind: 'literal', text: part };
  });
}

function bySpecificity(a: Route, b: Route): number {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i += 1) {
    const [x, y] = [a.segments[i]?.kind, b.segments[i]?.kind];
    if (x !== y) return x === 'literal' ? -1 : 1;
  }
  // Paths of different lengths never match the same request; ordering them keeps the sort total.
  return a.segments.length - b.segments.length;
}

function matchRoute(route: Route, parts: readonly string[]): RouteMatch | undefined {
  if (parts.length !== route.segments.length) return undefined;
  const raw: Record<string, string> = {};
  const params: Record<string, string | undefined> = {};
  for (const [i, segment] of route.segments.entries()) {
    const part = parts[i] as string;
    if (segment.kind === 'literal') {
      if (part !== segment.text && decode(part) !== segment.text) return undefined;
    } else {
      if (part === '') return undefined;
      raw[segment.name] = part;
      params[segment.name] = decode(part);
    }
  }
  return { route, raw, params };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
