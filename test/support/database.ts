import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DatabaseService } from '../../src/database/database.service.js';

export interface TestDatabase {
  /** Connection URL of this test file's own database. */
  url: string;
  /** A DatabaseService on it, as the app uses. */
  db: DatabaseService;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.BMCP_TEST_SERVER_URL;
  if (!url) throw new Error('BMCP_TEST_SERVER_URL missing: run tests through `npm test` (jest globalSetup)');
  return url;
}

/** Admin URL (the server's maintenance database), for tests that create/drop databases themselves. */
export function adminUrl(): string {
  return serverUrl();
}

/**
 * A fresh database cloned from the migrated template: real Postgres, isolated per test file (or per test).
 * Usage: `let t: TestDatabase; beforeAll(async () => (t = await createTestDatabase())); afterAll(() => t.drop());`
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `bmcp_t_${randomBytes(6).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : process.env.BMCP_TEST_TEMPLATE_DB!;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const db = new DatabaseService(url.toString(), 20);
  return {
    url: url.toString(),
    db,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: serverUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
