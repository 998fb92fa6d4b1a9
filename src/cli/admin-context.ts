import { ApiKeysRepository } from '../auth/api-keys.repository.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import type { AppConfig } from '../config/app-config.js';
import { CreditsRepository } from '../credits/credits.repository.js';
import { CreditsService } from '../credits/credits.service.js';
import { DatabaseService } from '../database/database.service.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { migrate } from '../database/migrator.js';
import { UsersRepository } from '../users/users.repository.js';
import { UsersService } from '../users/users.service.js';

export interface AdminContext {
  users: UsersService;
  keys: ApiKeysService;
  credits: CreditsService;
  close(): Promise<void>;
}

/**
 * The same services the server uses, wired by hand (no HTTP, no Nest container: the CLI starts in ~100 ms).
 * Uses DATABASE_URL, else the embedded database under DATA_DIR (joining the running server's if there is one).
 */
export async function openAdminContext(config: AppConfig): Promise<AdminContext> {
  const quiet = { info: () => undefined, warn: (m: string) => console.error(m) };
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(config.DATA_DIR, 'bland_mcp', quiet);
  const url = config.DATABASE_URL ?? embedded!.url;
  if (embedded) await migrate(url);
  const db = new DatabaseService(url, 2, embedded?.stop);
  const creditsRepo = new CreditsRepository(db);
  const credits = new CreditsService(creditsRepo, config);
  const keys = new ApiKeysService(new ApiKeysRepository(db));
  const users = new UsersService(db, new UsersRepository(db), credits, creditsRepo, keys);
  return { users, keys, credits, close: () => db.close() };
}
