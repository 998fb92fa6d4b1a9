/**
 * Poller benchmark: one poll over CALLS active calls through the real PollRunner (lease, batches, the one
 * ReconciliationService, CallsService.applyUpdate with settlement) on real Postgres (DATABASE_URL, else an embedded
 * server), against a fake Bland that answers at once — so what is measured is our side: the database work per call.
 * Two passes over the same calls: "live" (Bland says in progress: read, compare, mark checked) and "ended" (Bland
 * says completed: every call moves to its final state and is settled in its own transaction).
 * Run: npm run bench:poller   (env: CALLS=10000 CONCURRENCY=5 BATCH=200)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connectBland } from '../src/calls/bland-connection.js';
import { loadConfig } from '../src/config/load-config.js';
import { DatabaseService } from '../src/database/database.service.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { migrate } from '../src/database/migrator.js';
import { wirePollRunner } from '../src/lambda/wiring.js';
import { pollerSettingsFromEnv } from '../src/poller/poller.settings.js';
import { FakeBland } from '../test/integration/poller/support/fake-bland.js';
import { seedActiveCalls } from '../test/integration/poller/support/seed.js';

const CALLS = Number(process.env.CALLS ?? 10_000);
const CONCURRENCY = process.env.CONCURRENCY ?? '5';
const BATCH = process.env.BATCH ?? '200';
const API_KEY = 'bench-bland-key-0123456789';

async function database(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bmcp-bench-'));
    const embedded = await startEmbeddedPostgres(dir, 'bench', {
      info: () => undefined,
      warn: () => undefined,
    });
    return {
      url: embedded.url,
      stop: () => embedded.stop().then(() => rm(dir, { recursive: true, force: true })),
    };
  }
  const name = `bmcp_bench_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), stop: () => admin(`DROP DATABASE ${name} WITH (FORCE)`) };
}

const server = await database();
const fake = await FakeBland.start(API_KEY);
await migrate(server.url);
const config = loadConfig({
  NODE_ENV: 'production',
  DATABASE_URL: server.url,
  BLAND_API_KEY: API_KEY,
  BLAND_API_URL: fake.url,
  LOG_LEVEL: 'warn',
  POLLER_CONCURRENCY: CONCURRENCY,
  POLLER_BATCH_SIZE: BATCH,
  POLLER_MAX_CALLS_PER_TICK: String(CALLS),
});
const settings = pollerSettingsFromEnv(config);
// Sized as the Lambda sizes its pool.
const db = new DatabaseService(server.url, settings.concurrency + 2);
const bland = await connectBland(config);
const runner = wirePollRunner({ owner: 'bench:poller', config, settings, db, bland });
let failed = false;
try {
  const seeding = performance.now();
  await seedActiveCalls(db, CALLS, { prefix: 'bench-' });
  console.log(
    `poller reconcile: ${CALLS} active calls (seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s), ` +
      `concurrency ${settings.concurrency}, batches of ${settings.batchSize}, budget ${settings.timeBudgetMs / 1000} s, ` +
      `${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'} Postgres, Bland answering with no latency`,
  );
  for (const pass of ['live', 'ended'] as const) {
    fake.state = pass === 'live' ? 'in-progress' : 'completed';
    const outcome = await runner.run({ kind: 'in-app' });
    const seconds = outcome.durationMs / 1000;
    const withinBudget =
      outcome.polled === CALLS && !outcome.remaining && outcome.durationMs < settings.timeBudgetMs;
    failed ||= !withinBudget || outcome.errors > 0;
    console.log(
      `${pass.padEnd(6)} ${String(outcome.polled).padStart(6)} polled  ${String(outcome.updated).padStart(6)} updated  ` +
        `${String(outcome.settled).padStart(6)} settled  ${outcome.errors} errors  ${seconds.toFixed(1).padStart(6)} s  ` +
        `${(outcome.polled / seconds).toFixed(0).padStart(5)} calls/s  ${withinBudget ? 'within' : 'OVER'} the budget`,
    );
  }
} finally {
  await db.close();
  await fake.close();
  await server.stop();
}
process.exitCode = failed ? 1 : 0;
