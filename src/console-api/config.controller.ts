import { Controller, Get, Header, Inject } from '@nestjs/common';
import { CallsService } from '../calls/calls.service.js';
import { PublicUrlService } from '../calls/public-url.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CreditsService } from '../credits/credits.service.js';

/**
 * The console's runtime configuration (public values only), so one static build works in every environment:
 * where the MCP endpoint is, whether calls are simulated, and the Supabase project to sign in with, if any.
 */
@Controller('api/config')
export class ConfigApiController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly publicUrl: PublicUrlService,
    private readonly calls: CallsService,
    private readonly credits: CreditsService,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-cache')
  get() {
    const base = this.publicUrl.get() ?? '';
    const { SUPABASE_URL: url, SUPABASE_ANON_KEY: anonKey } = this.config;
    return {
      public_url: base,
      mcp_url: `${base}/mcp`,
      simulated: this.calls.simulated,
      // Supabase sign-in needs both; without them the console signs in with an API key only.
      supabase: url && anonKey ? { url: url.replace(/\/$/, ''), anon_key: anonKey } : null,
      pricing: {
        credits_per_minute: this.credits.pricing.creditsPerMinute,
        minimum_charge: this.credits.pricing.minimumCharge,
      },
    };
  }
}
