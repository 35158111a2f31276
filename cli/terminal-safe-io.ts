import { stripTerminalControls } from '../lib/text/terminal-text.ts';
import type { CliIo } from './main.ts';

/**
 * The console's last line of defence: every line any command writes, to stdout or stderr, loses its
 * escape sequences, bare CRs and bidi controls, whatever the command did or forgot to do with received
 * text. Per-field escaping (`inlineTerminalText`) still decides how a received value reads; this only
 * guarantees that no byte reaching the terminal can move the cursor, erase a line or open a link.
 * Anything else that rewrites lines (a secrets scrubber) belongs inside this wrapper, nearer the
 * terminal — `terminalSafeIo(scrubbed(io))` — so it sees the text after the controls are gone: a
 * secret echoed back with an ESC in its middle must not escape the scrubber and reappear here.
 */
export function terminalSafeIo(io: CliIo): CliIo {
  const events = io.events;
  return {
    ...io,
    out: (line) => io.out(stripTerminalControls(line)),
    err: (line) => io.err(stripTerminalControls(line)),
    events: events && ((line) => events(stripTerminalControls(line))),
  };
}
