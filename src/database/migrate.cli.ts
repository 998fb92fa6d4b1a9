import { loadConfig } from '../config/load-config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { migrate, migrationStatus } from './migrator.js';
import pg from 'pg';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database under DATA_DIR). */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = (m: string) => console.warn(m);
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(config.DATA_DIR, 'bland_mcp', { info: log, warn: log });
  const url = config.DATABASE_URL ?? embedded!.url;
  try {
    const applied = await migrate(url, log);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const status = await migrationStatus(client);
    await client.end();
    console.warn(
      `${applied.length} migration(s) applied; ${status.applied.length} applied in total, ${status.pending.length} pending`,
    );
  } finally {
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`db:migrate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
