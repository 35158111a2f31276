import type { OperationModel } from '../spec/operation-model.ts';

/**
 * Pure: which ids may travel in a path segment where a job id goes. A DELETE aimed at a job must
 * reach that job's path and nothing else — not a sibling operation's literal path (`…/failure-jobs/batch`
 * deletes every failed task of the project), not a parent path (dot segments, separators, an empty
 * segment), in whatever spelling a proxy or a server might decode, trim or fold it to. Every id the
 * run sends is judged here: named (`--failure-job-id`), discovered (`--discover`), seeded (the unknown
 * id), the table's literal ids, and the generated negative inputs.
 */

/** Rounds of percent-decoding a segment is looked at in: a gateway, a proxy and a server may each decode once. */
const DECODE_ROUNDS = 3;

/** Characters a server that matches ids as patterns would expand: SQL LIKE (`%` `_`) and glob (`*` `?` `[`). */
export const PATTERN_CHARACTERS = ['%', '_', '*', '?', '['] as const;

/** A literal path segment another operation of the spec has where this operation has a parameter. */
export interface ReservedSegment {
  literal: string;
  operationId: string;
  method: string;
  pathTemplate: string;
}

export type JobIdRule = 'empty' | 'dot-segment' | 'separator' | 'reserved';

export interface JobIdProblem {
  rule: JobIdRule;
  /** Completes "the id …": what it is and where the request would go instead. */
  why: string;
}

/** The value and each percent-decoding of it (lenient, as forgiving servers decode), up to DECODE_ROUNDS. */
export function decodings(value: string): string[] {
  const levels = [value];
  for (let round = 0; round < DECODE_ROUNDS; round += 1) {
    const current = levels[levels.length - 1] as string;
    const next = decodeLeniently(current);
    if (next === current) break;
    levels.push(next);
  }
  return levels;
}

/** The last of `decodings`: what a server that decodes as often as it can ends up with. */
export function decodedUpTo3(value: string): string {
  return decodings(value).at(-1) as string;
}

