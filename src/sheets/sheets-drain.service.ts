import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type LoggerService,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LeaseRepository } from '../common/lease/lease.repository.js';
import { DatabaseService } from '../database/database.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { LeaseLostError, SheetsBatchWriter } from './sheets-batch-writer.js';
import { SheetsGateway, type SheetsRequestKind } from './sheets-gateway.js';
import { SheetsOutboxRepository, type ParkedChange } from './sheets-outbox.repository.js';
import { SheetsThrottle } from './sheets-throttle.js';
import { SheetsMetrics, type SheetsQueueState } from './sheets.metrics.js';
import { SHEETS_SETTINGS, type SheetsSettings } from './sheets.settings.js';

/** Optional injection token: a logger for the drain (tests pass a quiet one). */
export const SHEETS_LOGGER = Symbol('SHEETS_LOGGER');

export const SHEETS_DRAIN_LEASE = 'sheets-drain';

export interface DrainSummary {
  /**
   * Why nothing ran: Sheets is off, nothing is due, a small batch would come too soon after the last drain, or
   * another instance holds the lease.
   */
  skipped?: 'disabled' | 'idle' | 'paced' | 'busy';
  batches: number;
  appended: number;
  updated: number;
  parked: number;
  startedAt: number;
  finishedAt: number;
}

/**
 * Keeps the Google Sheets call log in step with bland_mcp.calls. Every instance runs a timer (and reacts to
 * `nudge()`), but a drain only runs under the fleet-wide 'sheets-drain' lease, so exactly one instance writes at a
 * time. A drain takes the oldest pending changes in batches, going on while the batches come back full (a backlog);
 * a partial batch is sent at most once per minGapMs so that requests stay large. Each Sheets request first
 * renews the lease (so the lease outlives the request) and, for a write, takes one from the shared budget.
 */
