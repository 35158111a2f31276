import fc from 'fast-check';

/**
 * Path segments no client should ever get a 2xx or a 5xx for. Each generated value is a segment
 * ready for the URL: either a hostile string percent-encoded, or a raw encoding trick sent as is
 * (double encoding, invalid escapes, encoded separators, dot segments).
 */
const RAW_TRICKS = [
  '..', '.', '%2e%2e', '%2E%2E%2F%2E%2E', '..%2f..%2fetc%2fpasswd', '%2F', '%5C', '%00', '%0d%0a', '%ZZ', '%', '%25',
  '%252e%252e', '%u002e', '%C0%AE', '%ef%bc%8f', '~', '*', 'null', 'undefined', 'NaN', '0', '-1', 'true', '%20', '+',
] as const;

const HOSTILE_TEXT = [
  "' OR '1'='1", "1; DROP TABLE jobs--", '{"$ne":null}', '{"job_id":{"$gt":""}}', '[]', '{}', '<script>alert(1)</script>',
  '${7*7}', '{{7*7}}', '../../../../etc/passwd', '..\\..\\windows', '\u0000', '\r\nX-Injected: 1', '\t', ' ',
  '\u202e\u0041', '\ud83d\ude00', 'ＡＢＣ', 'İ', 'ß', '\u00a0',
] as const;

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXT),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'\u0000\u0001\u001f\u007f\u0085\u2028\r\n\t'.split('')), minLength: 1, maxLength: 8 }),
  fc.string({ unit: 'binary-ascii', minLength: 257, maxLength: 2048 }),
);

function decodedUpTo3(segment: string): string {
  let decoded = segment;
  for (let i = 0; i < 3; i += 1) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      break;
    }
  }
  return decoded;
}

/**
 * `…/failure-jobs/batch` is another API — it deletes every failed task of the project — so no
 * generated segment may reach it, however it is spelt or wherever a path normaliser would land it.
 */
export function isBatch(segment: string): boolean {
  return /batch/i.test(decodedUpTo3(segment));
}

/** A segment a decoding or normalising server could turn into another path (dot segments, slashes). */
export function movesPath(segment: string): boolean {
  const decoded = decodedUpTo3(segment).trim();
  return decoded === '.' || decoded === '..' || /[/\\]/.test(decoded);
}

/**
 * One path segment, already in the form it travels in. `pathTricks` allows segments that could move
 * the request to another path — only where the run may delete (the bundled server, --allow-delete):
 * on a production endpoint nobody allowed, a DELETE must not be steered anywhere but the job path.
 */
export function negativeSegment(pathTricks: boolean): fc.Arbitrary<string> {
  return fc
    .oneof({ weight: 1, arbitrary: fc.constantFrom(...RAW_TRICKS) }, { weight: 3, arbitrary: hostileString.map((text) => encodeURIComponent(text)) })
    .filter((segment) => !isBatch(segment) && (pathTricks || !movesPath(segment)));
}

export interface NegativeInput {
  /** Path parameter → raw segment. */
  segments: Record<string, string>;
}

/**
 * Every string path parameter of the operation gets a hostile value, except the project, which keeps
 * the caller's own id half of the time — so the failure job id is also tried where the tenant is right.
 */
export function negativeInputs(pathParams: readonly string[], ownProjectId: string, pathTricks: boolean): fc.Arbitrary<NegativeInput> {
  const segment = negativeSegment(pathTricks);
  const entries = pathParams.map((name) =>
    name === 'project_id' ? fc.oneof(fc.constant(encodeURIComponent(ownProjectId)), segment).map((v) => [name, v] as const) : segment.map((v) => [name, v] as const),
  );
  return fc.tuple(...entries).map((pairs) => ({ segments: Object.fromEntries(pairs) }));
}
