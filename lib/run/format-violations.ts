import { inlineTerminalText } from '../text/terminal-text.ts';
import type { Violation } from '../checks/check-model.ts';

/**
 * "[check-id] title — Received: … / Expected: … (at where)", one line per violation. Every text field
 * may quote the wire (a header, a body, a listed job id), so each is made inline: a received line break
 * or escape sequence shows as `\n`/`\x1b` and can never start a line that reads like our own.
 */
export function formatViolations(violations: readonly Violation[]): string {
  return violations
    .map((v) => {
      const [title, received, expected, where] = [v.title, v.received, v.expected, v.where].map((text) => inlineTerminalText(text));
      return `[${v.checkId}]${v.severity === 'warning' ? ' (warning)' : ''} ${title} — Received: ${received} / Expected: ${expected} (at ${where})`;
    })
    .join('\n');
}
