/**
 * Sheets drain benchmark: how many call row-changes per second reach the sheet while the fleet stays within
 * Google's 60 write requests per minute, and how many rows each request carries. Real drain, real Google client
 * and auth, real Postgres (DATABASE_URL, else an embedded server), against the fake Sheets server with Google's
 * per-user quota enforced (a limiter bug would show up as 429s).
 *
 * A producer writes call events (new calls, status changes, a ~1.5 KB transcript on completion) at EVENTS_PER_S
 * while the drain runs for DURATION_S. SPEED > 1 runs the same budget with time compressed (rates × SPEED,
 * window ÷ SPEED, fake latency ÷ SPEED); the database's own work is not compressed, so SPEED=1 is the honest run.
 * Run: npm run bench:sheets   (env: DURATION_S=90 SPEED=1 EVENTS_PER_S=1000 LATENCY_MS=250 BATCH=500)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseRepository } from '../src/common/lease/lease.repository.js';
import { DatabaseService } from '../src/database/database.service.js';
import { benchDatabase } from './lib/database.js';
import { MetricsService } from '../src/metrics/metrics.service.js';
import { loadServiceAccountKey } from '../src/sheets/service-account-key.js';
import { SheetsDrainService } from '../src/sheets/sheets-drain.service.js';
import type { SheetsSettings } from '../src/sheets/sheets.settings.js';
import { FakeSheetsServer } from '../test/support/fake-sheets/fake-sheets-server.js';

const DURATION_S = Number(process.env.DURATION_S ?? 90);
const SPEED = Number(process.env.SPEED ?? 1);
const EVENTS_PER_S = Number(process.env.EVENTS_PER_S ?? 1_000);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 250);
const BATCH = Number(process.env.BATCH ?? 2_000);
const WINDOW_MS = 60_000 / SPEED;

/** Every 100 ms: new calls, and the next step for calls already placed (queued → … → completed). */
async function produce(db: DatabaseService, userId: string, keyId: string, until: number): Promise<number> {
  const steps = ['ringing', 'in_progress', 'completed'];
  const transcript = 'Agent: Hello, this is a reminder about your appointment tomorrow. '.repeat(22);
  let live: { id: string; step: number }[] = [];
  let events = 0;
  while (Date.now() < until) {
    const tick = Date.now();
    // About a quarter of the events are new calls, the rest status changes (a call has four events).
    const budget = Math.max(1, Math.round(EVENTS_PER_S / 10));
    const advancing = live.slice(0, Math.round(budget * 0.75));
    const fresh = Array.from({ length: budget - advancing.length }, () => randomUUID());
    await db.query(
      `INSERT INTO bland_mcp.calls (id, user_id, api_key_id, request_fingerprint, status, phone_number, task,
                                    max_duration_minutes, request, simulated, voice, held_credits)
       SELECT id, $2, $3, 'fp', 'queued', '+15551234567', 'Remind the patient about tomorrow''s appointment',
              10, '{}'::jsonb, true, 'maya', 120
         FROM unnest($1::uuid[]) AS t(id)`,
      [fresh, userId, keyId],
    );
    for (const step of [0, 1, 2]) {
      const ids = advancing.filter((c) => c.step === step).map((c) => c.id);
      if (ids.length === 0) continue;
      await db.query(
        `UPDATE bland_mcp.calls SET status = $2, updated_at = now(),
                duration_seconds = CASE WHEN $2 = 'completed' THEN 95 END,
                transcript = CASE WHEN $2 = 'completed' THEN $3 END
          WHERE id = ANY($1::uuid[])`,
        [ids, steps[step], transcript],
      );
    }
    events += budget;
    live = [
      ...live.slice(advancing.length),
      ...advancing.filter((c) => c.step < 2).map((c) => ({ ...c, step: c.step + 1 })),
      ...fresh.map((id) => ({ id, step: 0 })),
    ];
    await sleep(Math.max(0, 100 - (Date.now() - tick)));
  }
  return events;
}

