/**
 * Text bound for a terminal. Anything that came off the wire (job ids, headers, bodies, reason
 * phrases) may carry escape sequences or bare CRs that rewrite what a person sees — erase a FAIL
 * line, print a fake verdict. The console is one medium, so it has one place that makes text inert.
 */

/**
 * ESC-introduced sequences: CSI (incl. SGR), OSC/DCS/APC/PM/SOS strings up to their terminator, and
 * two-byte escapes. A string's payload ends at any control, not only at its terminator: an unterminated
 * OSC must not swallow the rest of our own line (whatever is left is removed as controls below).
 */
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0000-\u001f\u007f-\u009f]*(?:\u0007|\u001b\\)?|[ -/]*[0-~]?)/g;
/** C0 (but tab and line feed), DEL and C1 — C1 includes the 8-bit CSI (U+009B) and OSC (U+009D). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides, isolates and marks reorder what is shown (the "Trojan Source" trick). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The console's last line of defence: every line written to stdout/stderr passes here. Escape
 * sequences and control characters are removed; line feeds are kept, since our own text has them.
 */
export function stripTerminalControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '').replace(BIDI, '');
}

/**
 * One received value shown inside a console line: every control (line breaks included, so it cannot
 * start a line of its own; U+2028/2029 too, which other viewers break on) and every bidi control becomes
 * a visible escape, and a long value is shortened with "…".
 */
export function inlineTerminalText(text: string, maxChars = Number.POSITIVE_INFINITY): string {
  const visible = text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  const chars = [...visible];
  return chars.length > maxChars ? `${chars.slice(0, Math.max(1, maxChars - 1)).join('')}…` : visible;
}
