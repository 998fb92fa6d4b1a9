import { Controller, Get, Header } from '@nestjs/common';
import { PublicUrlService } from '../calls/public-url.service.js';
import { AuthService } from './auth.service.js';

/**
 * RFC 9728 protected-resource metadata: tells an OAuth-speaking MCP client (claude.ai, ChatGPT) that /mcp is
 * protected and that Supabase Auth issues its tokens. Served at the path-suffixed and the root well-known URIs.
 */
@Controller('.well-known')
export class ProtectedResourceController {
  constructor(
    private readonly auth: AuthService,
    private readonly publicUrl: PublicUrlService,
  ) {}

  @Get(['oauth-protected-resource/mcp', 'oauth-protected-resource'])
  @Header('Cache-Control', 'public, max-age=300')
  metadata() {
    const base = this.publicUrl.get() ?? '';
    return {
      resource: `${base}/mcp`,
      authorization_servers: this.auth.authorizationServer ? [this.auth.authorizationServer] : [],
      bearer_methods_supported: ['header'],
      scopes_supported: ['openid', 'email', 'profile'],
      resource_name: 'bland-mcp: outbound phone calls through Bland.AI',
      resource_documentation: `${base}/console/`,
    };
  }
}

/** The URL of the metadata above, for WWW-Authenticate challenges. */
export const resourceMetadataUrl = (base: string | undefined) =>
  `${base ?? ''}/.well-known/oauth-protected-resource/mcp`;
