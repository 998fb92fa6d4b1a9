import { Global, Module, OnModuleInit } from '@nestjs/common';
import { DatabaseService } from '../database/database.service.js';
import { migrationStatus } from '../database/migrator.js';
import { HealthController } from './health.controller.js';
import { ReadinessRegistry } from './readiness.registry.js';
import { VersionService } from './version.service.js';

@Global()
@Module({
  providers: [ReadinessRegistry, VersionService],
  controllers: [HealthController],
  exports: [ReadinessRegistry, VersionService],
})
export class HealthModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly db: DatabaseService,
  ) {}

  onModuleInit(): void {
    this.readiness.register(
      'database',
      async () => {
        await this.db.ping();
        return { state: 'ok' };
      },
      { critical: true },
    );
    this.readiness.register(
      'migrations',
      async () => {
        const { pending } = await migrationStatus(this.db.pool);
        return pending.length === 0
          ? { state: 'ok' }
          : { state: 'failing', detail: `pending: ${pending.join(', ')}` };
      },
      { critical: true },
    );
  }
}