/** Valid escapes decoded, invalid ones (`%ZZ`, a lone `%`) kept as they are — as lenient servers do. */
function decodeLeniently(value: string): string {
  return value.replace(/(?:%[0-9a-f]{2})+/gi, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

/**
 * What a lenient server may compare a decoded segment as: cut at a NUL (C strings), trimmed of
 * whitespace and controls, Unicode compatibility-folded (fullwidth `ｂａｔｃｈ`, `．．`, `／`), lower case.
 */
function folded(level: string): string {
  const cut = level.split('\u0000')[0] as string;
  return cut
    .replace(/^[\s\u0001-\u001f\u007f-\u009f]+|[\s\u0001-\u001f\u007f-\u009f]+$/g, '')
    .normalize('NFKC')
    .toLowerCase();
}

/** Every form of `value` a server could act on: each decoding, as is and folded. */
function formsOf(value: string): { levels: string[]; folded: string[] } {
  const levels = decodings(value);
  return { levels, folded: levels.map(folded) };
}

const isParam = (segment: string) => /^\{[^}]+\}$/.test(segment);

/**
 * Per path parameter of `operation`: the literal segments other operations of the spec have at the
 * parameter's position, on a path whose earlier segments are compatible with this one's (equal
 * literals, or a parameter on either side). Derived from the spec, so a sibling added there is refused here.
 */
export function reservedSegments(operations: readonly OperationModel[], operation: OperationModel): Record<string, ReservedSegment[]> {
  const own = operation.pathTemplate.split('/');
  const reserved: Record<string, ReservedSegment[]> = Object.fromEntries(operation.pathParams.map((name) => [name, []]));
  own.forEach((segment, position) => {
    if (!isParam(segment)) return;
    const name = segment.slice(1, -1);
    for (const other of operations) {
      if (other.pathTemplate === operation.pathTemplate) continue;
      const theirs = other.pathTemplate.split('/');
      const at = theirs[position];
      if (at === undefined || at === '' || isParam(at)) continue;
      const compatible = own
        .slice(0, position)
        .every((mine, j) => isParam(mine) || isParam(theirs[j] as string) || mine.toLowerCase() === (theirs[j] as string).toLowerCase());
      if (compatible) reserved[name]?.push({ literal: at, operationId: other.operationId, method: other.method, pathTemplate: other.pathTemplate });
    }
  });
  return reserved;
}

/** The parameter whose value names the resource: the last one of the path (the job, in `…/failure-jobs/{failure_job_id}`). */
export function resourceParam(operation: Pick<OperationModel, 'pathParams'>): string | undefined {
  return operation.pathParams.at(-1);
}

/** For every contract operation, the literals reserved at its resource parameter: what no job id may be. */
export function reservedJobSegments(operations: readonly OperationModel[]): ReservedSegment[] {
  return operations.filter((op) => op.role === 'contract').flatMap((op) => reservedSegments(operations, op)[resourceParam(op) ?? ''] ?? []);
}

/**
 * Why `id` cannot be sent as a job id, or undefined when it can. `id` is the value before the run
 * percent-encodes it; an already encoded segment is judged the same, since every decoding is looked at.
 */
export function jobIdProblem(id: string, reserved: readonly ReservedSegment[]): JobIdProblem | undefined {
  const { levels, folded: forms } = formsOf(id);
  if (forms.some((form) => form === '')) {
    return { rule: 'empty', why: 'is empty, or empty once decoded and trimmed (whitespace, NUL): the request would address the collection, not one job' };
  }
  if (forms.some((form) => form === '.' || form === '..')) {
    return {
      rule: 'dot-segment',
      why: 'is a dot segment ("." or "..", in some spelling): servers and proxies resolve it, so the request would land on another path',
    };
  }
  if ([...levels, ...forms].some((form) => /[/\\]/.test(form))) {
    return { rule: 'separator', why: 'holds "/" or "\\" once decoded: the request could land on another path' };
  }
  const hit = reserved.find((r) => forms.includes(r.literal.toLowerCase()));
  if (hit) {
    return {
      rule: 'reserved',
      why: `is the path segment of another operation, ${hit.method} ${hit.pathTemplate} (${hit.operationId}), in some spelling (compared decoded and case-insensitively): the request would reach that operation, not a job`,
    };
  }
  return undefined;
}

/** A segment that could move the request off the job's path: empty, a dot segment or a separator, in any decoding. */
export function movesPath(segment: string): boolean {
  const rule = jobIdProblem(segment, [])?.rule;
  return rule === 'empty' || rule === 'dot-segment' || rule === 'separator';
}

/**
 * Whether a generated segment mentions a reserved literal anywhere in any decoding — stricter than
 * `jobIdProblem`, because a generated value loses nothing by avoiding the word, and a normalising
 * server could cut it out of a longer path (`x%2F..%2Fbatch`).
 */
export function mentionsReserved(segment: string, reserved: readonly ReservedSegment[]): boolean {
  const { levels, folded: forms } = formsOf(segment);
  return reserved.some((r) => [...levels, ...forms].some((form) => form.toLowerCase().includes(r.literal.toLowerCase())));
}

/**
 * The pattern characters `value` holds where a server would read them: in a `'value'` (sent
 * percent-encoded) anywhere; in a `'segment'` (already in wire form) anywhere but as the `%` of a
 * valid escape — and in every decoding, and compatibility-folded (`＊`) too.
 */
export function patternCharacters(value: string, form: 'value' | 'segment'): string[] {
  const levels = decodings(value);
  const readable = form === 'segment' ? [(levels[0] as string).replace(/%[0-9a-f]{2}/gi, ''), ...levels.slice(1)] : levels;
  const text = readable.flatMap((level) => [level, level.normalize('NFKC')]).join('');
  return PATTERN_CHARACTERS.filter((c) => text.includes(c));
}

/** Two ids name the same job where a lenient server could not tell them apart: equal once decoded and folded. */
export function sameJobKey(id: string): string {
  return folded(decodedUpTo3(id));
}
