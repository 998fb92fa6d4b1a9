import { Logger, type LoggerService } from '@nestjs/common';
import type { ReconcileSummary, ReconciliationService } from '../calls/reconciliation.service.js';
import type { LeaseRepository } from '../common/lease/lease.repository.js';
import { POLLER_LEASE, type PollerSettings } from './poller.settings.js';
import type { PollerRepository } from './poller.repository.js';
import { readPollRecord, type PollCounts, type PollRecord, type RunnerKind } from './poll-record.js';

export interface PollRequest {
  kind: RunnerKind;
  /** Wall-clock budget for this run; defaults to POLLER_TIME_BUDGET_SECONDS. */
  budgetMs?: number;
  /** The Lambda's request id: a retried or duplicated invocation that already succeeded does nothing. */
  invocationId?: string;
  /** Stops the run between slices (shutdown). */
  signal?: AbortSignal;
}

export interface PollOutcome extends PollCounts {
  ran: boolean;
  /** Why nothing ran: another runner holds the lease, or this invocation already succeeded. */
  skipped?: 'busy' | 'duplicate';
  runner: string;
  kind: RunnerKind;
  /** Active calls left unchecked this run (budget, time, shutdown or a lost lease); the next run starts with them. */
  remaining: boolean;
  /** The run stalled past the lease's lifetime and another runner took over; it stopped at once. */
  leaseLost: boolean;
  durationMs: number;
}

export interface PollerState {
  lastSuccessAt?: Date;
  /** What the last successful run recorded (who ran it, what it did). */
  last?: PollRecord;
  /** Set while some runner holds the lease. */
  holder?: { owner: string; expiresAt: Date };
}

/**
 * Reconciling in short slices bounds how long shutdown or a lost lease waits for the batch in flight (a deadline
 * is the only brake ReconciliationService.reconcileBatch has). Calls a slice did not reach stay least recently
 * checked, so the next slice takes them first.
 */
const SLICE_MS = 2_000;

const ZERO: PollCounts = { polled: 0, updated: 0, settled: 0, adopted: 0, failed: 0, errors: 0 };

/**
 * One poll under the fleet-wide lease: the same code path for the Lambda and the in-app runners. Takes the lease
 * (one atomic statement), keeps it alive with a heartbeat, runs the one reconciliation routine in batches until
 * every active call was checked once (or the budget is spent), then releases it recording what was done — which
 * is what the dead-man's switch, readiness and metrics read.
 */
export class PollRunner {
  private inFlight = false;

  constructor(
    /** Identifies this runner in the lease and in health output, e.g. `app:ip-10-0-1-5:1234:9f2c1ab0`. */
    readonly owner: string,
    private readonly reconciler: ReconciliationService,
    private readonly leases: LeaseRepository,
    private readonly repo: PollerRepository,
    private readonly settings: PollerSettings,
    private readonly logger: Pick<LoggerService, 'log' | 'warn' | 'error'> = new Logger('Poller'),
  ) {}

  async run(request: PollRequest): Promise<PollOutcome> {
    // The lease is re-entrant for its owner, so it cannot keep two runs of this runner apart: this flag does.
    if (this.inFlight) return this.outcome(request, Date.now(), ZERO, { skipped: 'busy' });
    this.inFlight = true;
    try {
      return await this.runUnderLease(request);
    } finally {
      this.inFlight = false;
    }
  }

  async state(): Promise<PollerState> {
    const row = await this.leases.get(POLLER_LEASE);
    if (!row) return {};
    const holding = row.owner !== null && row.expires_at !== null && row.expires_at.getTime() > Date.now();
    return {
      lastSuccessAt: row.last_success_at ?? undefined,
      last: row.last_success_at ? readPollRecord(row.last_summary) : undefined,
      holder: holding ? { owner: row.owner!, expiresAt: row.expires_at! } : undefined,
    };
  }

