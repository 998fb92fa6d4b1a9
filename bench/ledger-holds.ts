/**
 * Ledger contention benchmark: credit holds per second on one hot account and spread over 100 accounts, through
 * the real CreditsService on real Postgres (DATABASE_URL, else an embedded server).
 * Run: npm run bench:ledger   (env: HOLDS=5000 CONCURRENCY=32)
 */
import { randomUUID } from 'node:crypto';
import { DatabaseService } from '../src/database/database.service.js';
import { benchDatabase } from './lib/database.js';
import { accountServices } from '../test/support/services.js';

const HOLDS = Number(process.env.HOLDS ?? 5_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);

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

const server = await benchDatabase('ledger');
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
  await server.drop();
}
