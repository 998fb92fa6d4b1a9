import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type pg from 'pg';
import type { AuthContext } from '../auth/auth-context.js';
import { AppError, invalidField, isUniqueViolation } from '../common/errors/app-error.js';
import { isStorableDate } from '../common/storable.js';
import { isUuid } from '../common/uuid.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CreditsService, type Balance } from '../credits/credits.service.js';
import { DatabaseService } from '../database/database.service.js';
import { BlandAmbiguousDispatchError, BlandError, BlandNotFoundError } from './bland/bland.errors.js';
import { mapBlandCall, type BlandCallUpdate } from './bland/bland.mapper.js';
import { BMCP_CALL_ID_METADATA_KEY, type BlandSendCallRequest } from './bland/bland.types.js';
import { BlandConnection } from './bland-connection.js';
import { blandFailureToAppError } from './bland-errors.mapping.js';
import { advances, isTerminal, type CallStatus } from './call-status.js';
import { CallsRepository, type CallChanges, type CallRecord } from './calls.repository.js';
import { checkDialable } from './phone-policy.js';
import { PlaceCallInput, type PlaceCallRequest } from './place-call.input.js';
import { PublicUrlService } from './public-url.service.js';
import { formatIssues } from './validation.js';

export interface PlacedCall {
  call: CallRecord;
  balance: Balance;
  /** True when an idempotency_key matched an earlier request: nothing new was dialled. */
  replayed: boolean;
}

export interface CallPage {
  calls: CallRecord[];
  nextCursor: string | null;
}

export type UpdateSource = 'webhook' | 'poll' | 'stop' | 'dispatch';

const MAX_SCHEDULE_AHEAD_MS = 30 * 86_400_000;

/** The call lifecycle: place (hold, dispatch exactly once), read, stop, and apply status updates monotonically. */
@Injectable()
export class CallsService {
  private readonly logger = new Logger(CallsService.name);

