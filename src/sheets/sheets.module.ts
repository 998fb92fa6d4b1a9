import { Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ReadinessRegistry } from '../health/readiness.registry.js';
import { SheetsDrainService } from './sheets-drain.service.js';
import { SHEETS_SETTINGS, sheetsSettingsFromEnv } from './sheets.settings.js';

/**
 * The Google Sheets call log. Needs the global Config, Database (with LeaseRepository), Metrics and Health
 * modules. Exports SheetsDrainService: call `nudge()` after a call changes to sync it sooner than the next tick.
 * With GOOGLE_SHEETS_SPREADSHEET_ID unset it never talks to Google and readiness reports it disabled.
 */
@Module({
  providers: [
    {
      provide: SHEETS_SETTINGS,
      useFactory: (config: AppConfig) => sheetsSettingsFromEnv(config),
      inject: [APP_CONFIG],
    },
    SheetsDrainService,
  ],
  exports: [SheetsDrainService],
})
export class SheetsModule implements OnModuleInit {
  constructor(
    private readonly drain: SheetsDrainService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    // Not critical: a Sheets outage delays the log; it must not take the instance out of the load balancer.
    this.readiness.register('sheets', () => this.drain.health(), { critical: false });
  }
}
