import type { LoggerService } from '@nestjs/common';
import type { BlandConnection } from '../calls/bland-connection.js';
import { CallsRepository } from '../calls/calls.repository.js';
import { CallsService } from '../calls/calls.service.js';
import { PublicUrlService } from '../calls/public-url.service.js';
import { ReconciliationService } from '../calls/reconciliation.service.js';
import { LeaseRepository } from '../common/lease/lease.repository.js';
import type { AppConfig } from '../config/app-config.js';
import { CreditsRepository } from '../credits/credits.repository.js';
import { CreditsService } from '../credits/credits.service.js';
import type { DatabaseService } from '../database/database.service.js';
import { PollRunner } from '../poller/poll-runner.js';
import { PollerRepository } from '../poller/poller.repository.js';
import type { PollerSettings } from '../poller/poller.settings.js';

/**
 * The poller's services built by hand, for entries that run without Nest's container (the Lambda, the bench).
 * esbuild emits no decorator metadata, so constructor injection cannot work in a bundle: the arguments are passed
 * here, in each constructor's order. Keep in step with the providers of CallsModule and PollerModule.
 */
export function wirePollRunner(options: {
  owner: string;
  config: AppConfig;
  settings: PollerSettings;
  db: DatabaseService;
  bland: BlandConnection;
  logger?: Pick<LoggerService, 'log' | 'warn' | 'error'>;
}): PollRunner {
  const { config, db, bland } = options;
  const callsRepo = new CallsRepository(db);
  const credits = new CreditsService(new CreditsRepository(db), config);
  const calls = new CallsService(db, callsRepo, credits, bland, new PublicUrlService(config), config);
  const reconciler = new ReconciliationService(calls, callsRepo, bland, config);
  return new PollRunner(
    options.owner,
    reconciler,
    new LeaseRepository(db),
    new PollerRepository(db),
    options.settings,
    options.logger,
  );
}
