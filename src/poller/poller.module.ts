import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Module, OnModuleInit } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module.js';
import { ReconciliationService } from '../calls/reconciliation.service.js';
import { LeaseRepository } from '../common/lease/lease.repository.js';
import { APP_CONFIG } from '../config/app-config.js';
import { DatabaseService } from '../database/database.service.js';
import { ReadinessRegistry } from '../health/readiness.registry.js';
import { PollRunner } from './poll-runner.js';
import { PollerRepository } from './poller.repository.js';
import { PollerScheduler } from './poller.scheduler.js';
import { POLLER_SETTINGS, pollerSettingsFromEnv, type PollerSettings } from './poller.settings.js';

/**
 * The call status poller inside the app (POLLER_MODE in-app, lambda = fallback only, off). Needs the global
 * Config, Database (with LeaseRepository), Metrics and Health modules. The Lambda (src/lambda/poller.ts) runs the
 * same PollRunner without Nest.
 */
@Module({
  imports: [CallsModule],
  providers: [
    { provide: POLLER_SETTINGS, useFactory: pollerSettingsFromEnv, inject: [APP_CONFIG] },
    {
      provide: PollerRepository,
      useFactory: (db: DatabaseService) => new PollerRepository(db),
      inject: [DatabaseService],
    },
    {
      provide: PollRunner,
      useFactory: (
        reconciler: ReconciliationService,
        leases: LeaseRepository,
        repo: PollerRepository,
        settings: PollerSettings,
      ) => new PollRunner(appRunnerId(), reconciler, leases, repo, settings),
      inject: [ReconciliationService, LeaseRepository, PollerRepository, POLLER_SETTINGS],
    },
    PollerScheduler,
  ],
  exports: [PollerScheduler, PollRunner],
})
export class PollerModule implements OnModuleInit {
  constructor(
    private readonly scheduler: PollerScheduler,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    // Not critical: a late poll delays settlement; it must not take the instance out of the load balancer.
    this.readiness.register('poller', () => this.scheduler.health(), { critical: false });
  }
}

/** Unique per process: the lease is re-entrant for its owner, so two processes must never share one. */
function appRunnerId(): string {
  return `app:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
