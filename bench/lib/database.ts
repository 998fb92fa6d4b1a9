import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { migrate } from '../../src/database/migrator.js';

/** A fresh, migrated database for one bench run: on DATABASE_URL's server if set, else an embedded server. */
export async function benchDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bmcp_bench_${label}_${Date.now()}`;
  let serverUrl = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres(
      await mkdtemp(path.join(os.tmpdir(), 'bmcp-bench-')),
      'postgres',
      {
        info: () => undefined,
        warn: () => undefined,
      },
    );
    serverUrl = embedded.url;
    stop = embedded.stop;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      await stop?.();
    },
  };
}
