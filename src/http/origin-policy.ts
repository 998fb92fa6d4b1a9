import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PublicUrlService } from '../calls/public-url.service.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * DNS-rebinding protection for /mcp and /api: a request that carries an Origin header must come from PUBLIC_URL's
 * origin, a configured origin, or a local page (the MCP Inspector's UI). Non-browser clients send no Origin.
 */
@Injectable()
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly publicUrl: PublicUrlService,
  ) {
    this.allowed = new Set(config.MCP_ALLOWED_ORIGINS.map((o) => new URL(o).origin));
  }

  allows(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (this.allowed.has(url.origin)) return true;
    const own = this.publicUrl.get();
    if (own && new URL(own).origin === url.origin) return true;
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOCAL_HOSTS.has(url.hostname);
  }
}
