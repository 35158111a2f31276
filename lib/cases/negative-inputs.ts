import fc from 'fast-check';
import { mentionsReserved, movesPath, PATTERN_CHARACTERS, patternCharacters, type ReservedSegment } from './job-id-safety.ts';

/**
 * Path segments no client should ever get a 2xx or a 5xx for. Each generated value is a segment
 * ready for the URL: either a hostile string percent-encoded, or a raw encoding trick sent as is
 * (double encoding, invalid escapes, encoded separators, dot segments).
 */
const RAW_TRICKS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F%2E%2E',
  '..%2f..%2fetc%2fpasswd',
  '%2F',
  '%5C',
  '%00',
  '%0d%0a',
  '%ZZ',
  '%',
  '%25',
  '%252e%252e',
  '%u002e',
  '%C0%AE',
  '%ef%bc%8f',
  '~',
  '*',
  'null',
  'undefined',
  'NaN',
  '0',
  '-1',
  'true',
  '%20',
  '+',
] as const;

const HOSTILE_TEXT = [
  "' OR '1'='1",
  '1; DROP TABLE jobs--',
  '{"$ne":null}',
  '{"job_id":{"$gt":""}}',
  '[]',
  '{}',
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as text
  '${7*7}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '..\\..\\windows',
  '\u0000',
  '\r\nX-Injected: 1',
  '\t',
  ' ',
  '\u202e\u0041',
  '\ud83d\ude00',
  'ＡＢＣ',
  'İ',
  'ß',
  '\u00a0',
] as const;

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXT),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'\u0000\u0001\u001f\u007f\u0085\u2028\r\n\t'.split('')), minLength: 1, maxLength: 8 }),
  fc.string({ unit: 'binary-ascii', minLength: 257, maxLength: 2048 }),
);

/** Pattern characters and separators, where the run may not delete. */
const UNSAFE_WITHOUT_DELETION = new RegExp(`[${[...PATTERN_CHARACTERS, '/', '\\'].map((c) => `\\${c}`).join('')}]`, 'g');

/**
 * Where the run may not delete, a hostile text keeps its shape (length, unicode, controls) with those
 * characters replaced — so over-long and odd values are still tried instead of filtered out.
 */
const defanged = (text: string) => text.replace(UNSAFE_WITHOUT_DELETION, '-');

/** What the run may risk with the generated values — decided by the run, not by the generator. */
export interface SegmentRules {
  /** Per path parameter: literals of other operations at its position (`reservedSegments`); never reached, in any spelling. */
  reserved: Readonly<Record<string, readonly ReservedSegment[]>>;
  /**
   * The run may delete (the bundled server, or --allow-delete with jobs): only then may a value move the
   * request to another path (dot segments, separators, empty) or hold pattern characters (`%` `_` `*` …),
   * which a server that matches ids loosely could expand to real jobs.
   */
  mayDelete: boolean;
}

/**
 * One path segment, already in the form it travels in. On a production endpoint nobody allowed to
 * delete, a DELETE must not be steered anywhere but the job path, nor match a job it does not name.
 * The generator never sees a real job id, so it cannot build variants of one (prefixes, case changes).
 */
export function negativeSegment(reserved: readonly ReservedSegment[], mayDelete: boolean): fc.Arbitrary<string> {
  const text = mayDelete ? hostileString : hostileString.map(defanged);
  return fc
    .oneof({ weight: 1, arbitrary: fc.constantFrom(...RAW_TRICKS) }, { weight: 3, arbitrary: text.map((t) => encodeURIComponent(t)) })
    .filter((segment) => !mentionsReserved(segment, reserved) && (mayDelete || (!movesPath(segment) && patternCharacters(segment, 'segment').length === 0)));
}

export interface NegativeInput {
  /** Path parameter → raw segment. */
  segments: Record<string, string>;
}

/**
 * Every path parameter of the operation gets a hostile value, except those in `own` (the caller's
 * project, where the path also names a job), which keep the caller's own value half of the time — so
 * the job id is also tried where the tenant is right.
 */
export function negativeInputs(pathParams: readonly string[], own: Readonly<Record<string, string>>, rules: SegmentRules): fc.Arbitrary<NegativeInput> {
  const segment = (name: string) => negativeSegment(rules.reserved[name] ?? [], rules.mayDelete);
  const entries = pathParams.map((name) => {
    const mine = own[name];
    return (mine === undefined ? segment(name) : fc.oneof(fc.constant(encodeURIComponent(mine)), segment(name))).map((v) => [name, v] as const);
  });
  return fc.tuple(...entries).map((pairs) => ({ segments: Object.fromEntries(pairs) }));
}
