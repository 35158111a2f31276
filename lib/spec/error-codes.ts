import { readFileSync } from 'node:fs';
import { load as parse } from 'js-yaml';
import { projectPath } from '../project-paths.ts';

/** Which HTTP statuses each documented error code may travel with — SDRS appendix plus API gateway. */
export interface ErrorCodeCatalog {
  statusesOf(code: string): { statuses: number[]; source: 'sdrs-appendix' | 'api-gateway' } | undefined;
  size: number;
}

export function loadErrorCodeCatalog(): ErrorCodeCatalog {
  const sdrs = JSON.parse(readFileSync(projectPath('spec', 'sdrs-error-codes.json'), 'utf8')) as {
    codes: Array<{ code: string; status: number }>;
  };
  const gateway = parse(readFileSync(projectPath('spec', 'gateway-error-codes.yaml'), 'utf8')) as {
    codes: Array<{ code: string; statuses: number[] }>;
  };
  const byCode = new Map<string, { statuses: number[]; source: 'sdrs-appendix' | 'api-gateway' }>();
  for (const row of sdrs.codes) byCode.set(row.code, { statuses: [row.status], source: 'sdrs-appendix' });
  for (const row of gateway.codes) byCode.set(row.code, { statuses: row.statuses, source: 'api-gateway' });
  return { statusesOf: (code) => byCode.get(code), size: byCode.size };
}
