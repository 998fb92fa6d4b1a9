import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { CheckResult } from '../health/readiness.registry.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { decideTick, type TickDecision } from './poll-decision.js';
import { PollRunner, type PollOutcome, type PollerState } from './poll-runner.js';
import { PollerMetrics } from './poller.metrics.js';
import { PollerRepository } from './poller.repository.js';
import { POLLER_SETTINGS, type PollerSettings } from './poller.settings.js';

export interface TickResult {
  /** `unavailable`: the lease could not be read (database down); the next tick tries again. */
  decision: TickDecision | { run: false; reason: 'off' | 'stopping' | 'unavailable' };
  outcome?: PollOutcome;
  error?: Error;
}

/**
 * The in-app runner. A plain timer rather than @nestjs/schedule: the period comes from config at runtime (its
 * decorators take constants), a tick must never overlap the previous one (the next is armed only when one ends),
 * and shutdown must wait for the poll in flight to release its lease before the pool closes — @nestjs/schedule
 * only clears its timers. The timer is unref'd: it never keeps the process alive.
 */
@Injectable()
export class PollerScheduler
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('Poller');
  private readonly metrics: PollerMetrics;
  private readonly watchingSince = Date.now();
  private readonly stopping = new AbortController();
  private timer?: NodeJS.Timeout;
  private current?: Promise<TickResult>;
  /** Set while this instance stands in for a silent Lambda. */
  private engagedAt?: number;

  constructor(
    private readonly runner: PollRunner,
    private readonly repo: PollerRepository,
    @Inject(POLLER_SETTINGS) private readonly settings: PollerSettings,
    metrics: MetricsService,
  ) {
    this.metrics = new PollerMetrics(metrics.registry, async () => {
      const [state, activeCalls] = await Promise.all([this.runner.state(), this.repo.countActive()]);
      return { lastSuccessAgeSeconds: this.silentForMs(state) / 1000, activeCalls };
    });
  }

  /** How often this instance looks: every interval, or often enough to notice a silent Lambda in time. */
  get checkEveryMs(): number {
    const { mode, intervalMs, fallbackAfterMs } = this.settings;
    return mode === 'lambda' ? Math.min(intervalMs, Math.ceil(fallbackAfterMs / 4)) : intervalMs;
  }

  get fallbackEngaged(): boolean {
    return this.engagedAt !== undefined;
  }

  start(): void {
    if (this.timer || this.stopping.signal.aborted) return;
    if (this.settings.mode === 'off') {
      this.logger.log('call status poller is off in this process (POLLER_MODE=off)');
      return;
    }
    this.logger.log(
      `call status poller: mode ${this.settings.mode}, checking every ${this.checkEveryMs / 1000} s as ${this.runner.owner}`,
    );
    this.arm();
  }

  /** One scheduling decision, and the poll it calls for. Never overlaps itself; never throws. */
  tick(): Promise<TickResult> {
    this.current ??= this.decideAndRun().finally(() => (this.current = undefined));
    return this.current;
  }

  /** Stops the timer, stops the poll in flight after its current slice and waits for it to release the lease. */
  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }

  async health(): Promise<CheckResult> {
    const state = await this.runner.state();
    const silentForMs = this.silentForMs(state);
    const { mode, intervalMs, fallbackAfterMs } = this.settings;
    if (mode === 'off' && !state.lastSuccessAt) {
      return { state: 'disabled', detail: 'POLLER_MODE=off and no runner has polled yet' };
    }
    // Three missed intervals (the CloudWatch alarm's 15 minutes by default), and never before the fallback could act.
    const staleAfterMs = Math.max(3 * intervalMs, fallbackAfterMs + intervalMs);
    const last = state.last;
    return {
      state: silentForMs > staleAfterMs ? 'degraded' : 'ok',
      detail: {
        mode,
        thisRunner: this.runner.owner,
        fallbackEngaged: this.fallbackEngaged,
        lastSuccessAt: state.lastSuccessAt?.toISOString() ?? null,
        lastSuccessAgeSeconds: state.lastSuccessAt ? Math.round(silentForMs / 1000) : null,
        lastRun: last && {
          runner: last.runner,
          kind: last.kind,
          polled: last.polled,
          updated: last.updated,
          settled: last.settled,
          failed: last.failed,
          errors: last.errors,
          remaining: last.remaining,
          durationMs: last.durationMs,
        },
        runningNow: state.holder?.owner ?? null,
      },
    };
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  // Before the database pool closes (the order of onApplicationShutdown between modules is not ours to choose).
  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  private arm(): void {
    this.timer = setTimeout(() => {
      void this.tick().finally(() => {
        if (!this.stopping.signal.aborted) this.arm();
      });
    }, this.checkEveryMs);
    this.timer.unref();
  }

  private async decideAndRun(): Promise<TickResult> {
    const { mode } = this.settings;
    if (mode === 'off') return { decision: { run: false, reason: 'off' } };
    if (this.stopping.signal.aborted) return { decision: { run: false, reason: 'stopping' } };
    let decision: TickDecision | undefined;
    try {
      const state = await this.runner.state();
      const now = Date.now();
      decision = decideTick({
        mode,
        now,
        intervalMs: this.settings.intervalMs,
        fallbackAfterMs: this.settings.fallbackAfterMs,
        lastSuccessAt: state.lastSuccessAt?.getTime(),
        lastKind: state.last?.kind,
        engagedAt: this.engagedAt,
        watchingSince: this.watchingSince,
      });
      if (!decision.run) {
        if (decision.disengage) this.standDown(state);
        return { decision };
      }
      if (decision.engage) this.takeOver(state, now);
      const outcome = await this.runner.run({ kind: decision.kind, signal: this.stopping.signal });
      this.metrics.recordOutcome(outcome);
      if (outcome.ran) this.logger.log(describe(outcome));
      return { decision, outcome };
    } catch (err) {
      const error = err as Error;
      if (decision?.run) this.metrics.recordError(decision.kind);
      this.logger.error(`call status poll failed: ${error.message}`);
      return { decision: decision ?? { run: false, reason: 'unavailable' }, error };
    }
  }

  private takeOver(state: PollerState, now: number): void {
    this.engagedAt = now;
    this.metrics.fallbackActivated();
    const last = state.lastSuccessAt
      ? `the last one was by ${state.last?.runner ?? 'an unknown runner'} at ${state.lastSuccessAt.toISOString()}`
      : 'none was ever recorded';
    this.logger.error(
      `POLLER FALLBACK ENGAGED: no successful call status poll for ${Math.round(this.silentForMs(state, now) / 1000)} s ` +
        `(${last}). The Lambda poller looks down; ${this.runner.owner} polls every ` +
        `${this.settings.intervalMs / 1000} s until a Lambda run succeeds again.`,
    );
  }

  private standDown(state: PollerState): void {
    this.engagedAt = undefined;
    this.logger.warn(
      `poller fallback stands down: the Lambda (${state.last?.runner}) polled successfully at ${state.lastSuccessAt?.toISOString()}`,
    );
  }

  private silentForMs(state: PollerState, now = Date.now()): number {
    return now - (state.lastSuccessAt?.getTime() ?? this.watchingSince);
  }
}

function describe(o: PollOutcome): string {
  return (
    `poll (${o.kind}) checked ${o.polled} call(s) in ${o.durationMs} ms: ${o.updated} updated, ${o.settled} settled, ` +
    `${o.adopted} adopted, ${o.failed} failed, ${o.errors} error(s)${o.remaining ? '; more left for the next poll' : ''}`
  );
}
