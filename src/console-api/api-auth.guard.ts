import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthContext } from '../auth/auth-context.js';
import { AuthService } from '../auth/auth.service.js';
import { AppError } from '../common/errors/app-error.js';
import { OriginPolicy } from '../http/origin-policy.js';

type AuthedRequest = Request & { consoleAuth?: AuthContext };

/**
 * The /api edge: the same checks, in the same order, as /mcp — Origin (DNS rebinding), then the one AuthService
 * (API key or Supabase access token in `Authorization: Bearer`). Bearer tokens are never sent by a browser on its
 * own, so a cross-site page cannot ride on the user's session (no CSRF surface; no cookies are used).
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly origins: OriginPolicy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<AuthedRequest>();
    const res = http.getResponse<Response>();
    // Answers hold one user's data: never stored by a browser or a shared cache.
    res.setHeader('Cache-Control', 'no-store');
    if (!this.origins.allows(req.headers.origin)) {
      throw new AppError('forbidden', 'HTTP.ORIGIN_NOT_ALLOWED', 'this Origin may not call the API');
    }
    try {
      // The console signs in with Supabase itself, so its session tokens are welcome here (never on /mcp).
      req.consoleAuth = await this.auth.authenticate(req.headers.authorization, { sessionTokens: true });
    } catch (err) {
      if (err instanceof AppError && err.kind === 'unauthenticated') {
        res.setHeader('WWW-Authenticate', 'Bearer realm="bland-mcp"');
      }
      throw err;
    }
    return true;
  }
}

/** The AuthContext ApiAuthGuard established for this request. */
export const CurrentAuth = createParamDecorator((_data: unknown, context: ExecutionContext): AuthContext => {
  const auth = context.switchToHttp().getRequest<AuthedRequest>().consoleAuth;
  if (!auth) throw new Error('CurrentAuth used on a route without ApiAuthGuard');
  return auth;
});
