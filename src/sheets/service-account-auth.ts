import { OAuth2Client } from 'google-auth-library';
import { importPKCS8, SignJWT } from 'jose';
import type { ServiceAccountKey } from './service-account-key.js';

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The token endpoint refused or could not be reached. No Sheets request was sent. */
export class TokenRequestError extends Error {
  constructor(
    message: string,
    /** HTTP status of the token endpoint's answer; undefined when it never answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

interface TokenResponse {
  access_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/**
 * OAuth 2.0 JWT-bearer grant (RFC 7523) for a service-account key, posted to the key's own `token_uri`.
 * google-auth-library 11 signs its assertion for, and posts it to, Google's fixed token URL whatever the key
 * says, so we mint tokens here and hand them to an OAuth2Client through its `refreshHandler`; the generated
 * Sheets client then treats that client like any other.
 */
export class ServiceAccountTokenSource {
  private signingKey?: Awaited<ReturnType<typeof importPKCS8>>;
  private inFlight?: Promise<{ access_token: string; expiry_date: number }>;

  constructor(
    private readonly key: ServiceAccountKey,
    private readonly timeoutMs: number,
    private readonly scope = SHEETS_SCOPE,
  ) {}

  /** An auth client for `sheets({ auth })`: it asks this source for a new token shortly before expiry. */
  createClient(): OAuth2Client {
    const client = new OAuth2Client();
    client.refreshHandler = () => this.fetchToken();
    return client;
  }

  /** Concurrent callers share one token request. */
  fetchToken(): Promise<{ access_token: string; expiry_date: number }> {
    this.inFlight ??= this.requestToken().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async requestToken(): Promise<{ access_token: string; expiry_date: number }> {
    this.signingKey ??= await importPKCS8(this.key.private_key, 'RS256');
    const assertion = await new SignJWT({ scope: this.scope })
      .setProtectedHeader({
        alg: 'RS256',
        typ: 'JWT',
        ...(this.key.private_key_id && { kid: this.key.private_key_id }),
      })
      .setIssuer(this.key.client_email)
      .setAudience(this.key.token_uri)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(this.signingKey);

    let response: Response;
    try {
      response = await fetch(this.key.token_uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new TokenRequestError(`token endpoint unreachable: ${(err as Error).message}`);
    }
    const body = (await response.json().catch(() => ({}))) as TokenResponse;
    if (!response.ok || typeof body.access_token !== 'string') {
      const reason = [body.error, body.error_description].filter((v) => typeof v === 'string').join(': ');
      throw new TokenRequestError(
        `token endpoint answered ${response.status} ${reason}`.trim(),
        response.status,
      );
    }
    const expiresInS = typeof body.expires_in === 'number' ? body.expires_in : 3_600;
    return { access_token: body.access_token, expiry_date: Date.now() + expiresInS * 1_000 };
  }
}