  constructor(
    private readonly db: DatabaseService,
    private readonly calls: CallsRepository,
    private readonly credits: CreditsService,
    private readonly bland: BlandConnection,
    private readonly publicUrl: PublicUrlService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get simulated(): boolean {
    return this.bland.simulated;
  }

  /**
   * Places a call. Order matters for "no money lost, no call dialled twice": the call row and its credit hold are
   * written in one transaction (status pending) BEFORE Bland is asked; only then is the request sent, once. A crash
   * after that leaves a pending call the poller reconciles by looking for our call id in Bland's call list.
   */
  async place(auth: AuthContext, raw: unknown): Promise<PlacedCall> {
    const parsed = PlaceCallInput.safeParse(raw);
    if (!parsed.success)
      throw new AppError('validation', 'VALIDATION.INVALID_INPUT', formatIssues(parsed.error));
    const input = parsed.data;
    const { request, maxDurationMinutes, phoneNumber, scheduledAt } = this.prepare(input);
    const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('hex');

    if (input.idempotency_key) {
      const earlier = await this.calls.findByIdempotencyKey(auth.userId, input.idempotency_key);
      if (earlier) return this.replay(auth, earlier, fingerprint);
    }

    const id = randomUUID();
    const hold = this.credits.holdFor(maxDurationMinutes);
    let call: CallRecord;
    let balance: Balance;
    try {
      ({ call, balance } = await this.db.transaction(async (tx) => {
        await this.credits.lockAccount(tx, auth.userId);
        await this.enforceUsageLimits(tx, auth.userId);
        const inserted = await this.calls.insert(tx, {
          id,
          userId: auth.userId,
          apiKeyId: auth.apiKeyId ?? null,
          idempotencyKey: input.idempotency_key ?? null,
          requestFingerprint: fingerprint,
          phoneNumber,
          fromNumber: request.from ?? null,
          task: request.task ?? null,
          pathwayId: request.pathway_id ?? null,
          voice: request.voice ?? null,
          language: request.language ?? null,
          maxDurationMinutes,
          request: request as Record<string, unknown>,
          simulated: this.bland.simulated,
          heldCredits: hold,
          scheduledAt,
        });
        return { call: inserted, balance: await this.credits.hold(auth.userId, id, hold, 'place_call', tx) };
      }));
    } catch (err) {
      if (input.idempotency_key && isUniqueViolation(err)) {
        const winner = await this.calls.findByIdempotencyKey(auth.userId, input.idempotency_key);
        if (winner) return this.replay(auth, winner, fingerprint);
      }
      throw err;
    }
    return { call: await this.dispatch(call, request), balance, replayed: false };
  }

  async get(auth: AuthContext, id: string): Promise<CallRecord> {
    const call = isUuid(id) ? await this.calls.findForUser(auth.userId, id) : undefined;
    if (!call) throw new AppError('not_found', 'CALLS.NOT_FOUND', `call_id: no call ${id} in your account`);
    return call;
  }

  async list(
    auth: AuthContext,
    filter: {
      status?: CallStatus;
      phoneNumber?: string;
      since?: Date;
      until?: Date;
      limit?: number;
      cursor?: string | null;
    },
  ): Promise<CallPage> {
    const limit = Math.min(Math.max(filter.limit ?? 20, 1), 100);
    const calls = await this.calls.list(auth.userId, {
      status: filter.status,
      phoneNumber: filter.phoneNumber,
      since: filter.since,
      until: filter.until,
      before: filter.cursor ? decodeCursor(filter.cursor) : undefined,
      limit,
    });
    const last = calls.at(-1);
    return { calls, nextCursor: calls.length === limit && last ? encodeCursor(last) : null };
  }

  /** Stops a live call or cancels a scheduled one. Idempotent: stopping an ended call returns it unchanged. */
  async stop(auth: AuthContext, id: string): Promise<CallRecord> {
    const call = await this.get(auth, id);
    if (isTerminal(call.status)) return call;
    if (!call.blandCallId) {
      throw new AppError(
        'conflict',
        'CALLS.NOT_YET_DISPATCHED',
        `call_id: call ${id} is still being handed to Bland (status ${call.status}); try stop_call again in a few seconds`,
        {},
        { retryable: true, retryAfterSeconds: 5 },
      );
    }
    try {
      await this.bland.client.stopCall(call.blandCallId);
    } catch (err) {
      if (!(err instanceof BlandNotFoundError)) {
        throw err instanceof BlandError ? blandFailureToAppError(err) : err;
      }
    }
    const details = await this.bland.client.getCall(call.blandCallId);
    return (await this.applyUpdate(mapBlandCall(details), 'stop')) ?? call;
  }

  /**
   * Applies a Bland status update (webhook, poll, stop). Under the call's row lock: statuses only move forward,
   * terminal is final (later updates may only fill in missing details), and the transition to terminal settles
   * credits in the same transaction — exactly once, however webhooks and polls race.
   */
  async applyUpdate(update: BlandCallUpdate, source: UpdateSource): Promise<CallRecord | undefined> {
    return this.db.transaction(async (tx) => {
      // Our ids are UUIDs: any other value in Bland's metadata is not ours (and must not reach a uuid column).
      const ourId = update.ourCallId && isUuid(update.ourCallId) ? update.ourCallId : undefined;
      const call = await this.calls.lock(tx, { id: ourId, blandCallId: update.blandCallId });
      if (!call) {
        this.logger.warn(`${source}: update for unknown Bland call ${update.blandCallId} ignored`);
        return undefined;
      }
      const changes: CallChanges = {};
      if (!call.blandCallId && update.blandCallId) changes.blandCallId = update.blandCallId;
      if (!call.dispatchedAt) changes.dispatchedAt = new Date();
      if (isTerminal(call.status)) {
        Object.assign(changes, fillMissing(call, update));
      } else if (advances(call.status, update.status)) {
        changes.status = update.status;
        if (update.answeredBy) changes.answeredBy = update.answeredBy;
        if (update.terminal) {
          Object.assign(changes, terminalDetails(update));
          changes.chargedCredits = await this.settle(tx, call, update);
        }
      }
      if (Object.keys(changes).length === 0) return call;
      return this.calls.update(tx, call.id, changes);
    });
  }

  /** Marks an active call failed and releases its hold (nothing is known to have been spent). */
  async failAndRelease(callId: string, code: string, message: string): Promise<CallRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const call = await this.calls.lock(tx, { id: callId });
      if (!call || isTerminal(call.status)) return call;
      const released = await this.credits.release(call.id, 'system', tx);
      return this.calls.update(tx, call.id, {
        status: 'failed',
        errorCode: code,
        errorMessage: message,
        endedAt: new Date(),
        chargedCredits: released.charged,
      });
    });
  }

  // ---- internals ---------------------------------------------------------------------------------------------------

  /** Validation beyond the schema (limits from config, phone policy) and the Bland request we will send. */
  private prepare(input: PlaceCallRequest) {
    const maxDurationMinutes = input.max_duration_minutes ?? this.config.DEFAULT_MAX_DURATION_MINUTES;
    if (maxDurationMinutes > this.config.MAX_CALL_DURATION_MINUTES) {
      throw invalidField(
        'max_duration_minutes',
        `must be between 1 and ${this.config.MAX_CALL_DURATION_MINUTES}`,
      );
    }
    const allowed = this.config.CALL_ALLOWED_COUNTRIES.map((c) => c.toUpperCase());
    const phoneNumber = checkDialable(input.phone_number, 'phone_number', allowed).e164;
    const transfer = input.transfer_phone_number
      ? checkDialable(input.transfer_phone_number, 'transfer_phone_number', allowed).e164
      : undefined;
    const from = input.from ? checkDialable(input.from, 'from', []).e164 : undefined;
    let scheduledAt: Date | null = null;
    if (input.start_time) {
      scheduledAt = new Date(input.start_time);
      const ahead = scheduledAt.getTime() - Date.now();
      if (ahead <= 0) throw invalidField('start_time', 'must be in the future (omit it to call now)');
      if (ahead > MAX_SCHEDULE_AHEAD_MS) throw invalidField('start_time', 'must be within 30 days');
    }
    const request: Omit<BlandSendCallRequest, 'metadata' | 'webhook'> & {
      metadata?: Record<string, unknown>;
    } = {
      phone_number: phoneNumber,
      task: input.task,
      pathway_id: input.pathway_id,
      voice: input.voice,
      first_sentence: input.first_sentence,
      max_duration: maxDurationMinutes,
      wait_for_greeting: input.wait_for_greeting,
      record: input.record,
      language: input.language,
      from,
      transfer_phone_number: transfer,
      voicemail: input.voicemail,
      start_time: scheduledAt ? toBlandTime(scheduledAt) : undefined,
      request_data: input.request_data,
      metadata: input.metadata,
    };
    return { request: dropUndefined(request), maxDurationMinutes, phoneNumber, scheduledAt };
  }

  private async enforceUsageLimits(tx: pg.PoolClient, userId: string): Promise<void> {
    const usage = await this.calls.usage(tx, userId);
    if (usage.active >= this.config.MAX_CONCURRENT_CALLS_PER_USER) {
      throw new AppError(
        'rate_limited',
        'CALLS.TOO_MANY_ACTIVE',
        `you already have ${usage.active} calls in progress (limit ${this.config.MAX_CONCURRENT_CALLS_PER_USER}); wait for one to end or stop it`,
        { active: usage.active },
        { retryAfterSeconds: 30 },
      );
    }
    if (usage.lastHour >= this.config.MAX_CALLS_PER_HOUR_PER_USER) {
      throw new AppError(
        'rate_limited',
        'CALLS.HOURLY_LIMIT',
        `you placed ${usage.lastHour} calls in the last hour (limit ${this.config.MAX_CALLS_PER_HOUR_PER_USER}); try again later`,
        { lastHour: usage.lastHour },
        { retryAfterSeconds: 300 },
      );
    }
  }

  private async replay(auth: AuthContext, earlier: CallRecord, fingerprint: string): Promise<PlacedCall> {
    if (earlier.requestFingerprint !== fingerprint) {
      throw new AppError(
        'conflict',
        'CALLS.IDEMPOTENCY_KEY_REUSED',
        `idempotency_key: already used for a different call (${earlier.id}); use a new key for a new call`,
        { callId: earlier.id },
      );
    }
    return { call: earlier, balance: await this.credits.balance(auth.userId), replayed: true };
  }

  /** Sends the call to Bland exactly once and records what we learnt. Never retried automatically. */
  private async dispatch(
    call: CallRecord,
    request: Omit<BlandSendCallRequest, 'webhook'>,
  ): Promise<CallRecord> {
    const base = this.publicUrl.get();
    const body: BlandSendCallRequest = {
      ...request,
      metadata: { ...(request.metadata ?? {}), [BMCP_CALL_ID_METADATA_KEY]: call.id },
      ...(base && this.bland.webhookSecret ? { webhook: `${base}/webhooks/bland` } : {}),
    };
    try {
      const sent = await this.bland.client.sendCall(body);
      return (await this.calls.markDispatched(call.id, sent.call_id)) ?? call;
    } catch (err) {
      if (err instanceof BlandAmbiguousDispatchError) {
        this.logger.warn(
          `call ${call.id}: dispatch outcome unknown (${err.reason}); holding credits until reconciled`,
        );
        return this.markDispatchUnknown(call, err);
      }
      if (err instanceof BlandError) {
        await this.failAndRelease(call.id, err.code, err.message);
        throw blandFailureToAppError(err);
      }
      // Not a Bland answer at all (a bug in between): we cannot know whether it was sent.
      this.logger.error(`call ${call.id}: unexpected dispatch failure: ${(err as Error).message}`);
      return this.markDispatchUnknown(call, err as Error);
    }
  }

  private async markDispatchUnknown(call: CallRecord, err: Error): Promise<CallRecord> {
    return this.db.transaction(async (tx) => {
      const current = await this.calls.lock(tx, { id: call.id });
      if (!current || current.status !== 'pending') return current ?? call; // a webhook already told us more
      return this.calls.update(tx, call.id, {
        status: 'dispatch_unknown',
        errorCode: 'BLAND.DISPATCH_UNKNOWN',
        errorMessage: `dispatch outcome unknown (${err.message}); reconciling with Bland`,
      });
    });
  }

  private async settle(tx: pg.PoolClient, call: CallRecord, update: BlandCallUpdate): Promise<number> {
    // A scheduled call cancelled before it ever rang cost nothing.
    const neverStarted = update.status === 'canceled' && !update.startedAt && !update.durationSeconds;
    const result = neverStarted
      ? await this.credits.release(call.id, 'system', tx)
      : await this.credits.settle(call.id, update.durationSeconds ?? 0, 'system', tx);
    return result.charged;
  }
}

