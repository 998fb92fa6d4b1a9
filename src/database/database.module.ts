import { DynamicModule, Global, Module } from '@nestjs/common';
import { LeaseRepository } from '../common/lease/lease.repository.js';
import { DatabaseService } from './database.service.js';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(database: DatabaseService): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DatabaseService, useValue: database }, LeaseRepository],
      exports: [DatabaseService, LeaseRepository],
    };
  }
}
