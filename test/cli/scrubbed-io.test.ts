import { expect, test } from 'vitest';
import { createScrubber } from '../../lib/auth/scrubber.ts';
import { ConformanceError } from '../../lib/errors.ts';
import { scrubbedError, scrubbedIo } from '../../cli/scrubbed-io.ts';

const SECRET = 'MIIcanaryTokenQx7Zr2';
const scrubber = createScrubber([SECRET]);

test.for([
  ['as is', `job ${SECRET} gone`],
  ['split by an escape sequence the terminal strip would remove', `job MIIcanary\u001b[0mTokenQx7Zr2 gone`],
  ['split by a bare CR and an OSC string', `job MIIcanary\r\u001b]0;x\u0007TokenQx7Zr2 gone`],
] as const)('a console line with the secret %s is written without it', ([, line]) => {
  const written: string[] = [];
  const io = scrubbedIo({ out: (l) => written.push(l), err: (l) => written.push(l), env: {} }, scrubber);
  io.out(line);
  io.err(line);
  expect(written).toEqual(['job *** gone', 'job *** gone']);
});

test('an error on its way to the one-line message keeps its code and loses the secret', () => {
  const error = scrubbedError(new ConformanceError('NET_UNREACHABLE', `refused ${SECRET}`), scrubber) as ConformanceError;
  expect(error.code).toBe('NET_UNREACHABLE');
  expect(error.message).toBe('refused ***');
  expect((scrubbedError(new Error(`x ${SECRET}`), scrubber) as Error).stack).not.toContain(SECRET);
});