@Injectable()
export class SheetsDrainService
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  readonly outbox: SheetsOutboxRepository;
  readonly throttle: SheetsThrottle;
  private readonly writer?: SheetsBatchWriter;
  private readonly metrics: SheetsMetrics;
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly stopping = new AbortController();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private runAgain = false;
  private previousDrain: Promise<void> = Promise.resolve();
  private leaseLost = false;
  private lastFailure?: { at: Date; reason: string };

  constructor(
    db: DatabaseService,
    private readonly leases: LeaseRepository,
    metrics: MetricsService,
    @Inject(SHEETS_SETTINGS) private readonly settings: SheetsSettings,
    @Optional()
    @Inject(SHEETS_LOGGER)
    private readonly logger: LoggerService = new Logger('SheetsDrainService'),
  ) {
    this.outbox = new SheetsOutboxRepository(db);
    this.throttle = new SheetsThrottle(db, settings.rate);
    this.metrics = new SheetsMetrics(metrics.registry, () => this.queueState());
    const target = settings.target;
    if (!target) return;
    const gateway = new SheetsGateway(
      target,
      settings.drain.requestTimeoutMs,
      (kind, signal) => this.beforeRequest(kind, signal),
      (method, _kind, error) => this.metrics.request(method, error),
    );
    this.writer = new SheetsBatchWriter(gateway, this.outbox, this.throttle, target, settings, {
      written: (operation, rows) => {
        this.metrics.written(operation, rows);
        this.lastFailure = undefined;
      },
      failed: (operation, failure, changes) => {
        this.metrics.failed(operation, failure);
        this.lastFailure = { at: new Date(), reason: failure.reason };
        const log = failure.kind === 'auth' || failure.kind === 'denied' ? 'error' : 'warn';
        this.logger[log](
          `sheets ${operation} of ${changes} change(s) failed (${failure.kind}): ${failure.reason}`,
        );
      },
      parked: (callIds, reason) => {
        this.metrics.parked(callIds.length);
        const shown = callIds.slice(0, 10).join(', ') + (callIds.length > 10 ? ', …' : '');
        this.logger.error(`sheets: parked ${callIds.length} change(s) as dead letters (${shown}): ${reason}`);
      },
    });
  }

  get enabled(): boolean {
    return this.writer !== undefined;
  }

  /** Starts the periodic drain (the module does this at bootstrap). A no-op when Sheets is off. */
  start(): void {
    if (!this.writer || this.timer || this.stopping.signal.aborted) return;
    this.timer = setInterval(() => this.nudge(), this.settings.drain.intervalMs);
    this.timer.unref();
    this.nudge();
  }

  /** Asks for a drain soon (e.g. right after a call changed). Never throws, never waits. */
  nudge(): void {
    if (!this.writer || this.stopping.signal.aborted) return;
    if (this.running) {
      this.runAgain = true;
      return;
    }
    this.running = this.runUntilQuiet().finally(() => (this.running = undefined));
  }

  /**
   * One drain under the lease: a batch, and more while they come back full. Resolves with what it did. Calls in
   * one process queue behind each other (the lease is re-entrant for its owner, so it cannot separate them).
   */
  drainOnce(): Promise<DrainSummary> {
    const run = this.previousDrain.then(() => this.drain());
    this.previousDrain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async drain(): Promise<DrainSummary> {
    const summary: DrainSummary = {
      batches: 0,
      appended: 0,
      updated: 0,
      parked: 0,
      startedAt: Date.now(),
      finishedAt: 0,
    };
    const finish = (skipped?: DrainSummary['skipped']) => ({ ...summary, skipped, finishedAt: Date.now() });
    if (!this.writer) return finish('disabled');
    const { leaseTtlMs, batchSize, minGapMs } = this.settings.drain;
    const { due, drainedRecently } = await this.outbox.dueWork(batchSize, SHEETS_DRAIN_LEASE, minGapMs);
    if (due === 0) return finish('idle');
    if (due < batchSize && drainedRecently) return finish('paced');
    if (!(await this.leases.tryAcquire(SHEETS_DRAIN_LEASE, this.owner, leaseTtlMs))) return finish('busy');
    summary.startedAt = Date.now();
    this.leaseLost = false;
    const signal = this.stopping.signal;
    try {
      while (!signal.aborted && !this.leaseLost) {
        // Cannot reach the spreadsheet (outage, access, auth): a shared pause is set; a later drain tries again.
        if (!(await this.writer.prepare(signal))) break;
        const batch = await this.outbox.claim(this.settings.target!, batchSize);
        if (batch.length === 0) break;
        const outcome = await this.writer.write(batch, signal);
        summary.batches += 1;
        summary.appended += outcome.appended;
        summary.updated += outcome.updated;
        summary.parked += outcome.parked;
        // Only a backlog (a full batch) is worth another request now; the rest waits for minGapMs to fill up.
        if (batch.length < batchSize) break;
      }
    } finally {
      summary.finishedAt = Date.now();
      if (!this.leaseLost) {
        const { startedAt: _s, finishedAt: _f, ...counts } = summary;
        await this.leases.release(SHEETS_DRAIN_LEASE, this.owner, counts).catch(() => undefined);
      }
    }
    return summary;
  }

  /** Puts parked changes (all, or the given calls) back in the queue and drains. Returns how many. */
  async redrive(callIds?: string[]): Promise<number> {
    const count = await this.outbox.redrive(callIds);
    if (count > 0) this.nudge();
    return count;
  }

  listParked(limit?: number): Promise<ParkedChange[]> {
    return this.outbox.listParked(limit);
  }

  /** For readiness: off, ok, or degraded (dead letters, a fleet-wide pause, or failing since the last success). */
  async health(): Promise<{
    state: 'disabled' | 'ok' | 'degraded';
    detail: string | Record<string, unknown>;
  }> {
    if (!this.writer) return { state: 'disabled', detail: 'GOOGLE_SHEETS_SPREADSHEET_ID not set' };
    const [stats, throttle] = await Promise.all([this.outbox.stats(), this.throttle.snapshot()]);
    const recentFailure =
      this.lastFailure && Date.now() - this.lastFailure.at.getTime() < 5 * 60_000
        ? this.lastFailure
        : undefined;
    const degraded = stats.parked > 0 || throttle.pausedForMs > 0 || recentFailure !== undefined;
    return {
      state: degraded ? 'degraded' : 'ok',
      detail: { ...stats, pausedForMs: throttle.pausedForMs, lastFailure: recentFailure?.reason },
    };
  }

  /** Stops the timer, cuts waits short and lets the current request settle; the lease is released. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.running;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  // Before the database pool closes (onApplicationShutdown order between modules is not ours to choose).
  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  private async runUntilQuiet(): Promise<void> {
    do {
      this.runAgain = false;
      try {
        await this.drainOnce();
      } catch (err) {
        if (!this.stopping.signal.aborted)
          this.logger.error(`sheets drain failed: ${(err as Error).message}`);
      }
    } while (this.runAgain && !this.stopping.signal.aborted);
  }

  /** Before every Sheets request: keep the lease (and wait for the shared budget while keeping it). */
  private async beforeRequest(kind: SheetsRequestKind, signal: AbortSignal): Promise<void> {
    const keepLease = () => this.renewLease();
    const maxSleepMs = this.settings.drain.leaseTtlMs / 3;
    if (kind === 'write') await this.throttle.take(signal, keepLease, maxSleepMs);
    else await this.throttle.waitOutPause(signal, keepLease, maxSleepMs);
    await keepLease();
  }

  private async renewLease(): Promise<void> {
    if (await this.leases.renew(SHEETS_DRAIN_LEASE, this.owner, this.settings.drain.leaseTtlMs)) return;
    this.leaseLost = true;
    this.logger.warn('sheets drain lost its lease; stopping this drain');
    throw new LeaseLostError();
  }

  private async queueState(): Promise<SheetsQueueState> {
    const [stats, throttle] = await Promise.all([this.outbox.stats(), this.throttle.snapshot()]);
    return { ...stats, writesLastMinute: throttle.grantsLastMinute };
  }
}