  private async runUnderLease(request: PollRequest): Promise<PollOutcome> {
    const started = Date.now();
    if (!(await this.leases.tryAcquire(POLLER_LEASE, this.owner, this.settings.leaseTtlMs))) {
      return this.outcome(request, started, ZERO, { skipped: 'busy' });
    }
    const lease = this.keepLease();
    let record: PollRecord | undefined;
    try {
      if (request.invocationId && (await this.state()).last?.invocationId === request.invocationId) {
        return this.outcome(request, started, ZERO, { skipped: 'duplicate' });
      }
      const { counts, remaining } = await this.reconcileActiveCalls(request, started, lease);
      const outcome = this.outcome(request, started, counts, { remaining, leaseLost: lease.lost });
      record = {
        runner: this.owner,
        kind: request.kind,
        invocationId: request.invocationId,
        startedAt: new Date(started).toISOString(),
        durationMs: outcome.durationMs,
        remaining,
        ...counts,
      };
      return outcome;
    } finally {
      await lease.stop();
      // A lost lease belongs to someone else now: neither release it nor claim the success.
      if (!lease.lost) await this.leases.release(POLLER_LEASE, this.owner, record);
    }
  }

  /** Batches until every call active at the start was checked once, or time, budget or lease run out. */
  private async reconcileActiveCalls(
    request: PollRequest,
    started: number,
    lease: LeaseKeeper,
  ): Promise<{ counts: PollCounts; remaining: boolean }> {
    const deadline = started + (request.budgetMs ?? this.settings.timeBudgetMs);
    const active = await this.repo.countActive();
    // Counting first keeps a run from going round again: checked calls move to the back of the queue.
    const target = Math.min(active, this.settings.maxCallsPerTick);
    const counts = { ...ZERO };
    while (counts.polled < target) {
      const now = Date.now();
      if (now >= deadline || lease.lost || request.signal?.aborted) break;
      const batch = await this.reconciler.reconcileBatch({
        limit: Math.min(this.settings.batchSize, target - counts.polled),
        concurrency: this.settings.concurrency,
        deadline: Math.min(deadline, now + SLICE_MS),
      });
      add(counts, batch);
      if (batch.polled === 0) {
        // No call left to check (the others ended meanwhile, by webhook), or the deadline came first.
        if (!batch.remaining) return { counts, remaining: false };
        break;
      }
    }
    return { counts, remaining: counts.polled < active };
  }

  private keepLease(): LeaseKeeper {
    const { leaseTtlMs } = this.settings;
    let stopped = false;
    let pending: Promise<void> = Promise.resolve();
    const keeper: LeaseKeeper = {
      lost: false,
      stop: async () => {
        stopped = true;
        clearInterval(timer);
        await pending;
      },
    };
    const timer = setInterval(() => {
      pending = this.leases.renew(POLLER_LEASE, this.owner, leaseTtlMs).then(
        (held) => {
          if (held || stopped || keeper.lost) return;
          keeper.lost = true;
          this.logger.warn(`poller ${this.owner} lost its lease (stalled past ${leaseTtlMs} ms); stopping`);
        },
        (err: Error) => {
          // One missed heartbeat is survivable (the lease outlives three); losing it is detected above.
          if (!stopped) this.logger.warn(`poller lease heartbeat failed: ${err.message}`);
        },
      );
    }, leaseTtlMs / 3);
    timer.unref();
    return keeper;
  }

  private outcome(
    request: PollRequest,
    started: number,
    counts: PollCounts,
    extra: { skipped?: PollOutcome['skipped']; remaining?: boolean; leaseLost?: boolean },
  ): PollOutcome {
    return {
      ran: extra.skipped === undefined,
      ...(extra.skipped ? { skipped: extra.skipped } : {}),
      runner: this.owner,
      kind: request.kind,
      ...counts,
      remaining: extra.remaining ?? false,
      leaseLost: extra.leaseLost ?? false,
      durationMs: Date.now() - started,
    };
  }
}

interface LeaseKeeper {
  lost: boolean;
  stop(): Promise<void>;
}

function add(into: PollCounts, batch: ReconcileSummary): void {
  into.polled += batch.polled;
  into.updated += batch.updated;
  into.settled += batch.settled;
  into.adopted += batch.adopted;
  into.failed += batch.failed;
  into.errors += batch.errors;
}
