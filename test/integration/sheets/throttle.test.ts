import { SheetsThrottle } from '../../../src/sheets/sheets-throttle.js';
import type { SheetsRateSettings } from '../../../src/sheets/sheets.settings.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

/** Grant times (ms since epoch, database clock) currently in the throttle's window log. */
async function grantTimes(t: TestDatabase, name: string): Promise<number[]> {
  const { rows } = await t.db.query<{ at: string }>(
    `SELECT (extract(epoch FROM r) * 1000)::text AS at FROM bland_mcp.sheets_throttle, unnest(recent) r
      WHERE name = $1 ORDER BY r`,
    [name],
  );
  return rows.map((r) => Number(r.at));
}

/** `workers` callers competing for grants for `durationMs`, each sleeping as told (capped) when refused. */
async function hammer(throttle: SheetsThrottle, workers: number, durationMs: number): Promise<number> {
  const end = Date.now() + durationMs;
  let granted = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < end) {
        const decision = await throttle.tryTake();
        if (decision.granted) granted += 1;
        else await new Promise((r) => setTimeout(r, Math.min(decision.waitMs, 15)));
      }
    }),
  );
  return granted;
}

describe('SheetsThrottle: one atomic statement shared by every instance', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  const settings = (overrides: Partial<SheetsRateSettings>): SheetsRateSettings => ({
    ratePerSecond: 1_000,
    burst: 1_000,
    windowLimit: 100_000,
    windowMs: 60_000,
    windowMarginMs: 0,
    ...overrides,
  });

  it('never grants more than the token bucket allows under 12 concurrent callers (burst, then the rate)', async () => {
    // Two throttle objects on one row stand for two instances.
    const a = new SheetsThrottle(t.db, settings({ ratePerSecond: 20, burst: 5 }), 'bucket');
    const b = new SheetsThrottle(t.db, settings({ ratePerSecond: 20, burst: 5 }), 'bucket');
    const granted = (await Promise.all([hammer(a, 6, 1_500), hammer(b, 6, 1_500)])).reduce((x, y) => x + y);
    const times = await grantTimes(t, 'bucket');
    expect(times).toHaveLength(granted);
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length; j++) {
        const allowed = 5 + (20 * (times[j]! - times[i]!)) / 1_000;
        expect(j - i + 1).toBeLessThanOrEqual(Math.floor(allowed + 1e-6));
      }
    }
    // And it is not stingy: about burst + rate × duration were granted.
    expect(granted).toBeGreaterThanOrEqual(5 + 20 * 1.5 * 0.85);
  });

  it('never grants more than the window limit in any window, and keeps granting as the window slides', async () => {
    const throttle = new SheetsThrottle(t.db, settings({ windowLimit: 10, windowMs: 400 }), 'window');
    // The row keeps only the grants still in the window; polling it more often than the window collects all.
    const seen = new Set<number>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        for (const at of await grantTimes(t, 'window')) seen.add(at);
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    const granted = await hammer(throttle, 12, 1_300);
    polling = false;
    await poller;
    for (const at of await grantTimes(t, 'window')) seen.add(at);

    const times = [...seen].sort((x, y) => x - y);
    expect(times).toHaveLength(granted);
    for (const start of times) {
      expect(times.filter((at) => at >= start && at < start + 400).length).toBeLessThanOrEqual(10);
    }
    // 1.3 s is three full windows and part of a fourth.
    expect(granted).toBeGreaterThanOrEqual(30);
    expect(granted).toBeLessThanOrEqual(40);
  });

  it('says how long to wait: until a token refills, until the window frees a slot, until a pause ends', async () => {
    const bucket = new SheetsThrottle(t.db, settings({ ratePerSecond: 2, burst: 1 }), 'wait-bucket');
    expect(await bucket.tryTake()).toEqual({ granted: true, waitMs: 0 });
    const refused = await bucket.tryTake();
    expect(refused.granted).toBe(false);
    expect(refused.waitMs).toBeGreaterThan(400);
    expect(refused.waitMs).toBeLessThanOrEqual(500);

    const window = new SheetsThrottle(t.db, settings({ windowLimit: 1, windowMs: 300 }), 'wait-window');
    expect((await window.tryTake()).granted).toBe(true);
    const full = await window.tryTake();
    expect(full.granted).toBe(false);
    expect(full.waitMs).toBeGreaterThan(200);
    expect(full.waitMs).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, full.waitMs));
    expect((await window.tryTake()).granted).toBe(true);

    const paused = new SheetsThrottle(t.db, settings({}), 'wait-pause');
    expect((await paused.tryTake()).granted).toBe(true);
    await paused.pauseFor(250);
    await paused.pauseFor(50); // a shorter pause does not cut a longer one short
    const held = await paused.tryTake();
    expect(held.granted).toBe(false);
    expect(held.waitMs).toBeGreaterThan(150);
    expect((await paused.snapshot()).pausedForMs).toBeGreaterThan(150);
    await new Promise((r) => setTimeout(r, held.waitMs));
    expect((await paused.tryTake()).granted).toBe(true);
  });

  it('counts consecutive failures until a success resets them', async () => {
    const throttle = new SheetsThrottle(t.db, settings({}), 'failures');
    expect(await throttle.recordFailure()).toBe(1);
    expect(await throttle.recordFailure()).toBe(2);
    await throttle.recordSuccess();
    expect(await throttle.recordFailure()).toBe(1);
  });
});
