import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { CallsModule } from './calls/calls.module.js';
import { ConsoleApiModule } from './console-api/console-api.module.js';
import { McpModule } from './mcp/mcp.module.js';
import { PollerModule } from './poller/poller.module.js';
import { SheetsModule } from './sheets/sheets.module.js';
import { CreditsModule } from './credits/credits.module.js';
import { DatabaseModule } from './database/database.module.js';
import type { DatabaseService } from './database/database.service.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';

export interface AppDependencies {
  config: AppConfig;
  database: DatabaseService;
  logger: Logger;
}

@Module({})
export class AppModule {
  static forRoot(deps: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(deps.config),
        LoggingModule.forRoot(deps.logger),
        DatabaseModule.forRoot(deps.database),
        MetricsModule,
        HealthModule,
        CreditsModule,
        CallsModule,
        McpModule,
        ConsoleApiModule,
        PollerModule,
        SheetsModule,
      ],
    };
  }
}
