import type { Scrubber } from '../auth/scrubber.ts';
import { ConformanceError, isConformanceError } from '../errors.ts';
import type { CliIo } from './main.ts';

/** The console as a run sees it: every line scrubbed of the run's secrets before it is written. */
export function scrubbedIo(io: CliIo, scrubber: Scrubber): CliIo {
  return { ...io, out: (line) => io.out(scrubber.text(line)), err: (line) => io.err(scrubber.text(line)) };
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
