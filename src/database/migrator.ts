import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../common/project-root.js';

/** supabase/migrations at the project root. */
export const migrationsDir = () => path.join(projectRoot(), 'supabase', 'migrations');

// Arbitrary constant shared by every instance: the transaction-scoped advisory lock that serialises migrators.
const MIGRATION_LOCK_KEY = 7_305_214_001;

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

const cache = new Map<string, Promise<Migration[]>>();

/**
 * Reads `<timestamp>_<name>.sql` files (Supabase CLI layout), sorted by timestamp. Read once per process: the files
 * ship with the build and never change while it runs, and readiness checks ask on every load-balancer probe.
 */
export function readMigrations(dir = migrationsDir()): Promise<Migration[]> {
  let read = cache.get(dir);
  if (!read) {
    read = readMigrationFiles(dir);
    cache.set(dir, read);
    read.catch(() => cache.delete(dir));
  }
  return read;
}

async function readMigrationFiles(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{14}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(path.join(dir, file), 'utf8');
      const [, version, name] = /^(\d{14})_(.+)\.sql$/.exec(file)!;
      return {
        version: version!,
        name: name!,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

const BOOTSTRAP_SQL = `
  CREATE SCHEMA IF NOT EXISTS bland_mcp;
  CREATE TABLE IF NOT EXISTS bland_mcp.schema_migrations (
    version    text PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  );`;

/**
 * Applies pending migrations, each in its own transaction that first takes a transaction-scoped advisory lock
 * (pg_advisory_xact_lock works through Supabase's transaction pooler; session locks do not). Two instances booting
 * at once serialise on the lock; the second sees the migration recorded and skips it. An applied migration whose
 * file changed is an error: migrations are forward-only.
 */
export async function migrate(url: string, log: (m: string) => void = () => undefined): Promise<string[]> {
  const migrations = await readMigrations();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const appliedNow: string[] = [];
  try {
    for (const migration of migrations) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        await client.query(BOOTSTRAP_SQL);
        const { rows } = await client.query<{ checksum: string }>(
          'SELECT checksum FROM bland_mcp.schema_migrations WHERE version = $1',
          [migration.version],
        );
        if (rows[0]) {
          if (rows[0].checksum !== migration.checksum) {
            throw new Error(
              `migration ${migration.version}_${migration.name} was changed after it was applied; add a new migration instead`,
            );
          }
          await client.query('COMMIT');
          continue;
        }
        await client.query(migration.sql);
        await client.query(
          'INSERT INTO bland_mcp.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
          [migration.version, migration.name, migration.checksum],
        );
        await client.query('COMMIT');
        appliedNow.push(migration.version);
        log(`applied migration ${migration.version}_${migration.name}`);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  } finally {
    await client.end();
  }
  return appliedNow;
}

/** Which migrations are applied and which are pending (readiness uses it). */
export async function migrationStatus(query: pg.Pool | pg.Client): Promise<MigrationStatus> {
  const migrations = await readMigrations();
  const { rows } = await query
    .query<{ version: string }>(`SELECT version FROM bland_mcp.schema_migrations`)
    .catch((err: { code?: string }) => {
      if (err.code === '42P01' || err.code === '3F000') return { rows: [] as { version: string }[] };
      throw err;
    });
  const applied = new Set(rows.map((r) => r.version));
  return {
    applied: migrations.filter((m) => applied.has(m.version)).map((m) => m.version),
    pending: migrations.filter((m) => !applied.has(m.version)).map((m) => m.version),
  };
}
