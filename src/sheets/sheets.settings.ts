import type { Env } from '../config/env.schema.js';
import { loadServiceAccountKey, type ServiceAccountKey } from './service-account-key.js';

/** Injection token for {@link SheetsSettings}. */
export const SHEETS_SETTINGS = Symbol('SHEETS_SETTINGS');

/** Where rows go. Absent when no spreadsheet is configured: Sheets logging is then off. */
export interface SheetsTarget {
  spreadsheetId: string;
  tab: string;
  serviceAccount: ServiceAccountKey;
  /** Bare origin of the Sheets API; undefined means Google's. */
  apiRootUrl?: string;
}

/** Shared request budget. Production uses a 60 s window; tests shrink every duration by the same factor. */
export interface SheetsRateSettings {
  ratePerSecond: number;
  burst: number;
  windowLimit: number;
  windowMs: number;
  /**
   * Added to the window: Google counts requests when they arrive, we count them when they are granted, and
   * the two clocks drift by the time between grant and arrival.
   */
  windowMarginMs: number;
}

export interface SheetsDrainSettings {
  intervalMs: number;
  batchSize: number;
  /**
   * Drains that start within this gap of the previous one (fleet-wide) send only full batches: under steady load
   * each request then carries the gap's worth of changes, and small requests cannot use up the per-minute budget
   * early in the minute (a sliding window would then repeat that burst every minute). A full batch goes at once.
   */
  minGapMs: number;
  maxAttempts: number;
  /** Each request is sent with at least this much lease left, and requestTimeoutMs is shorter. */
  leaseTtlMs: number;
  requestTimeoutMs: number;
  /**
   * After an append died without a response, wait this long before reading the sheet to see whether it landed:
   * Google may still be processing it (it caps processing at 180 s).
   */
  appendSettleMs: number;
  /** Google recommends requests of at most 2 MB. */
  maxRequestBytes: number;
}

/** Google's truncated exponential back-off: min(2^n s + jitter, max). */
export interface SheetsBackoffSettings {
  baseMs: number;
  maxMs: number;
  jitterMs: number;
}

export interface SheetsSettings {
  target?: SheetsTarget;
  rate: SheetsRateSettings;
  drain: SheetsDrainSettings;
  backoff: SheetsBackoffSettings;
}

/** Reads the environment; a configured spreadsheet without a usable key is a boot error, not a silent no-op. */
export function sheetsSettingsFromEnv(env: Env): SheetsSettings {
  let target: SheetsTarget | undefined;
  if (env.GOOGLE_SHEETS_SPREADSHEET_ID) {
    if (!env.GOOGLE_SERVICE_ACCOUNT_JSON) {
      throw new Error('GOOGLE_SHEETS_SPREADSHEET_ID is set but GOOGLE_SERVICE_ACCOUNT_JSON is not');
    }
    target = {
      spreadsheetId: env.GOOGLE_SHEETS_SPREADSHEET_ID,
      tab: env.GOOGLE_SHEETS_TAB,
      serviceAccount: loadServiceAccountKey(env.GOOGLE_SERVICE_ACCOUNT_JSON),
      apiRootUrl: env.GOOGLE_SHEETS_API_URL,
    };
  }
  return {
    target,
    rate: {
      ratePerSecond: env.SHEETS_RATE_PER_SECOND,
      burst: env.SHEETS_BURST,
      windowLimit: env.SHEETS_WRITES_PER_MINUTE,
      windowMs: 60_000,
      windowMarginMs: 1_000,
    },
    drain: {
      intervalMs: env.SHEETS_DRAIN_INTERVAL_MS,
      batchSize: env.SHEETS_BATCH_SIZE,
      // A little under the interval, so this instance's own timer ticks are never the ones held back.
      minGapMs: Math.round(env.SHEETS_DRAIN_INTERVAL_MS * 0.9),
      maxAttempts: env.SHEETS_MAX_ATTEMPTS,
      leaseTtlMs: 90_000,
      requestTimeoutMs: 60_000,
      appendSettleMs: 180_000,
      maxRequestBytes: 2_000_000,
    },
    backoff: { baseMs: 1_000, maxMs: 64_000, jitterMs: 1_000 },
  };
}
