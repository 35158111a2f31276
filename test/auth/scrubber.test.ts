import { describe, expect, test } from 'vitest';
import { createScrubber, REDACTED, userinfoSecrets } from '../../lib/auth/scrubber.ts';

const SECRET = 'Sk/9+Qx7Zr2Lm=Wp';
const scrubber = createScrubber([SECRET, 'AKIDEXAMPLE1234']);

describe('every form an endpoint can echo a secret in', () => {
  test.for([
    ['raw', `token=${SECRET};`],
    ['lower case', `token=${SECRET.toLowerCase()};`],
    ['upper case', `token=${SECRET.toUpperCase()};`],
    ['percent-encoded', `token=${encodeURIComponent(SECRET)}&x`],
    ['percent-encoded, lower-case hex', `token=${encodeURIComponent(SECRET).toLowerCase()}&x`],
    ['every byte escaped', `t=${[...Buffer.from(SECRET)].map((b) => `%${b.toString(16)}`).join('')}`],
    ['form-encoded', `t=${encodeURIComponent(`a ${SECRET}`).replace(/%20/g, '+')}`],
    ['JSON-escaped', JSON.stringify({ t: SECRET })],
    ['JSON \\u-escaped', `"${[...SECRET].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`],
    ['base64', Buffer.from(SECRET).toString('base64')],
    ['base64 inside a longer value, offset 1', Buffer.from(`a${SECRET}tail`).toString('base64')],
    ['base64 inside a longer value, offset 2', Buffer.from(`ab${SECRET}tail`).toString('base64')],
    ['base64url inside Basic credentials', `Basic ${Buffer.from(`user:${SECRET}`).toString('base64url')}`],
  ] as const)('%s', ([, text]) => {
    const scrubbed = scrubber.text(text);
    expect(scrubbed).toContain(REDACTED);
    expect(scrubbed.toLowerCase()).not.toContain(SECRET.toLowerCase());
    expect(scrubbed).not.toContain(encodeURIComponent(SECRET));
    // Decoding what is left shows no secret either.
    for (const shift of [0, 1, 2, 3]) expect(Buffer.from(scrubbed.slice(shift), 'base64').toString('latin1')).not.toContain(SECRET);
  });

  test.for([
    ['text without secrets', 'HTTP/1.1 404 Not Found {"error":{"code":"SDRS.0201"}}'],
    ['a short word that merely starts like a secret', 'Sk/9 is not a secret'],
    ['another base64 value', Buffer.from('nothing secret here at all').toString('base64')],
  ] as const)('leaves %s alone', ([, text]) => {
    expect(scrubber.text(text)).toBe(text);
  });
});

describe('cutting never leaves half a secret', () => {
  test('scrubbed before the cut: the secret straddling the limit is removed whole', () => {
    const text = `${'x'.repeat(10)}${SECRET}${'y'.repeat(10)}`;
    const cut = scrubber.cut(text, 14);
    expect(cut.startsWith('x'.repeat(10))).toBe(true);
    expect(cut).not.toContain(SECRET.slice(0, 4));
  });

  test.for([4, 6, 10, SECRET.length - 1])('a body already cut after %i characters of a secret loses them', (n) => {
    const trimmed = scrubber.trimPartial(`payload ${SECRET.slice(0, n)}`);
    expect(trimmed).toBe(`payload ${REDACTED}`);
  });

  test('an ending that is not the start of a secret stays', () => {
    expect(scrubber.trimPartial('payload Sk/')).toBe('payload Sk/');
    expect(scrubber.trimPartial('payload ends here')).toBe('payload ends here');
  });
});

describe('deep', () => {
  test('strings and bytes anywhere in a value; other values as they were', () => {
    const value = { a: [SECRET, 3, null, { b: Buffer.from(`x${SECRET}x`) }], when: 7, ok: true };
    const scrubbed = scrubber.deep(value);
    expect(scrubbed.a[0]).toBe(REDACTED);
    expect(Buffer.from((scrubbed.a[3] as { b: Buffer }).b).toString()).toBe(`x${REDACTED}x`);
    expect(scrubbed.when).toBe(7);
    expect(value.a[0]).toBe(SECRET);
  });

  test('bytes that are not UTF-8 survive next to a scrubbed secret', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(SECRET), Buffer.from([0x80])]);
    expect([...scrubber.bytes(bytes)]).toEqual([0xff, 0xfe, 0x00, ...Buffer.from(REDACTED), 0x80]);
  });
});

describe('userinfo', () => {
  test('password, pair and long user names are secrets; a short user name only with its password', () => {
    expect(userinfoSecrets('https://deploybot:p%40ss@h.example')).toEqual(expect.arrayContaining(['p@ss', 'deploybot:p@ss', 'deploybot']));
    expect(userinfoSecrets('https://admin:hunter22@h.example')).not.toContain('admin');
    expect(userinfoSecrets('https://h.example')).toEqual([]);
  });

  test('values shorter than four characters are not scrubbed (they would mask ordinary words)', () => {
    expect(createScrubber(['abc']).text('abc abc')).toBe('abc abc');
  });
});
