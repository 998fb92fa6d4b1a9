import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseService } from '../database/database.service.js';
import type { SheetsRateSettings } from './sheets.settings.js';

export interface ThrottleDecision {
  granted: boolean;
  /** When not granted: how long until a request could be granted (never 0). */
  waitMs: number;
}

/**
 * The one statement that grants a Sheets write. Under the row lock it refills the token bucket for the time
 * elapsed, drops grants older than the window, and grants only if the fleet-wide pause is over, a token is left
 * and the window holds fewer than its limit; otherwise it says how long to wait. Time is the database's clock,
 * so instances with skewed clocks still share one budget.
 *   $1 name, $2 tokens per second, $3 burst, $4 window (ms, margin included), $5 grants per window
 */
export const TAKE_SQL = `
WITH cur AS (
  SELECT name, tokens, refilled_at, recent, paused_until, clock_timestamp() AS now_ts
    FROM bland_mcp.sheets_throttle WHERE name = $1 FOR UPDATE
), state AS (
  SELECT name, now_ts, paused_until,
         least($3::float8, tokens + $2::float8 * greatest(0, extract(epoch FROM now_ts - refilled_at))) AS tokens_now,
         ARRAY(SELECT r FROM unnest(recent) AS r
                WHERE r > now_ts - make_interval(secs => $4::float8 / 1000) ORDER BY r) AS kept
    FROM cur
), decision AS (
  SELECT *, (paused_until IS NULL OR now_ts >= paused_until) AND tokens_now >= 1 AND cardinality(kept) < $5 AS granted
    FROM state
), saved AS (
  UPDATE bland_mcp.sheets_throttle t
     SET tokens = d.tokens_now - CASE WHEN d.granted THEN 1 ELSE 0 END,
         refilled_at = d.now_ts,
         recent = CASE WHEN d.granted THEN d.kept || d.now_ts ELSE d.kept END
    FROM decision d WHERE t.name = d.name
)
SELECT granted,
       CASE WHEN granted THEN 0 ELSE ceil(greatest(
         1,
         coalesce(extract(epoch FROM paused_until - now_ts) * 1000, 0),
         (1 - tokens_now) / $2::float8 * 1000,
         CASE WHEN cardinality(kept) >= $5
              THEN extract(epoch FROM kept[cardinality(kept) - $5 + 1] - now_ts) * 1000 + $4::float8
              ELSE 0 END))::int END AS wait_ms
  FROM decision`;

/**
 * Fleet-wide budget for Sheets writes, kept in Postgres: a token bucket (rate + burst) and Google's per-user
 * cap (at most `windowLimit` writes in any window), both enforced by {@link TAKE_SQL}. A 429 or 5xx pauses
 * every instance until the back-off has passed.
 */
export class SheetsThrottle {
  private seeded?: Promise<void>;

  constructor(
    private readonly db: DatabaseService,
    private readonly settings: SheetsRateSettings,
    readonly name = 'sheets-writes',
  ) {}

  /** One attempt: grants a write now, or says how long to wait. */
  async tryTake(): Promise<ThrottleDecision> {
    await this.ensureRow();
    const { ratePerSecond, burst, windowMs, windowMarginMs, windowLimit } = this.settings;
    const { rows } = await this.db.query<{ granted: boolean; wait_ms: number }>(TAKE_SQL, [
      this.name,
      ratePerSecond,
      burst,
      windowMs + windowMarginMs,
      windowLimit,
    ]);
    const row = rows[0];
    if (!row) {
      this.seeded = undefined; // the row was deleted under us: seed it again next time
      return { granted: false, waitMs: 1 };
    }
    return { granted: row.granted, waitMs: row.wait_ms };
  }

  /**
   * Waits until a write is granted. `onWait` runs before each sleep of at most `maxSleepMs` (the drain renews
   * its lease there); `signal` cuts the wait short.
   */
  async take(signal: AbortSignal, onWait: () => Promise<void>, maxSleepMs: number): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const decision = await this.tryTake();
      if (decision.granted) return;
      await onWait();
      await sleep(Math.min(decision.waitMs, maxSleepMs), undefined, { signal });
    }
  }

  /** Reads take no token (they have their own quota) but still wait out a fleet-wide pause. */
  async waitOutPause(signal: AbortSignal, onWait: () => Promise<void>, maxSleepMs: number): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const { pausedForMs } = await this.snapshot();
      if (pausedForMs <= 0) return;
      await onWait();
      await sleep(Math.min(pausedForMs, maxSleepMs), undefined, { signal });
    }
  }

  /** Counts a consecutive failure (the back-off exponent) and returns the new count. */
  async recordFailure(): Promise<number> {
    await this.ensureRow();
    const { rows } = await this.db.query<{ failures: number }>(
      'UPDATE bland_mcp.sheets_throttle SET failures = failures + 1 WHERE name = $1 RETURNING failures',
      [this.name],
    );
    return rows[0]?.failures ?? 1;
  }

  /** Pauses every instance's writes for at least `ms` from now (an existing longer pause stands). */
  async pauseFor(ms: number): Promise<void> {
    await this.db.query(
      `UPDATE bland_mcp.sheets_throttle
          SET paused_until = greatest(paused_until, clock_timestamp() + make_interval(secs => $2::float8 / 1000))
        WHERE name = $1`,
      [this.name, ms],
    );
  }

  async recordSuccess(): Promise<void> {
    await this.db.query(
      'UPDATE bland_mcp.sheets_throttle SET failures = 0 WHERE name = $1 AND failures <> 0',
      [this.name],
    );
  }

  /** For metrics and readiness: grants in the last 60 s, and the pause still to run. */
  async snapshot(): Promise<{ grantsLastMinute: number; pausedForMs: number; failures: number }> {
    const { rows } = await this.db.query<{ grants: number; paused_ms: number; failures: number }>(
      `SELECT (SELECT count(*) FROM unnest(recent) r WHERE r > clock_timestamp() - interval '60 seconds')::int AS grants,
              ceil(greatest(0, coalesce(extract(epoch FROM paused_until - clock_timestamp()) * 1000, 0)))::int
                AS paused_ms,
              failures
         FROM bland_mcp.sheets_throttle WHERE name = $1`,
      [this.name],
    );
    const row = rows[0];
    return {
      grantsLastMinute: row?.grants ?? 0,
      pausedForMs: row?.paused_ms ?? 0,
      failures: row?.failures ?? 0,
    };
  }

  private ensureRow(): Promise<void> {
    this.seeded ??= this.db
      .query(
        `INSERT INTO bland_mcp.sheets_throttle (name, tokens, refilled_at) VALUES ($1, $2, clock_timestamp())
         ON CONFLICT (name) DO NOTHING`,
        [this.name, this.settings.burst],
      )
      .then(
        () => undefined,
        (err: unknown) => {
          this.seeded = undefined;
          throw err;
        },
      );
    return this.seeded;
  }
}
