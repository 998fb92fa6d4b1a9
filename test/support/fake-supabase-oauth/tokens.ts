import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export interface TokenSigner {
  jwks: { keys: JWK[] };
  /** A Supabase-shaped access token: `extra` adds claims (e.g. `client_id` for an OAuth-client token). */
  sign(
    user: { id: string; email: string },
    extra?: Record<string, unknown>,
    ttlSeconds?: number,
  ): Promise<string>;
}

/** RS256 keys and access tokens shaped like Supabase Auth's (iss …/auth/v1, aud authenticated, role, session_id). */
export async function createTokenSigner(issuer: string): Promise<TokenSigner> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'fake-supabase-key';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    jwks: { keys: [jwk] },
    sign: (user, extra = {}, ttlSeconds = 3600) =>
      new SignJWT({
        email: user.email,
        role: 'authenticated',
        aal: 'aal1',
        session_id: crypto.randomUUID(),
        is_anonymous: false,
        ...extra,
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience('authenticated')
        .setSubject(user.id)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(privateKey),
  };
}
