import { signRequest } from './sign-request.ts';

/** How an identity proves itself: an IAM token (X-Auth-Token) or an AK/SK pair that signs each request. */
export type Credential = { kind: 'token'; token: string } | { kind: 'aksk'; ak: string; sk: string } | { kind: 'none' };

export interface Identity {
  /** The project whose path this identity may use. */
  projectId: string;
  credential: Credential;
}

/** Adds the credential's headers; the clock is injected so signing stays testable. */
export function applyCredential(
  request: { method: string; url: string; headers: Record<string, string>; body?: string },
  credential: Credential,
  now: Date,
): Record<string, string> {
  switch (credential.kind) {
    case 'none':
      return request.headers;
    case 'token':
      return { ...request.headers, 'X-Auth-Token': credential.token };
    case 'aksk':
      return signRequest(request, { ak: credential.ak, sk: credential.sk }, { now }).headers;
  }
}

/** The secret values of identities: tokens, and both halves of an AK/SK pair (the AK names the account). */
export function secretsOf(identities: Array<Identity | undefined>): string[] {
  return identities.flatMap((identity) => {
    const credential = identity?.credential;
    if (credential?.kind === 'token') return [credential.token];
    if (credential?.kind === 'aksk') return [credential.ak, credential.sk];
    return [];
  });
}
