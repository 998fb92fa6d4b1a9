/**
 * Ledger contention benchmark: credit holds per second on one hot account and spread over 100 accounts, through
 * the real CreditsService on real Postgres (DATABASE_URL, else an embedded server).
 * Run: npm run bench:ledger   (env: HOLDS=5000 CONCURRENCY=32)
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DatabaseService } from '../src/database/database.service.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { migrate } from '../src/database/migrator.js';
import { accountServices } from '../test/support/services.js';

const HOLDS = Number(process.env.HOLDS ?? 5_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);

async function database(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const name = `bmcp_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      stop: async () => {
        const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await c.connect();
        await c.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bmcp-bench-'));
  return startEmbeddedPostgres(dir, 'bench', { info: () => undefined, warn: () => undefined });
}

async function run(label: string, pickUser: () => string, s: ReturnType<typeof accountServices>) {
  let next = 0;
  const started = performance.now();
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < HOLDS) {
        const t0 = performance.now();
        await s.credits.hold(pickUser(), randomUUID(), 1);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.floor(q * (latencies.length - 1))]!.toFixed(2);
  console.log(
    `${label.padEnd(22)} ${(HOLDS / seconds).toFixed(0).padStart(6)} holds/s   p50 ${p(0.5)} ms   p99 ${p(0.99)} ms`,
  );
  return HOLDS / seconds;
}

const server = await database();
await migrate(server.url);
const db = new DatabaseService(server.url, CONCURRENCY);
const s = accountServices(db);
try {
  const hot = (await s.newUser(HOLDS * 2)).user.id;
  const many = await Promise.all(Array.from({ length: 100 }, () => s.newUser(HOLDS)));
  console.log(
    `ledger holds: ${HOLDS} holds, ${CONCURRENCY} concurrent, ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'} Postgres`,
  );
  await run('one hot account', () => hot, s);
  let i = 0;
  await run('100 accounts', () => many[i++ % 100]!.user.id, s);
} finally {
  await db.close();
  await server.stop();
}
