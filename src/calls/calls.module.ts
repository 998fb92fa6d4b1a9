import { Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CreditsModule } from '../credits/credits.module.js';
import { ReadinessRegistry } from '../health/readiness.registry.js';
import { BlandConnection, connectBland } from './bland-connection.js';
import { CallsRepository } from './calls.repository.js';
import { CallsService } from './calls.service.js';
import { PublicUrlService } from './public-url.service.js';
import { ReconciliationService } from './reconciliation.service.js';
import { WebhooksController } from './webhooks.controller.js';

@Module({
  imports: [CreditsModule],
  providers: [
    CallsRepository,
    CallsService,
    PublicUrlService,
    ReconciliationService,
    {
      provide: BlandConnection,
      useFactory: (config: AppConfig) => connectBland(config),
      inject: [APP_CONFIG],
    },
  ],
  controllers: [WebhooksController],
  exports: [CallsService, CallsRepository, BlandConnection, PublicUrlService, ReconciliationService],
})
export class CallsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly bland: BlandConnection,
    private readonly readiness: ReadinessRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Not critical: with Bland down the app still serves reads, balances and the console; the breaker state tells.
    this.readiness.register(
      'bland',
      async () =>
        this.bland.client.isAvailable()
          ? {
              state: 'ok',
              detail: this.bland.simulated ? 'SIMULATOR (BLAND_API_KEY not set)' : this.config.BLAND_API_URL,
            }
          : { state: 'degraded', detail: 'circuit breaker open: Bland is failing' },
      { critical: false },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bland.close();
  }
}
