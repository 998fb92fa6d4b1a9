import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BlandNotFoundError } from './bland/bland.errors.js';
import { mapBlandCall } from './bland/bland.mapper.js';
import { BMCP_CALL_ID_METADATA_KEY } from './bland/bland.types.js';
import { BlandConnection } from './bland-connection.js';
import { CallsRepository, type CallRecord } from './calls.repository.js';
import { CallsService } from './calls.service.js';

export type Outcome = 'updated' | 'unchanged' | 'adopted' | 'failed' | 'forced' | 'waiting' | 'error';

export interface ReconcileCounts {
  /** Active calls checked with Bland. */
  polled: number;
  /** Calls whose status moved (or that were force-closed). */
  updated: number;
  /** Checked calls that are terminal now, i.e. settled (by this run or a webhook racing it). */
  settled: number;
  /** Calls with an unknown dispatch outcome found at Bland. */
  adopted: number;
  /** Calls Bland never had, failed with their hold released. */
  failed: number;
  /** Calls that could not be checked this time (Bland or database errors); retried next run. */
  errors: number;
}

export interface ReconcileSummary extends ReconcileCounts {
  /** Active calls left for the next tick (budget or time ran out). */
  remaining: boolean;
  durationMs: number;
}

// A pending call this young is probably being dispatched right now by the request that created it (capped by the
// grace period, so a short grace in tests still reconciles promptly).
const PENDING_IN_FLIGHT_MS = 30_000;
// How long past its max duration a call may stay "live" at Bland before we force it to an end.
const STUCK_MARGIN_MS = 15 * 60_000;

/**
 * The one reconciliation routine (the poller's Lambda and in-app runners both call it): brings every active call
 * in line with Bland. Never dials: a call whose dispatch is unknown is looked up by our call id in Bland's list and
 * adopted, or failed with its hold released after the grace period.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(
    private readonly calls: CallsService,
    private readonly repo: CallsRepository,
    private readonly bland: BlandConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async reconcileBatch(options: {
    limit: number;
    concurrency: number;
    deadline: number;
  }): Promise<ReconcileSummary> {
    const started = Date.now();
    const batch = await this.repo.activeForReconciliation(options.limit);
    const summary: ReconcileSummary = {
      polled: 0,
      updated: 0,
      settled: 0,
      adopted: 0,
      failed: 0,
      errors: 0,
      remaining: false,
      durationMs: 0,
    };
    let next = 0;
    const checked: string[] = [];
    const worker = async () => {
      while (next < batch.length) {
        if (Date.now() >= options.deadline) {
          summary.remaining = true;
          return;
        }
        const call = batch[next++]!;
        const outcome = await this.reconcileOne(call);
        checked.push(call.id);
        summary.polled++;
        if (outcome === 'updated' || outcome === 'forced') summary.updated++;
        if (outcome === 'adopted') summary.adopted++;
        if (outcome === 'failed') summary.failed++;
        if (outcome === 'error') summary.errors++;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
    await this.repo.markChecked(checked);
    summary.settled = await this.countSettled(checked);
    summary.remaining ||= batch.length === options.limit;
    summary.durationMs = Date.now() - started;
    return summary;
  }

  async reconcileOne(call: CallRecord, now = Date.now()): Promise<Outcome> {
    try {
      return call.blandCallId ? await this.refresh(call, now) : await this.findOrFail(call, now);
    } catch (err) {
      this.logger.warn(`reconcile ${call.id}: ${(err as Error).message}`);
      return 'error';
    }
  }

  /** A call Bland knows: fetch its details and apply them (monotonic, settles once). */
  private async refresh(call: CallRecord, now: number): Promise<Outcome> {
    let details;
    try {
      details = await this.bland.client.getCall(call.blandCallId!);
    } catch (err) {
      if (err instanceof BlandNotFoundError && this.pastGrace(call, now)) {
        await this.calls.failAndRelease(
          call.id,
          'CALLS.UNKNOWN_TO_BLAND',
          'Bland has no record of this call',
        );
        return 'failed';
      }
      throw err;
    }
    const update = mapBlandCall(details);
    // A call cannot run before it starts: measure from Bland's start, else the scheduled time, else creation.
    const startedAt = Math.max(
      update.startedAt?.getTime() ?? 0,
      call.scheduledAt?.getTime() ?? 0,
      call.createdAt.getTime(),
    );
    const stuck = !update.terminal && now - startedAt > call.maxDurationMinutes * 60_000 + STUCK_MARGIN_MS;
    if (stuck) {
      // Bland still calls it live long after it must have ended: ask Bland to hang up (best effort), then end it
      // here, charging what Bland reports.
      await this.bland.client.stopCall(call.blandCallId!).catch((err: Error) => {
        this.logger.warn(`call ${call.id}: stopping a stuck call failed: ${err.message}`);
      });
      await this.calls.applyUpdate(
        {
          ...update,
          status: 'failed',
          terminal: true,
          errorMessage: 'call did not end at Bland; closed by reconciliation',
        },
        'poll',
      );
      return 'forced';
    }
    const after = await this.calls.applyUpdate(update, 'poll');
    return after && after.status !== call.status ? 'updated' : 'unchanged';
  }

  /** A call we never heard back about: look for our id in Bland's recent calls to that number. */
  private async findOrFail(call: CallRecord, now: number): Promise<Outcome> {
    const inFlightMs = Math.min(PENDING_IN_FLIGHT_MS, this.config.DISPATCH_UNKNOWN_GRACE_SECONDS * 1000);
    if (call.status === 'pending' && now - call.createdAt.getTime() < inFlightMs) return 'waiting';
    const found = await this.bland.client.findCallByMetadata({
      toNumber: call.phoneNumber,
      createdAfter: call.createdAt,
      key: BMCP_CALL_ID_METADATA_KEY,
      value: call.id,
    });
    if (found) {
      await this.calls.applyUpdate({ ...mapBlandCall(found), ourCallId: call.id }, 'poll');
      this.logger.log(`call ${call.id}: dispatch outcome resolved — Bland has it as ${found.call_id}`);
      return 'adopted';
    }
    if (!this.pastGrace(call, now)) return 'waiting';
    await this.calls.failAndRelease(
      call.id,
      'CALLS.DISPATCH_FAILED',
      'the call never reached Bland; nothing was dialled and the hold was released',
    );
    return 'failed';
  }

  private pastGrace(call: CallRecord, now: number): boolean {
    return now - call.createdAt.getTime() > this.config.DISPATCH_UNKNOWN_GRACE_SECONDS * 1000;
  }

  private async countSettled(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.repo.countTerminal(ids);
  }
}
