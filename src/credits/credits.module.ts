import { Module } from '@nestjs/common';
import { ApiKeysRepository } from '../auth/api-keys.repository.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { UsersRepository } from '../users/users.repository.js';
import { UsersService } from '../users/users.service.js';
import { CreditsRepository } from './credits.repository.js';
import { CreditsService } from './credits.service.js';

/** Users, API keys and the credit ledger: the account side every other module builds on. */
@Module({
  providers: [
    CreditsRepository,
    CreditsService,
    UsersRepository,
    UsersService,
    ApiKeysRepository,
    ApiKeysService,
  ],
  exports: [CreditsService, UsersService, ApiKeysService],
})
export class CreditsModule {}
