import { ApiKeysRepository } from '../../src/auth/api-keys.repository.js';
import { ApiKeysService } from '../../src/auth/api-keys.service.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { CreditsRepository } from '../../src/credits/credits.repository.js';
import { CreditsService } from '../../src/credits/credits.service.js';
import type { DatabaseService } from '../../src/database/database.service.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { UsersService } from '../../src/users/users.service.js';

/** The account-side services wired on a test database (real repositories, real Postgres). */
export function accountServices(db: DatabaseService, env: Record<string, string> = {}) {
  const config: AppConfig = loadConfig({ NODE_ENV: 'test', ...env });
  const creditsRepo = new CreditsRepository(db);
  const credits = new CreditsService(creditsRepo, config);
  const keys = new ApiKeysService(new ApiKeysRepository(db));
  const users = new UsersService(db, new UsersRepository(db), credits, creditsRepo, keys);
  let n = 0;
  const newUser = async (credits = 0) =>
    users.create({ email: `user${++n}-${Date.now()}@example.com`, credits, withApiKey: true, actor: 'test' });
  return { config, credits, keys, users, newUser };
}
