/**
 * Memory growth under sustained load: the built server answers get_credit_balance and list_calls (2026 era); RSS is
 * read after a warm-up and again after REQUESTS more requests. Goal: < 5% growth. Run: npm run bench:memory
 */
import { freePort } from '../src/database/embedded-postgres.js';
import { DatabaseService } from '../src/database/database.service.js';
import { accountServices } from '../test/support/services.js';
import { benchDatabase } from './lib/database.js';
import { load, rssMiB } from './lib/load.js';
import { recordToolCall, start, waitForPort } from './lib/server.js';

const REQUESTS = Number(process.env.REQUESTS ?? 50_000);
const WARMUP = Number(process.env.WARMUP_REQUESTS ?? 15_000);

const db = await benchDatabase('memory');
const service = new DatabaseService(db.url, 2);
const apiKey = (await accountServices(service).newUser(1_000)).apiKey!;
await service.close();
const port = await freePort();
const app = start(['dist/main.js'], {
  DATABASE_URL: db.url,
  PORT: String(port),
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '1000000',
  POLLER_MODE: 'off',
  NODE_ENV: 'production',
});
try {
  await waitForPort(port);
  const requests = [
    await recordToolCall(port, apiKey, 'get_credit_balance', {}),
    await recordToolCall(port, apiKey, 'list_calls', { limit: 20 }),
  ];
  /** Runs about `count` requests, alternating the two tools, at 16 connections. */
  const run = async (count: number) => {
    let done = 0;
    while (done < count) for (const r of requests) done += (await load(port, r, 16, 2)).requests;
    return done;
  };
  const warm = await run(WARMUP);
  const before = await rssMiB(app.pid!);
  const measured = await run(REQUESTS);
  await new Promise((r) => setTimeout(r, 2_000));
  const after = await rssMiB(app.pid!);
  console.log(
    `memory: ${warm} warm-up requests, then ${measured} requests: RSS ${before.toFixed(1)} → ${after.toFixed(1)} MiB ` +
      `(${(((after - before) / before) * 100).toFixed(1)}%)`,
  );
} finally {
  app.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await db.drop();
}
