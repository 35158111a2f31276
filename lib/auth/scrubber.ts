/**
 * One scrubber for everything that leaves a case: every secret the run holds, in every form an
 * endpoint could echo it back in — raw, percent-encoded, base64 (at any byte alignment, so a secret
 * inside a longer base64 blob is found too), JSON-escaped — and in any letter case. What it finds
 * becomes `***`. Text is scrubbed before it is cut, and a cut never leaves the start of a secret.
 */
export const REDACTED = '***';

/** Shorter values would mask ordinary words; a credential this short is not one a service issues. */
export const MIN_SECRET_CHARS = 4;
/** Base64 cores shorter than this are too likely to occur by chance in unrelated base64. */
const MIN_BASE64_CORE = 8;

export interface Scrubber {
  /** The secret values (not their forms), for tests and diagnostics — never print them. */
  readonly size: number;
  text(text: string): string;
  /** Bytes are matched as latin1, so a body that is not UTF-8 keeps every other byte as it was. */
  bytes(bytes: Buffer): Buffer;
  /** Scrubs, then keeps at most `maxChars`; a secret cut in half by the limit is removed, not half kept. */
  cut(text: string, maxChars: number): string;
  /** Removes the start of a secret form at the end of `text` (a body cut by a read cap, say). */
  trimPartial(text: string): string;
  /** Every string and byte buffer inside a JSON-like value, scrubbed; everything else as it was. */
  deep<T>(value: T): T;
}

export function createScrubber(secrets: readonly string[]): Scrubber {
  const values = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_CHARS))];
  const forms = [...new Set(values.flatMap(formsOf))].sort((a, b) => b.length - a.length);
  const textPattern = alternation(forms);
  const bytePattern = alternation(forms.map((f) => Buffer.from(f, 'utf8').toString('latin1')));
  const lowerForms = forms.map((f) => f.toLowerCase());

  const text = (input: string) => (textPattern ? input.replace(textPattern, REDACTED) : input);
  const trimPartial = (input: string): string => {
    const tail = input.toLowerCase();
    for (const form of lowerForms) {
      for (let k = Math.min(form.length - 1, tail.length); k >= MIN_SECRET_CHARS; k -= 1) {
        if (tail.endsWith(form.slice(0, k))) return `${input.slice(0, input.length - k)}${REDACTED}`;
      }
    }
    return input;
  };
  const scrubber: Scrubber = {
    size: values.length,
    text,
    bytes: (input) => {
      if (!bytePattern) return input;
      const latin1 = input.toString('latin1');
      const scrubbed = latin1.replace(bytePattern, REDACTED);
      return scrubbed === latin1 ? input : Buffer.from(scrubbed, 'latin1');
    },
    cut: (input, maxChars) => {
      const scrubbed = text(input);
      return scrubbed.length <= maxChars ? scrubbed : trimPartial(scrubbed.slice(0, maxChars));
    },
    trimPartial,
    deep: (value) => deepScrub(value, scrubber) as typeof value,
  };
  return scrubber;
}

/** The forms an endpoint could echo a secret in. Case is handled by the pattern, not listed here. */
export function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [
    secret,
    encodeURIComponent(secret),
    encodeURI(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    // Every byte escaped, as some clients and proxies do.
    [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'),
    jsonUnicodeEscaped(secret),
    ...base64Cores(bytes, 'base64'),
    ...base64Cores(bytes, 'base64url'),
  ];
  return forms.filter((f) => f.length >= MIN_SECRET_CHARS);
}

/**
 * The base64 characters that depend on the secret alone, for each of the three byte offsets it can
 * sit at inside a longer encoded value: the characters shared with neighbouring bytes are dropped.
 */
function base64Cores(bytes: Buffer, encoding: 'base64' | 'base64url'): string[] {
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString(encoding)
      .replace(/=+$/, '');
    const whole = Math.floor((offset + bytes.length) / 3) * 4;
    const core = encoded.slice(offset === 0 ? 0 : offset + 1, whole);
    if (core.length >= MIN_BASE64_CORE) cores.push(core);
  }
  // Standing alone (not inside a longer value), the padded tail belongs to the secret too.
  cores.push(bytes.toString(encoding));
  return cores;
}

function jsonUnicodeEscaped(secret: string): string {
  return [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
}

function alternation(forms: readonly string[]): RegExp | undefined {
  if (forms.length === 0) return undefined;
  return new RegExp(forms.map((f) => f.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|'), 'gi');
}

function deepScrub(value: unknown, scrubber: Scrubber): unknown {
  if (typeof value === 'string') return scrubber.text(value);
  if (Buffer.isBuffer(value)) return scrubber.bytes(value);
  if (value instanceof Uint8Array) return scrubber.bytes(Buffer.from(value));
  if (Array.isArray(value)) return value.map((v) => deepScrub(v, scrubber));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepScrub(v, scrubber)]));
  }
  return value;
}

/** Userinfo of a URL (`user:pass@`), in the forms a client sends it: parts, pair, and Basic credentials. */
export function userinfoSecrets(url: string | URL | undefined, minUserChars = 6): string[] {
  if (!url) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  if (!parsed.username && !parsed.password) return [];
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const user = decode(parsed.username);
  const pass = decode(parsed.password);
  const pair = `${user}:${pass}`;
  // A short user name ("admin") is an ordinary word: masked only together with its password.
  return [pass, parsed.password, pair, `${parsed.username}:${parsed.password}`, ...(user.length >= minUserChars ? [user, parsed.username] : [])];
}
