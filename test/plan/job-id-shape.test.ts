import { describe, expect, test } from 'vitest';
import { DEFAULT_SPEC } from '../../cli/run-options.ts';
import { jobIdProblem, patternCharacters, reservedJobSegments, sameJobKey } from '../../lib/cases/job-id-safety.ts';
import { unknownJobIdFor } from '../../lib/plan/job-id-shape.ts';
import { loadSpec } from '../../lib/spec/load-spec.ts';

const BATCH = reservedJobSegments((await loadSpec(DEFAULT_SPEC)).operations);

/** Ids of the shapes sdrs-api-notes.md §6 shows, and ones a target might have. */
const UUIDS = ['897f57b2-6e94-4179-b414-9532726c59f2', '3a6c1d2e-8b4f-4d6a-9c0e-2f1b5a7d9e31'];
const HEX = ['ff808082686f229a0168707b9be9013e', 'ff808082686f229a0168707b9be90140'];

describe('the unknown id takes the shape of the ids the run saw', () => {
  test.for<[string, { samples: string[]; want: RegExp; shape: string }]>([
    ['UUIDs', { samples: UUIDS, want: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/, shape: 'UUID' }],
    [
      'uppercase UUIDs',
      { samples: UUIDS.map((u) => u.toUpperCase()), want: /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-A[0-9A-F]{3}-[0-9A-F]{12}$/, shape: 'UUID (uppercase)' },
    ],
    ['32 hex, lowercase (the list example)', { samples: HEX, want: /^[0-9a-f]{32}$/, shape: '32 hex lowercase' }],
    ['32 hex, uppercase', { samples: HEX.map((h) => h.toUpperCase()), want: /^[0-9A-F]{32}$/, shape: '32 hex uppercase' }],
    ['one 32-hex id', { samples: [HEX[0] as string], want: /^[0-9a-f]{32}$/, shape: '32 hex lowercase' }],
    ['a prefix and digits', { samples: ['job-0042', 'job-0107'], want: /^job-\d{4}$/, shape: '"job-" + 4 digits' }],
    ['one prefixed id', { samples: ['job-0042'], want: /^job-\d{4}$/, shape: '"job-" + 4 digits' }],
    ['letters then digits, no separator', { samples: ['JOB004217'], want: /^JOB\d{6}$/, shape: '"JOB" + 6 digits' }],
    ['20-char base36', { samples: ['k3j9x0q7m2p5z8w1c4v6', '0a9b8c7d6e5f4g3h2i1j'], want: /^[0-9a-z]{20}$/, shape: '20 base36 lowercase' }],
    [
      'the list example and the odd OTC ids (non-hex, 32 chars)',
      { samples: [...HEX, '0000000011db92d34587db9d20df32ch'], want: /^[0-9a-z]{32}$/, shape: '32 base36 lowercase' },
    ],
    [
      'a layout inside the id',
      {
        samples: ['2024-0042-xy', '2025-0107-kz'],
        want: /^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{2}$/,
        shape: '10 base36 lowercase (with "····-····-··" as layout)',
      },
    ],
  ])('%s', ([, { samples, want, shape }]) => {
    for (const seed of [0, 1, 42]) {
      const unknown = unknownJobIdFor(seed, samples);
      expect(unknown.id).toMatch(want);
      expect(unknown.shape).toBe(shape);
      expect(unknown.assumed).toBeUndefined();
      expect(samples.map(sameJobKey)).not.toContain(sameJobKey(unknown.id));
    }
  });

  test.for<[string, { samples: string[]; why: RegExp }]>([
    ['no sample', { samples: [], why: /^no job id was listed or named, so the unknown id takes the doc example's shape \(UUID\)$/ }],
    ['UUIDs and 32-hex ids (the bundled server)', { samples: [...UUIDS, ...HEX], why: /^the ids have different lengths \(.*\), so .* \(UUID\)$/ }],
    ['ids of different lengths', { samples: ['job-42', 'job-1234'], why: /different lengths/ }],
    ['separators in different places', { samples: ['ab-cdef', 'abcd-ef'], why: /no common layout/ }],
    ['too short to vary', { samples: ['j1', 'j2'], why: /too little to vary/ }],
  ])('mixed or odd: %s → a UUID, and the note says why', ([, { samples, why }]) => {
    const unknown = unknownJobIdFor(1, samples);
    expect(unknown.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(unknown.shape).toBe('UUID');
    expect(unknown.assumed).toMatch(why);
  });

  test('deterministic from the seed, and another seed gives another id', () => {
    expect(unknownJobIdFor(7, HEX)).toEqual(unknownJobIdFor(7, HEX));
    expect(unknownJobIdFor(7, HEX).id).not.toBe(unknownJobIdFor(8, HEX).id);
    // With no sample, the id earlier versions derived from the seed.
    expect(unknownJobIdFor(1, []).id).toBe(unknownJobIdFor(1, UUIDS).id);
  });

  test('never a known id, in any spelling a server may fold (case, percent-encoding)', () => {
    const first = unknownJobIdFor(1, HEX).id;
    for (const known of [first, first.toUpperCase(), encodeURIComponent(first).replace(/a/g, '%61')]) {
      const unknown = unknownJobIdFor(1, HEX, [...HEX, known]);
      expect(unknown.id).toMatch(/^[0-9a-f]{32}$/);
      expect(sameJobKey(unknown.id)).not.toBe(sameJobKey(first));
    }
    // A shape with so few ids that the seed's candidates are all taken: a UUID, and the note says why.
    const digits = Array.from({ length: 10_000 }, (_, i) => `job-${String(i).padStart(4, '0')}`);
    const exhausted = unknownJobIdFor(1, digits);
    expect(exhausted.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(exhausted.assumed).toMatch(/^every id of the shape "job-" \+ 4 digits derived from the seed names a known job/);
  });

  test('ids of safe samples are safe to send: no dot segment, slash, reserved segment or pattern character', () => {
    for (const samples of [[], UUIDS, HEX, ['job-0042'], ['k3j9x0q7m2p5z8w1c4v6']]) {
      for (let seed = 0; seed < 200; seed += 1) {
        const { id } = unknownJobIdFor(seed, samples);
        expect(jobIdProblem(id, BATCH)).toBeUndefined();
        expect(patternCharacters(id, 'value')).toEqual([]);
      }
    }
  });
});