function terminalDetails(u: BlandCallUpdate): CallChanges {
  return {
    durationSeconds: u.durationSeconds ?? 0,
    answeredBy: u.answeredBy,
    summary: u.summary,
    recordingUrl: u.recordingUrl,
    transcript: u.transcript,
    transcriptTurns: u.transcriptTurns,
    errorMessage: u.errorMessage,
    endedAt: u.endedAt ?? new Date(),
  };
}

/** After the terminal transition, later updates may only fill in what was missing (e.g. the recording URL). */
function fillMissing(call: CallRecord, u: BlandCallUpdate): CallChanges {
  const out: CallChanges = {};
  if (!call.summary && u.summary) out.summary = u.summary;
  if (!call.recordingUrl && u.recordingUrl) out.recordingUrl = u.recordingUrl;
  if (!call.transcript && u.transcript) out.transcript = u.transcript;
  if (!call.transcriptTurns && u.transcriptTurns) out.transcriptTurns = u.transcriptTurns;
  if (!call.answeredBy && u.answeredBy) out.answeredBy = u.answeredBy;
  return out;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Bland's start_time format: `YYYY-MM-DD HH:MM:SS +00:00` (we always send UTC). */
function toBlandTime(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} +00:00`;
}

function encodeCursor(c: CallRecord): string {
  return Buffer.from(JSON.stringify([c.createdAt.toISOString(), c.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(createdAt);
    if (!isStorableDate(date) || !isUuid(id)) throw new Error('bad');
    return { createdAt: date, id };
  } catch {
    throw invalidField('cursor', 'not a cursor returned by a previous page', 'VALIDATION.INVALID_CURSOR');
  }
}
