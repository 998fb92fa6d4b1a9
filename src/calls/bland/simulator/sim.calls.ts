/**
 * The simulator's calls and their lifecycle:
 *   scheduled (start_time in the future) → queued → ringing (dialled) → in_progress (answered) → ended
 * with no-answer / busy / failed ending straight from ringing, and stop cancelling anything not yet answered.
 * Each change is published as a webhook when the send request named one.
 */
import type { BlandLogger } from '../bland.logger.js';
import { phoneKey } from '../bland.phone.js';
import type { BlandSendCallRequest } from '../bland.types.js';
import { renderDetails } from './sim.render.js';
import { callIdentity } from './sim.random.js';
import {
  drawOutcome,
  poolNumber,
  spokenBefore,
  writeScript,
  type CallScript,
  type ScriptedTurn,
} from './sim.script.js';
import type { SimCall, SimEndStatus, SimOutcome, SimPhase, SimWebhookDelivery } from './sim.types.js';
import type { WebhookSender } from './sim.webhooks.js';

export interface CallEnd {
  status: SimEndStatus;
  talkSeconds: number;
  ringSeconds: number;
  turns: ScriptedTurn[];
  summary: string | null;
  answeredBy: string | null;
  errorMessage: string | null;
  endedBy: string | null;
}

export interface CallRecord {
  readonly callId: string;
  readonly request: BlandSendCallRequest;
  readonly encryptedKey?: string;
  readonly createdAt: Date;
  readonly scheduledFor?: Date;
  readonly fromNumber: string;
  readonly scriptSeed: number;
  script: CallScript;
  phase: SimPhase;
  dialed: boolean;
  updatedAt: Date;
  ringingAt?: Date;
  startedAt?: Date;
  end?: CallEnd;
  timer?: NodeJS.Timeout;
  readonly deliveries: SimWebhookDelivery[];
}

export interface CallEngineOptions {
  seed: number;
  timeScale: number;
  webhookEvents: 'all' | 'terminal';
  defaultOutcome?: SimOutcome;
  outcomes: Record<string, SimOutcome>;
  concurrencyLimit?: number;
  /** The simulator's own base URL (for recording links). */
  baseUrl: () => string;
  webhooks: WebhookSender;
  logger: BlandLogger;
}

export interface AcceptInput {
  request: BlandSendCallRequest;
  startAt?: Date;
  encryptedKey?: string;
}

const ACTIVE_PHASES: ReadonlySet<SimPhase> = new Set(['queued', 'ringing', 'in_progress']);

export class CallEngine {
  private readonly records = new Map<string, CallRecord>();
  private readonly dials = new Map<string, number>();
  private readonly ordinals = new Map<string, number>();
  private readonly outcomes = new Map<string, SimOutcome>();

  constructor(private readonly options: CallEngineOptions) {
    for (const [number, outcome] of Object.entries(options.outcomes)) this.setOutcome(number, outcome);
  }

  /** Returns undefined when the plan's concurrency limit refuses the call. */
  accept({ request, startAt, encryptedKey }: AcceptInput): CallRecord | undefined {
    const limit = this.options.concurrencyLimit;
    if (
      limit !== undefined &&
      [...this.records.values()].filter((r) => ACTIVE_PHASES.has(r.phase)).length >= limit
    ) {
      return undefined;
    }
    const key = phoneKey(request.phone_number);
    const ordinal = (this.ordinals.get(key) ?? 0) + 1;
    this.ordinals.set(key, ordinal);
    // Draw order is fixed so the same seed gives the same call whatever outcome is finally used.
    const { callId, random } = callIdentity(this.options.seed, key, ordinal);
    const fromNumber = request.from ?? poolNumber(random);
    const drawn = drawOutcome(random);
    const scriptSeed = random.int(0, 2 ** 31 - 1);
    const outcome = this.outcomes.get(key) ?? this.options.defaultOutcome ?? drawn;

    const now = new Date();
    const scheduled = startAt !== undefined && startAt.getTime() > now.getTime();
    const record: CallRecord = {
      callId,
      request,
      encryptedKey,
      createdAt: now,
      scheduledFor: scheduled ? startAt : undefined,
      fromNumber,
      scriptSeed,
      script: writeScript(scriptSeed, request, outcome),
      phase: scheduled ? 'scheduled' : 'queued',
      dialed: false,
      updatedAt: now,
      deliveries: [],
    };
    this.records.set(callId, record);
    this.publish(record);
    if (scheduled) {
      this.after(record, startAt.getTime() - now.getTime(), () => {
        record.phase = 'queued';
        this.queue(record);
      });
    } else {
      this.queue(record);
    }
    return record;
  }

  get(callId: string): CallRecord | undefined {
    return this.records.get(callId);
  }

  all(): CallRecord[] {
    return [...this.records.values()];
  }

