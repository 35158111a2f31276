import { createHash } from 'node:crypto';
import { sameJobKey } from '../cases/job-id-safety.ts';

/**
 * The shape of a target's job ids, read from the ids it showed (listed) or was given (named), and a
 * "well-formed but unknown" id of that shape. The doc fixes no format (sdrs-api-notes.md §6: the
 * delete example is a UUID, the list's ids are 32-char strings, other job ids are neither), and a
 * server may refuse an id of a foreign shape with 400 before looking it up — so an unknown id of the
 * wrong shape tests the validator, not "a job that does not exist". Pure.
 */
export type JobIdShape =
  /** 8-4-4-4-12 hex (the doc example's form). */
  | { kind: 'uuid'; upper: boolean }
  /** A fixed prefix, then `length` positions: literal separators where every sample has the same one, else a character of `alphabet`. */
  | { kind: 'pattern'; prefix: string; body: Array<string | null>; alphabet: Alphabet };

export type Alphabet = keyof typeof ALPHABETS;

/** Narrowest first: the first alphabet that holds every character the samples show is the one used. */
const ALPHABETS = {
  digits: '0123456789',
  'hex lowercase': '0123456789abcdef',
  'hex uppercase': '0123456789ABCDEF',
  'lowercase letters': 'abcdefghijklmnopqrstuvwxyz',
  'uppercase letters': 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  'base36 lowercase': '0123456789abcdefghijklmnopqrstuvwxyz',
  'base36 uppercase': '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  base62: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALNUM = /^[0-9A-Za-z]$/;
/** Fewer free positions than this and "unknown" ids run out (and a short id is more likely a name than an id). */
const MIN_FREE = 4;
const ATTEMPTS = 64;

export interface UnknownJobId {
  id: string;
  /** In words: `UUID`, `32 hex lowercase`, `"job-" + 4 digits`. */
  shape: string;
  /** Set when no sample decided the shape: why, and which one was assumed (shown on the cases that send the id). */
  assumed: string | undefined;
}

/** The shape every sample has, or why there is none. */
export function jobIdShapeOf(samples: readonly string[]): { shape: JobIdShape } | { problem: string } {
  const ids = [...new Set(samples.filter((s) => s.length > 0))];
  if (ids.length === 0) return { problem: 'no job id was listed or named' };
  if (ids.every((id) => UUID.test(id))) return { shape: { kind: 'uuid', upper: ids.every((id) => id === id.toUpperCase()) && ids.some(hasLetter) } };
  const prefix = commonPrefix(ids);
  const bodies = ids.map((id) => id.slice(prefix.length));
  const length = bodies[0]?.length ?? 0;
  if (bodies.some((b) => b.length !== length)) return { problem: `the ids have different lengths (${describeSamples(ids)})` };
  const body: Array<string | null> = [];
  const free: string[] = [];
  for (let at = 0; at < length; at += 1) {
    const chars = new Set(bodies.map((b) => b[at] as string));
    const [only] = chars;
    if (chars.size === 1 && only !== undefined && !ALNUM.test(only)) body.push(only);
    else if ([...chars].every((c) => ALNUM.test(c))) {
      body.push(null);
      free.push(...chars);
    } else return { problem: `the ids have no common layout (${describeSamples(ids)})` };
  }
  if (body.filter((p) => p === null).length < MIN_FREE) return { problem: `the ids leave too little to vary (${describeSamples(ids)})` };
  const alphabet = (Object.keys(ALPHABETS) as Alphabet[]).find((name) => free.every((c) => ALPHABETS[name].includes(c))) as Alphabet;
  return { shape: { kind: 'pattern', prefix, body, alphabet } };
}

/**
 * An id of the samples' shape that names no job: deterministic from the seed, never equal to a
 * known id in any spelling a server might fold (case, percent-decoding). Without a shape, the doc
 * example's (UUID), said so in `assumed`.
 */
export function unknownJobIdFor(seed: number, samples: readonly string[], known: readonly string[] = samples): UnknownJobId {
  const found = jobIdShapeOf(samples);
  const shape: JobIdShape = 'shape' in found ? found.shape : { kind: 'uuid', upper: false };
  const taken = new Set(known.map(sameJobKey));
  const assumed = 'problem' in found ? `${found.problem}, so the unknown id takes the doc example's shape (UUID)` : undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const id = generate(shape, seed, attempt);
    if (!taken.has(sameJobKey(id))) return { id, shape: describeShape(shape), assumed };
  }
  // Every attempt named a known job: the shape has too few free positions to matter; a UUID will do.
  const fallback = { kind: 'uuid', upper: false } as const;
  for (let attempt = 0; ; attempt += 1) {
    const id = generate(fallback, seed, attempt);
    if (!taken.has(sameJobKey(id)))
      return { id, shape: 'UUID', assumed: `every id of the shape ${describeShape(shape)} derived from the seed names a known job, so a UUID is used` };
  }
}

export function describeShape(shape: JobIdShape): string {
  if (shape.kind === 'uuid') return shape.upper ? 'UUID (uppercase)' : 'UUID';
  const free = shape.body.filter((p) => p === null).length;
  const literal = shape.body.some((p) => p !== null);
  const what = `${free} ${shape.alphabet}${literal ? ` (with "${shape.body.map((p) => p ?? '·').join('')}" as layout)` : ''}`;
  return shape.prefix ? `${JSON.stringify(shape.prefix)} + ${what}` : what;
}

function generate(shape: JobIdShape, seed: number, attempt: number): string {
  const bytes = stream(seed, attempt);
  if (shape.kind === 'uuid') {
    const hex = bytes.toString('hex');
    // Attempt 0 is the id earlier versions derived from the seed (a v4 UUID, variant a).
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    return shape.upper ? id.toUpperCase() : id;
  }
  const alphabet = ALPHABETS[shape.alphabet];
  let next = 0;
  return shape.prefix + shape.body.map((p) => p ?? alphabet[(bytes[next++ % bytes.length] as number) % alphabet.length]).join('');
}

/** 32 bytes per block, as many blocks as an id needs (long ids draw from more than one). */
function stream(seed: number, attempt: number): Buffer {
  const label = attempt === 0 ? `sdrs-conformance unknown job ${seed}` : `sdrs-conformance unknown job ${seed} attempt ${attempt}`;
  const blocks = [0, 1, 2, 3].map((block) =>
    createHash('sha256')
      .update(block === 0 ? label : `${label} block ${block}`)
      .digest(),
  );
  return Buffer.concat(blocks);
}

/**
 * The samples' common prefix, cut back to a separator or to the letters before a run of digits
 * (`job-00`… → `job-`, `JOB00`… → `JOB`): the part every id of the target starts with, not the part
 * that happens to agree.
 */
function commonPrefix(ids: readonly string[]): string {
  let prefix = ids[0] ?? '';
  for (const id of ids) while (!id.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = Math.max(...[...prefix].map((c, i) => (ALNUM.test(c) ? -1 : i + 1)), 0);
  const rest = ids.map((id) => id.slice(cut));
  const letters = /^[A-Za-z]+(?=\d+$)/.exec(rest[0] ?? '')?.[0];
  if (letters && rest.every((r) => new RegExp(`^${letters}\\d+$`).test(r))) return prefix.slice(0, cut) + letters;
  return prefix.slice(0, cut);
}

const hasLetter = (id: string) => /[a-z]/i.test(id);

function describeSamples(ids: readonly string[]): string {
  const shown = ids.slice(0, 3).map((id) => JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id));
  return `${shown.join(', ')}${ids.length > 3 ? `, … ${ids.length} in all` : ''}`;
}
