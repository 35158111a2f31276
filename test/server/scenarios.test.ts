import { expect, test } from 'vitest';
import { parseScenario, preferredStatus, type ScenarioRequest } from '../../server/scenarios.ts';

test.for<[string, { given: string | string[] | undefined; want: number | undefined }]>([
  ['code=404', { given: 'code=404', want: 404 }],
  ['among other preferences', { given: 'return=minimal, code=503; foo', want: 503 }],
  ['in a repeated header', { given: ['return=minimal', 'code=409'], want: 409 }],
  ['the extra-spec 429', { given: 'code=429', want: 429 }],
  ['a status with no template', { given: 'code=418', want: undefined }],
  ['not three digits', { given: 'code=4040', want: undefined }],
  ['a look-alike token', { given: 'xcode=404', want: undefined }],
  ['no header', { given: undefined, want: undefined }],
])('Prefer: %s', ([, { given, want }]) => {
  expect(preferredStatus(given)).toBe(want);
});

type Want = Exclude<ScenarioRequest, { kind: 'invalid' }> | { kind: 'invalid'; detail: RegExp };

test.for<[string, { given: string | string[] | undefined; want: Want }]>([
  ['no header', { given: undefined, want: { kind: 'none' } }],
  ['blank', { given: '  ', want: { kind: 'none' } }],
  ['latency', { given: 'latency=100', want: { kind: 'fault', fault: { latencyMs: 100, ending: 'complete' }, applied: 'latency=100' } }],
  ['reset', { given: 'reset', want: { kind: 'fault', fault: { latencyMs: 0, ending: 'reset' }, applied: 'reset' } }],
  ['stall', { given: 'stall', want: { kind: 'fault', fault: { latencyMs: 0, ending: 'stall' }, applied: 'stall' } }],
  ['hang', { given: 'HANG', want: { kind: 'fault', fault: { latencyMs: 0, ending: 'hang' }, applied: 'hang' } }],
  [
    'latency then reset, any spacing and order',
    { given: 'reset ,latency=20', want: { kind: 'fault', fault: { latencyMs: 20, ending: 'reset' }, applied: 'latency=20, reset' } },
  ],
  ['the bound itself', { given: 'latency=60000', want: { kind: 'fault', fault: { latencyMs: 60_000, ending: 'complete' }, applied: 'latency=60000' } }],
  ['latency=0 is spelled out', { given: 'latency=0', want: { kind: 'fault', fault: { latencyMs: 0, ending: 'complete' }, applied: 'latency=0' } }],
  ['above the bound', { given: 'latency=60001', want: { kind: 'invalid', detail: /above the 60000 ms bound/ } }],
  ['two endings', { given: 'reset, hang', want: { kind: 'invalid', detail: /both reset and hang/ } }],
  ['latency twice', { given: 'latency=1, latency=2', want: { kind: 'invalid', detail: /latency given twice/ } }],
  ['a negative latency', { given: 'latency=-5', want: { kind: 'invalid', detail: /"latency=-5" is not understood/ } }],
  ['an unknown word', { given: 'slow', want: { kind: 'invalid', detail: /expected latency=MS/ } }],
])('X-Sdrs-Scenario: %s', ([, { given, want }]) => {
  const got = parseScenario(given);
  if (want.kind === 'invalid') {
    expect(got.kind).toBe('invalid');
    expect(got.kind === 'invalid' && got.detail).toMatch(want.detail);
  } else {
    expect(got).toEqual(want);
  }
});
