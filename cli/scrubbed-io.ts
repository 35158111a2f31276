import type { Scrubber } from '../lib/auth/scrubber.ts';
import { ConformanceError, isConformanceError } from '../lib/errors.ts';
import type { CliIo } from './main.ts';
import { stripTerminalControls } from '../lib/text/terminal-text.ts';

/**
 * The console as a run sees it: every line scrubbed of the run's secrets before it is written.
 * Controls go first: a secret echoed with an escape sequence in its middle would slip past the
 * scrubber and be put back together by the terminal-safe strip that follows.
 */
export function scrubbedIo(io: CliIo, scrubber: Scrubber): CliIo {
  const clean = (line: string) => scrubber.text(stripTerminalControls(line));
  const events = io.events;
  return {
    ...io,
    out: (line) => io.out(clean(line)),
    err: (line) => io.err(clean(line)),
    events: events && ((line) => events(clean(line))),
    scrub: clean,
  };
}

/** An error on its way to the one-line message: its text may quote what the endpoint sent. */
export function scrubbedError(error: unknown, scrubber: Scrubber): unknown {
  if (isConformanceError(error)) return new ConformanceError(error.code, scrubber.text(error.message));
  if (error instanceof Error) {
    const scrubbed = new Error(scrubber.text(error.message));
    scrubbed.stack = scrubber.text(error.stack ?? '');
    return scrubbed;
  }
  return new Error(scrubber.text(String(error)));
}
