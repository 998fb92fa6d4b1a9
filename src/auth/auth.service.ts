import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error.js';
import { UsersService } from '../users/users.service.js';
import { looksLikeApiKey } from './api-key.js';
import { ApiKeysService } from './api-keys.service.js';
import type { AuthContext } from './auth-context.js';
import { OAuthTokenVerifier } from './oauth-token.verifier.js';

/**
 * The one authentication path for every edge (/mcp, /api): `Authorization: Bearer <bland-mcp API key | Supabase
 * OAuth access token>` → AuthContext. A disabled user is `forbidden` (403), anything else wrong is 401.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly oauth: OAuthTokenVerifier,
    private readonly users: UsersService,
  ) {}

  get oauthEnabled(): boolean {
    return this.oauth.enabled;
  }

  get authorizationServer(): string | undefined {
    return this.oauth.authorizationServer;
  }

  /** `sessionTokens`: also accept Supabase session tokens (the console's /api), see OAuthTokenVerifier.verify. */
  async authenticate(
    authorization: string | undefined,
    options: { sessionTokens?: boolean } = {},
  ): Promise<AuthContext & { expiresAt?: number }> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) {
      throw new AppError(
        'unauthenticated',
        'AUTH.MISSING_TOKEN',
        'send Authorization: Bearer <your bland-mcp API key or OAuth access token>',
      );
    }
    const token = match[1]!;
    if (looksLikeApiKey(token) || !this.oauth.enabled) return this.keys.authenticate(token);
    const verified = await this.oauth.verify(token, options);
    const user = await this.users.findOrCreateByAuthSubject(
      verified.subject,
      verified.email ?? `${verified.subject}@users.supabase.invalid`,
    );
    if (user.status !== 'active') {
      throw new AppError(
        'forbidden',
        'AUTH.USER_DISABLED',
        'this account is disabled; contact the administrator',
      );
    }
    return {
      userId: user.id,
      email: user.email,
      via: verified.clientId ? 'oauth' : 'session',
      clientId: verified.clientId,
      expiresAt: verified.expiresAt,
    };
  }
}
