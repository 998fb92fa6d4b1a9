/**
 * Gives the test run one real PostgreSQL server and a template database with every migration applied.
 * Order: TEST_DATABASE_URL, else DATABASE_URL (CI starts the local PostgreSQL 15 server and exports it), else an
 * embedded PostgreSQL started here in a temp dir. (No Docker engine on our machines, so no testcontainers path.)
 * Each test file then clones the template (test/support/database.ts) — isolated, and fast.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { migrate } from '../../src/database/migrator.js';

export const TEMPLATE_DB = 'bmcp_test_template';

declare global {
  var __BMCP_EMBEDDED_STOP__: (() => Promise<void>) | undefined;
}

export async function provisionTestDatabase(): Promise<void> {
  let serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bmcp-test-pg-'));
    const embedded = await startEmbeddedPostgres(dir, 'postgres', {
      info: () => undefined,
      warn: () => undefined,
    });
    serverUrl = embedded.url;
    globalThis.__BMCP_EMBEDDED_STOP__ = embedded.stop;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  await migrate(templateUrl.toString());
  process.env.BMCP_TEST_SERVER_URL = serverUrl;
  process.env.BMCP_TEST_TEMPLATE_DB = TEMPLATE_DB;
}
export async function teardownTestDatabase(): Promise<void> {
  await globalThis.__BMCP_EMBEDDED_STOP__?.();
}
