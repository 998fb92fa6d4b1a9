import { Counter, Gauge, type Registry } from 'prom-client';
import type { PollCounts } from './poll-record.js';
import type { PollOutcome } from './poll-runner.js';

export interface PollerGaugeReadings {
  /** Seconds since the last successful poll by any runner (since this process started watching, if none yet). */
  lastSuccessAgeSeconds: number;
  activeCalls: number;
}

const COUNTS: (keyof PollCounts)[] = ['polled', 'updated', 'settled', 'adopted', 'failed', 'errors'];

/**
 * Poller metrics on the app's registry. The gauges are read from Postgres at scrape time, so every instance
 * reports the fleet-wide truth (the Lambda's runs included); the counters count what this instance did.
 */
export class PollerMetrics {
  private readonly runs: Counter<'kind' | 'result'>;
  private readonly calls: Counter<'result'>;
  private readonly fallbacks: Counter;
  private readonly lastRunSeconds: Gauge<'kind'>;

  constructor(registry: Registry, read: () => Promise<PollerGaugeReadings>) {
    const registers = [registry];
    const gauge = (name: string, help: string, pick: (r: PollerGaugeReadings) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          // A scrape must not fail because the database is briefly away; the gauge keeps its last value.
          const readings = await read().catch(() => undefined);
          if (readings) this.set(pick(readings));
        },
      });
    gauge(
      'bmcp_poller_last_success_age_seconds',
      'Seconds since the last successful call status poll by any runner, Lambda or app (since this process started, if none yet)',
      (r) => r.lastSuccessAgeSeconds,
    );
    gauge(
      'bmcp_poller_active_calls',
      'Calls the poller still follows (not yet terminal)',
      (r) => r.activeCalls,
    );
    this.runs = new Counter({
      name: 'bmcp_poller_runs_total',
      help: 'Poll attempts by this instance, by runner kind and result (ran, busy, duplicate, error)',
      labelNames: ['kind', 'result'],
      registers,
    });
    this.calls = new Counter({
      name: 'bmcp_poller_calls_total',
      help: 'Calls reconciled by this instance, by result (polled, updated, settled, adopted, failed, errors)',
      labelNames: ['result'],
      registers,
    });
    this.fallbacks = new Counter({
      name: 'bmcp_poller_fallback_activations_total',
      help: "Times this instance's dead-man's switch took over polling from the Lambda",
      registers,
    });
    this.lastRunSeconds = new Gauge({
      name: 'bmcp_poller_last_run_duration_seconds',
      help: 'Duration of the last poll this instance ran',
      labelNames: ['kind'],
      registers,
    });
  }

  recordOutcome(outcome: PollOutcome): void {
    this.runs.inc({ kind: outcome.kind, result: outcome.skipped ?? 'ran' });
    if (!outcome.ran) return;
    for (const result of COUNTS) if (outcome[result] > 0) this.calls.inc({ result }, outcome[result]);
    this.lastRunSeconds.set({ kind: outcome.kind }, outcome.durationMs / 1000);
  }

  recordError(kind: PollOutcome['kind']): void {
    this.runs.inc({ kind, result: 'error' });
  }

  fallbackActivated(): void {
    this.fallbacks.inc();
  }
}
