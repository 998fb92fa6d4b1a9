import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** A local stand-in for Supabase Auth's JWKS endpoint, and a signer for access tokens shaped like Supabase's. */
export async function startFakeSupabase() {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  let jwksRequests = 0;
  const server = http.createServer((req, res) => {
    if (req.url === '/auth/v1/.well-known/jwks.json') {
      jwksRequests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    jwksRequests: () => jwksRequests,
    /** Signs a token; override any claim (or pass undefined to drop it). */
    sign: async (
      claims: Record<string, unknown> = {},
      options: { expiresIn?: string; key?: CryptoKey } = {},
    ) => {
      const body = {
        aud: 'authenticated',
        role: 'authenticated',
        email: 'oauth-user@example.com',
        client_id: 'claude-ai',
        session_id: 's1',
        ...claims,
      };
      const jwt = new SignJWT(Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)))
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer((claims.iss as string) ?? `${url}/auth/v1`)
        .setSubject((claims.sub as string) ?? '7d1f4c2e-0000-4000-8000-000000000001')
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '10m');
      return jwt.sign(options.key ?? privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
