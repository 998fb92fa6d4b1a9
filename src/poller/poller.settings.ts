import type { AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/load-config.js';

export type PollerMode = AppConfig['POLLER_MODE'];

/** The one lease every runner (each app instance and the Lambda) takes before a poll. */
export const POLLER_LEASE = 'poller';

export interface PollerSettings {
  mode: PollerMode;
  intervalMs: number;
  fallbackAfterMs: number;
  batchSize: number;
  maxCallsPerTick: number;
  concurrency: number;
  timeBudgetMs: number;
  /**
   * How long the lease outlives its last heartbeat. A runner that dies mid-poll (Lambda timeout, SIGKILL) blocks
   * the others at most this long; a live one renews it every third of it.
   */
  leaseTtlMs: number;
}

export const POLLER_SETTINGS = Symbol('POLLER_SETTINGS');

const LEASE_TTL_MS = 60_000;

export function pollerSettingsFromEnv(config: AppConfig): PollerSettings {
  const settings: PollerSettings = {
    mode: config.POLLER_MODE,
    intervalMs: config.POLL_INTERVAL_SECONDS * 1000,
    fallbackAfterMs: config.POLLER_FALLBACK_AFTER_SECONDS * 1000,
    batchSize: config.POLLER_BATCH_SIZE,
    maxCallsPerTick: config.POLLER_MAX_CALLS_PER_TICK,
    concurrency: config.POLLER_CONCURRENCY,
    timeBudgetMs: config.POLLER_TIME_BUDGET_SECONDS * 1000,
    leaseTtlMs: LEASE_TTL_MS,
  };
  // Otherwise every instance would take over from a perfectly healthy Lambda between two of its ticks.
  if (settings.mode === 'lambda' && settings.fallbackAfterMs <= settings.intervalMs) {
    throw new ConfigError([
      `POLLER_FALLBACK_AFTER_SECONDS: must exceed POLL_INTERVAL_SECONDS (${config.POLL_INTERVAL_SECONDS}) when POLLER_MODE=lambda`,
    ]);
  }
  return settings;
}
