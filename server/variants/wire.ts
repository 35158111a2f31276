import { mapResponse } from '../mutants/toolkit.ts';
import type { Variant } from './variant-model.ts';

/** Added to every answer: slow, well inside any client's deadline, and short enough for `npm run mutation`. */
const LATENCY_MS = 200;

export const WIRE_VARIANTS: Variant[] = [
  {
    name: 'content-length-zero-204',
    description: 'the 204 carries Content-Length: 0 (breaks RFC 9110 §8.6 MUST NOT, misleads no client: a warning)',
    runFlags: [],
    handler: mapResponse((response) => (response.status === 204 ? { ...response, headers: { ...response.headers, 'content-length': '0' } } : response)),
  },
  {
    name: 'slow-answers',
    description: `every answer takes ${LATENCY_MS} ms longer (a loaded service behind a gateway)`,
    runFlags: [],
    handler: mapResponse((response) => ({ ...response, fault: response.fault ?? { latencyMs: LATENCY_MS, ending: 'complete' } })),
  },
];