  /** Ends a live call, or cancels one not yet answered. False when already ended. */
  stop(record: CallRecord): boolean {
    if (record.phase === 'ended') return false;
    if (record.phase !== 'in_progress' || !record.startedAt) {
      this.finish(record, { ...this.silentEnd(record), status: 'canceled' });
      return true;
    }
    const talkedMs = (Date.now() - record.startedAt.getTime()) / this.options.timeScale;
    const planned = record.script.talkSeconds;
    const talkSeconds = Math.max(1, Math.min(planned, Math.round(talkedMs / 1000)));
    this.finish(record, {
      ...this.scriptedEnd(record, record.script),
      talkSeconds,
      turns: spokenBefore(record.script.turns, talkSeconds / planned),
      summary: [record.script.summary, 'The call was ended early by a stop request.']
        .filter(Boolean)
        .join(' '),
      endedBy: null,
    });
    return true;
  }

  /** Forces the outcome now (test hook); a call that never rang is counted as dialled. */
  complete(record: CallRecord, outcome: SimOutcome): void {
    if (record.phase === 'ended') return;
    if (outcome !== record.script.outcome)
      record.script = writeScript(record.scriptSeed, record.request, outcome);
    if (!record.dialed) this.markDialed(record);
    if (record.script.talkSeconds > 0) record.startedAt ??= new Date();
    this.finish(record, this.scriptedEnd(record, record.script));
  }

  setOutcome(phoneNumber: string, outcome: SimOutcome): void {
    this.outcomes.set(phoneKey(phoneNumber), outcome);
  }

  dialCount(phoneNumber?: string): number {
    if (phoneNumber !== undefined) return this.dials.get(phoneKey(phoneNumber)) ?? 0;
    return [...this.dials.values()].reduce((sum, n) => sum + n, 0);
  }

  snapshot(record: CallRecord): SimCall {
    return structuredClone({
      callId: record.callId,
      request: record.request,
      encryptedKey: record.encryptedKey,
      createdAt: record.createdAt,
      scheduledFor: record.scheduledFor,
      phase: record.phase,
      endStatus: record.end?.status,
      dialed: record.dialed,
      webhookDeliveries: record.deliveries,
      details: renderDetails(record, this.options.baseUrl()),
    });
  }

  shutdown(): void {
    for (const record of this.records.values()) clearTimeout(record.timer);
  }

  private queue(record: CallRecord): void {
    this.after(record, record.script.queueMs, () => this.ring(record));
  }

  private ring(record: CallRecord): void {
    this.markDialed(record);
    record.phase = 'ringing';
    record.ringingAt = new Date();
    this.publish(record);
    this.after(record, record.script.ringMs, () => {
      if (record.script.talkSeconds > 0) this.answer(record);
      else this.finish(record, this.scriptedEnd(record, record.script));
    });
  }

  private answer(record: CallRecord): void {
    record.phase = 'in_progress';
    record.startedAt = new Date();
    this.publish(record);
    this.after(record, record.script.talkSeconds * 1000, () =>
      this.finish(record, this.scriptedEnd(record, record.script)),
    );
  }

  private finish(record: CallRecord, end: CallEnd): void {
    clearTimeout(record.timer);
    record.phase = 'ended';
    record.end = end;
    this.publish(record);
  }

  private markDialed(record: CallRecord): void {
    record.dialed = true;
    const key = phoneKey(record.request.phone_number);
    this.dials.set(key, (this.dials.get(key) ?? 0) + 1);
  }

  private scriptedEnd(record: CallRecord, script: CallScript): CallEnd {
    return {
      status: script.endStatus,
      talkSeconds: script.talkSeconds,
      ringSeconds: record.dialed ? Math.round(script.ringMs / 1000) : 0,
      turns: script.turns,
      summary: script.summary,
      answeredBy: script.answeredBy,
      errorMessage: script.errorMessage,
      endedBy: script.endedBy,
    };
  }

  private silentEnd(record: CallRecord): CallEnd {
    const rangMs = record.ringingAt ? (Date.now() - record.ringingAt.getTime()) / this.options.timeScale : 0;
    return {
      status: 'canceled',
      talkSeconds: 0,
      ringSeconds: Math.round(rangMs / 1000),
      turns: [],
      summary: null,
      answeredBy: null,
      errorMessage: null,
      endedBy: null,
    };
  }

  /** Runs `step` after a simulated delay, scaled by timeScale. */
  private after(record: CallRecord, simulatedMs: number, step: () => void): void {
    clearTimeout(record.timer);
    record.timer = setTimeout(step, Math.max(1, simulatedMs * this.options.timeScale));
    record.timer.unref();
  }

  private publish(record: CallRecord): void {
    record.updatedAt = new Date();
    this.options.logger.debug({ callId: record.callId, phase: record.phase }, 'simulated call changed');
    const url = record.request.webhook;
    if (!url || (this.options.webhookEvents === 'terminal' && record.phase !== 'ended')) return;
    const details = renderDetails(record, this.options.baseUrl());
    const delivery: SimWebhookDelivery = { callStatus: details.status ?? '', attempts: 0, delivered: false };
    record.deliveries.push(delivery);
    this.options.webhooks.send(record.callId, url, JSON.stringify(details), delivery);
  }
}