const server = await benchDatabase('sheets');
const db = new DatabaseService(server.url, 10);
const fake = await FakeSheetsServer.start();
fake.setFaults({ latencyMs: LATENCY_MS / SPEED, quota: { limit: 60, windowMs: WINDOW_MS } });
const settings: SheetsSettings = {
  target: {
    spreadsheetId: fake.spreadsheetId,
    tab: 'Calls',
    serviceAccount: loadServiceAccountKey(fake.serviceAccount.json),
    apiRootUrl: fake.url,
  },
  rate: {
    ratePerSecond: 5 * SPEED,
    burst: 50,
    windowLimit: 60,
    windowMs: WINDOW_MS,
    windowMarginMs: 1_000 / SPEED,
  },
  drain: {
    intervalMs: 2_000 / SPEED,
    batchSize: BATCH,
    minGapMs: 1_800 / SPEED,
    maxAttempts: 10,
    leaseTtlMs: 90_000,
    requestTimeoutMs: 60_000,
    appendSettleMs: 180_000 / SPEED,
    maxRequestBytes: 2_000_000,
  },
  backoff: { baseMs: 1_000 / SPEED, maxMs: 64_000 / SPEED, jitterMs: 1_000 / SPEED },
};
const quiet = {
  log: () => undefined,
  warn: (m: unknown) => console.warn(String(m)),
  error: (m: unknown) => console.error(String(m)),
};
const drain = new SheetsDrainService(db, new LeaseRepository(db), new MetricsService(), settings, quiet);
try {
  const { rows } = await db.query<{ user_id: string; key_id: string }>(
    `WITH u AS (INSERT INTO bland_mcp.users (email) VALUES ('bench@example.com') RETURNING id)
     INSERT INTO bland_mcp.api_keys (user_id, key_hash, prefix, last4) SELECT id, $1, 'bmcp_', 'b3nc' FROM u
     RETURNING user_id, id AS key_id`,
    [randomBytes(32)],
  );
  console.log(
    `sheets drain: ${DURATION_S} s, speed ×${SPEED}, producer ${EVENTS_PER_S} events/s, batch ${BATCH}, ` +
      `fake latency ${LATENCY_MS} ms, ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'} Postgres`,
  );
  drain.start();
  const started = Date.now();
  const events = await produce(db, rows[0]!.user_id, rows[0]!.key_id, started + DURATION_S * 1_000);
  const elapsedS = (Date.now() - started) / 1_000;
  await drain.stop();

  const writes = fake.writes().filter((w) => w.at >= started);
  const ok = writes.filter((w) => w.status === 200);
  const rowChanges = ok.reduce((n, w) => n + (w.rows ?? 0), 0);
  const dataWrites = ok.filter((w) => w.rows !== undefined && w.method.startsWith('values.'));
  const at = writes.map((w) => w.at);
  const busiestWindow = Math.max(0, ...at.map((s) => at.filter((x) => x >= s && x < s + WINDOW_MS).length));
  const { rows: pending } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM bland_mcp.sheets_outbox',
  );
  const virtualMinutes = (elapsedS * SPEED) / 60;
  console.log(`events produced        ${events} (${(events / elapsedS).toFixed(0)}/s)`);
  console.log(
    `row-changes written    ${rowChanges} (${(rowChanges / elapsedS).toFixed(0)}/s real, ${(rowChanges / (elapsedS * SPEED)).toFixed(0)}/s at Google's pace)`,
  );
  console.log(
    `write requests         ${writes.length} (${(writes.length / virtualMinutes).toFixed(1)}/min; busiest 60 s: ${busiestWindow}; 429s: ${writes.length - ok.length})`,
  );
  console.log(
    `rows per data request  ${(rowChanges / Math.max(1, dataWrites.length)).toFixed(0)} (append ${ok.filter((w) => w.method === 'values.append').length}, batchUpdate ${ok.filter((w) => w.method === 'values.batchUpdate').length})`,
  );
  console.log(`backlog at the end     ${pending[0]!.n} calls pending`);
} finally {
  await drain.stop();
  await fake.close();
  await db.close();
  await server.drop();
}
