import { verifySignature } from '../lib/auth/verify-signature.ts';
import type { Seed } from './seed.ts';

export type AuthResult = { ok: true; projectId: string } | { ok: false; message: string };

/** Who a request is: by X-Auth-Token, or by a verified AK/SK signature (15-minute clock window). */
export class AuthDirectory {
  private readonly projectByToken = new Map<string, string>();
  private readonly keyByAk = new Map<string, { sk: string; projectId: string }>();

  constructor(seed: Seed) {
    for (const project of seed.projects) {
      for (const token of project.tokens) this.projectByToken.set(token, project.projectId);
      for (const { ak, sk } of project.aksk) this.keyByAk.set(ak, { sk, projectId: project.projectId });
    }
  }

  authenticate(request: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: Uint8Array }, now: Date): AuthResult {
    const token = request.headers['x-auth-token'];
    if (typeof token === 'string' && token.length > 0) {
      const projectId = this.projectByToken.get(token);
      return projectId ? { ok: true, projectId } : { ok: false, message: 'Incorrect IAM authentication information: decrypt token fail' };
    }
    if (request.headers.authorization !== undefined) {
      const verdict = verifySignature(request, (ak) => this.keyByAk.get(ak)?.sk, now);
      if (verdict.ok) return { ok: true, projectId: (this.keyByAk.get(verdict.ak) as { projectId: string }).projectId };
      return { ok: false, message: gatewayMessageFor(verdict.reason, verdict.detail) };
    }
    return { ok: false, message: 'Incorrect IAM authentication information: x-auth-token not found' };
  }
}

/** The gateway's documented wording per failure (sdrs-api-notes.md §2). */
function gatewayMessageFor(reason: string, detail: string): string {
  switch (reason) {
    case 'unknown-ak':
      return 'Incorrect IAM authentication information: Get secretKey failed,ak:******,err:ak not exist';
    case 'expired':
      return 'Incorrect IAM authentication information: calc ak sk signature fail:signature expired';
    case 'bad-signature':
      return 'Incorrect IAM authentication information: verify aksk signature fail';
    default:
      return `Incorrect IAM authentication information: ${detail}`;
  }
}
