import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../common/errors/app-error.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

export interface VerifiedOAuthToken {
  subject: string;
  email: string | undefined;
  /** The OAuth client the token was issued to; undefined for a plain session token (allowed only if asked). */
  clientId: string | undefined;
  expiresAt: number;
}

/**
 * Verifies Supabase Auth OAuth 2.1 access tokens (JWTs) against the project's JWKS: signature, issuer, expiry,
 * audience, and a `client_id` claim (present on tokens minted for OAuth clients, absent on plain session tokens).
 *
 * Supabase does not support RFC 8707 resource indicators: its tokens carry aud "authenticated", not our resource
 * URL, so a token minted for another OAuth client of the same project is accepted here too (see docs/security.md).
 */
@Injectable()
export class OAuthTokenVerifier {
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  private readonly issuer?: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.SUPABASE_URL) {
      const base = config.SUPABASE_URL.replace(/\/$/, '');
      this.issuer = `${base}/auth/v1`;
      this.jwks = createRemoteJWKSet(new URL(`${base}/auth/v1/.well-known/jwks.json`), {
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      });
    }
  }

  get enabled(): boolean {
    return Boolean(this.jwks);
  }

  /** The authorization server to advertise in protected-resource metadata. */
  get authorizationServer(): string | undefined {
    return this.issuer;
  }

  /**
   * `sessionTokens`: also accept a plain Supabase session token (no client_id), i.e. one the project's own web app
   * (the console) holds. Never for /mcp: MCP clients must present tokens issued to them.
   */
  async verify(token: string, options: { sessionTokens?: boolean } = {}): Promise<VerifiedOAuthToken> {
    if (!this.jwks || !this.issuer) {
      throw new AppError(
        'unauthenticated',
        'AUTH.INVALID_TOKEN',
        'bearer token is not a bland-mcp API key (bmcp_live_…)',
      );
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: this.issuer,
        audience: this.config.SUPABASE_JWT_AUDIENCE,
        algorithms: ['RS256', 'ES256', 'EdDSA'],
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 30,
      }));
    } catch (err) {
      const expired = err instanceof joseErrors.JWTExpired;
      throw new AppError(
        'unauthenticated',
        expired ? 'AUTH.TOKEN_EXPIRED' : 'AUTH.INVALID_TOKEN',
        expired
          ? 'the access token has expired; refresh it'
          : 'the access token is not valid for this server',
      );
    }
    const clientId =
      typeof payload.client_id === 'string' && payload.client_id !== '' ? payload.client_id : undefined;
    if (!clientId && !options.sessionTokens) {
      throw new AppError(
        'unauthenticated',
        'AUTH.NOT_AN_OAUTH_TOKEN',
        'the token was not issued to an OAuth client (no client_id claim)',
      );
    }
    return {
      subject: payload.sub!,
      email: typeof payload.email === 'string' ? payload.email : undefined,
      clientId,
      expiresAt: payload.exp!,
    };
  }
}
