import { Counter, Gauge, type Registry } from 'prom-client';
import type { SheetsFailure } from './sheets-errors.js';
import type { SheetsOperation } from './sheets-batch-writer.js';

export interface SheetsQueueState {
  pending: number;
  parked: number;
  oldestPendingSeconds: number;
  writesLastMinute: number;
}

/**
 * Sheets metrics on the app's registry. The queue gauges are read from Postgres at scrape time, so every
 * instance reports the fleet-wide truth, not only what the lease holder did.
 */
export class SheetsMetrics {
  private readonly requests: Counter<'method' | 'outcome'>;
  private readonly rows: Counter<'operation'>;
  private readonly failures: Counter<'operation' | 'kind'>;
  private readonly rateLimited: Counter;
  private readonly parkedTotal: Counter;
  private reading?: Promise<SheetsQueueState>;

  constructor(registry: Registry, readState: () => Promise<SheetsQueueState>) {
    const registers = [registry];
    const state = () => this.state(readState);
    const gauge = (name: string, help: string, pick: (s: SheetsQueueState) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          // A scrape must not fail because the database is briefly away; the gauge keeps its last value.
          const s = await state().catch(() => undefined);
          if (s) this.set(pick(s));
        },
      });
    gauge(
      'bmcp_sheets_pending_changes',
      'Calls whose latest state is not yet in the sheet',
      (s) => s.pending,
    );
    gauge(
      'bmcp_sheets_oldest_pending_age_seconds',
      'Age of the oldest unsynced change',
      (s) => s.oldestPendingSeconds,
    );
    gauge(
      'bmcp_sheets_dead_letters',
      'Parked changes (Google refused them, or too many failures)',
      (s) => s.parked,
    );
    gauge(
      'bmcp_sheets_writes_last_minute',
      'Sheets write requests granted fleet-wide in the last 60 s',
      (s) => s.writesLastMinute,
    );
    this.requests = new Counter({
      name: 'bmcp_sheets_requests_total',
      help: 'Sheets API requests by method and outcome',
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.rows = new Counter({
      name: 'bmcp_sheets_rows_written_total',
      help: 'Rows appended or updated in the sheet',
      labelNames: ['operation'],
      registers,
    });
    this.failures = new Counter({
      name: 'bmcp_sheets_failures_total',
      help: 'Failed Sheets requests by operation and kind',
      labelNames: ['operation', 'kind'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'bmcp_sheets_rate_limited_total',
      help: 'Sheets requests answered 429 (quota exceeded)',
      registers,
    });
    this.parkedTotal = new Counter({
      name: 'bmcp_sheets_parked_total',
      help: 'Changes parked as dead letters',
      registers,
    });
  }

  request(method: string, error?: unknown): void {
    const status = (error as { status?: unknown } | undefined)?.status;
    this.requests.inc({
      method,
      outcome: error === undefined ? 'ok' : typeof status === 'number' ? String(status) : 'error',
    });
  }

  written(operation: 'append' | 'update', rows: number): void {
    this.rows.inc({ operation }, rows);
  }

  failed(operation: SheetsOperation, failure: SheetsFailure): void {
    this.failures.inc({ operation, kind: failure.kind });
    if (failure.kind === 'rate-limited') this.rateLimited.inc();
  }

  parked(count: number): void {
    this.parkedTotal.inc(count);
  }

  /** One database read serves all four gauges of a scrape (prom-client collects them concurrently). */
  private state(read: () => Promise<SheetsQueueState>): Promise<SheetsQueueState> {
    this.reading ??= read().finally(() => (this.reading = undefined));
    return this.reading;
  }
}
