import type { SheetsBackoffSettings } from './sheets.settings.js';

const MAX_RETRY_AFTER_MS = 600_000;

/**
 * Google's truncated exponential back-off (developers.google.com/sheets/api/limits): after the n-th consecutive
 * failure wait min(2^(n-1) × base + random jitter, max), i.e. 1 s, 2 s, 4 s … 64 s plus up to 1 s, with a fresh
 * jitter each time. A Retry-After from the server is a floor: we never come back sooner than it asks (up to
 * ten minutes, so a bogus header cannot stall the log for a day).
 */
export function backoffDelayMs(
  consecutiveFailures: number,
  settings: SheetsBackoffSettings,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, consecutiveFailures - 1);
  const exponential = Math.min(
    2 ** exponent * settings.baseMs + random() * settings.jitterMs,
    settings.maxMs,
  );
  return Math.round(Math.max(exponential, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS)));
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unusable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
