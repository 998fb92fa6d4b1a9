import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseService } from '../../../src/database/database.service.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { FakeSheetsServer } from '../../support/fake-sheets/fake-sheets-server.js';
import {
  callIdCounts,
  createDrain,
  createUser,
  insertCalls,
  outboxSize,
  rowOf,
  setStatus,
  testSettings,
  type TestUser,
} from './support/harness.js';

/**
 * Production budget (5/s, burst 50, 60 per 60 s) with time running 20× faster: the same SQL and code, every
 * duration divided by 20. One second becomes 50 ms and Google's minute becomes 3 s. The one delay that does not
 * shrink is from grant to arrival (an event-loop stall on a busy 2-core machine takes tens of ms), so the window
 * margin is 250 ms here rather than 1 s ÷ 20.
 */
const SPEED = 20;
const RATE = {
  ratePerSecond: 5 * SPEED,
  burst: 50,
  windowLimit: 60,
  windowMs: 60_000 / SPEED,
  windowMarginMs: 250,
};

/** 400 calls × 5 events (created, ringing, in progress, completed, summarised) = 2,000 call events. */
async function playCallEvents(db: DatabaseService, user: TestUser, calls: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < calls; i += 50) ids.push(...(await insertCalls(db, user, 50)));
  const steps: ((id: string, n: number) => Promise<unknown>)[] = [
    (id) => setStatus(db, [id], 'ringing'),
    (id) => setStatus(db, [id], 'in_progress'),
    (id, n) => setStatus(db, [id], 'completed', { duration: n }),
    (id, n) => db.query(`UPDATE bland_mcp.calls SET summary = $2 WHERE id = $1`, [id, `summary ${n}`]),
  ];
  for (const step of steps) {
    // Ten writers at a time, as concurrent requests and webhooks would be, while the drain runs.
    for (let i = 0; i < ids.length; i += 10) {
      await Promise.all(ids.slice(i, i + 10).map((id, k) => step(id, i + k)));
      await sleep(2);
    }
  }
  return ids;
}

async function waitForEmptyOutbox(db: DatabaseService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await outboxSize(db)).pending > 0) {
    if (Date.now() > deadline) throw new Error(`outbox not empty after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Every call has exactly one row, showing its final state. */
function expectFinalRows(fake: FakeSheetsServer, ids: string[]): void {
  const counts = callIdCounts(fake);
  expect(counts.size).toBe(ids.length);
  expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
  ids.forEach((id, n) => {
    expect(rowOf(fake, id)).toMatchObject({
      Status: 'completed',
      'Duration (s)': n,
      Summary: `summary ${n}`,
    });
  });
}

describe('Sheets drain under quota (time scaled ×20)', () => {
  let t: TestDatabase;
  let user: TestUser;
  let fake: FakeSheetsServer;

  beforeAll(async () => {
    t = await createTestDatabase();
    user = await createUser(t.db);
  });
  afterAll(() => t.drop());
  beforeEach(async () => {
    fake = await FakeSheetsServer.start({ seed: 7 });
    await t.db.query('TRUNCATE bland_mcp.sheets_rows, bland_mcp.sheets_outbox, bland_mcp.sheets_throttle');
    await t.db.query(`DELETE FROM bland_mcp.leases WHERE name = 'sheets-drain'`);
    await t.db.query('DELETE FROM bland_mcp.calls');
  });
  afterEach(() => fake.close());

  it('2,000 call events: every call gets exactly one row with its final state, within the bucket and the window', async () => {
    // Small batches force many requests, so the budget is what limits the drain.
    const { drain } = createDrain(
      t.db,
      testSettings(fake, { rate: RATE, drain: { batchSize: 8, intervalMs: 20, minGapMs: 1_800 / SPEED } }),
    );
    // The fake enforces Google's per-user quota too: a limiter bug would show up as 429s.
    fake.setFaults({ latencyMs: 2, quota: { limit: RATE.windowLimit, windowMs: RATE.windowMs } });
    drain.start();
    const ids = await playCallEvents(t.db, user, 400);
    await waitForEmptyOutbox(t.db, 40_000);
    await drain.stop();

    expectFinalRows(fake, ids);
    const writes = fake.writes();
    expect(writes.filter((w) => w.status !== 200)).toEqual([]);
    expect(writes.length).toBeGreaterThan(RATE.windowLimit); // the window really was the constraint
    const at = writes.map((w) => w.at);
    // Google's cap: no window of 60 s (here 3 s) holds more than 60 writes.
    for (const start of at) {
      expect(at.filter((x) => x >= start && x < start + RATE.windowMs).length).toBeLessThanOrEqual(
        RATE.windowLimit,
      );
    }
    // The bucket ("5 per second, burst aside"): from any write to any later one, at most
    // burst + rate × elapsed writes (elapsed widened by 20 ms of grant-to-arrival slack).
    for (let i = 0; i < at.length; i++) {
      for (let j = i + 1; j < at.length; j++) {
        const allowed = RATE.burst + (RATE.ratePerSecond * (at[j]! - at[i]! + 20)) / 1_000;
        expect(j - i + 1).toBeLessThanOrEqual(Math.floor(allowed));
      }
    }
  }, 50_000);

  it('50% of requests answered 429 for a while, then recovery: nothing lost, nothing duplicated', async () => {
    const { drain, metrics } = createDrain(
      t.db,
      testSettings(fake, {
        drain: { batchSize: 20, intervalMs: 20 },
        backoff: { baseMs: 20, maxMs: 400, jitterMs: 20 },
      }),
    );
    fake.setFaults({ rateLimitRate: 0.5 });
    drain.start();
    const ids = await playCallEvents(t.db, user, 300);
    await sleep(500);
    fake.setFaults({});
    await waitForEmptyOutbox(t.db, 30_000);
    await drain.stop();

    expectFinalRows(fake, ids);
    expect(await outboxSize(t.db)).toEqual({ pending: 0, parked: 0 });
    const limited = fake.requests.filter((r) => r.status === 429).length;
    expect(limited).toBeGreaterThanOrEqual(5);
    expect(await metrics.registry.metrics()).toContain(`bmcp_sheets_rate_limited_total ${limited}`);
  }, 40_000);
});
