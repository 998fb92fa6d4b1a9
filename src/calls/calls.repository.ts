import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { DatabaseService, type Queryable } from '../database/database.service.js';
import { ACTIVE_STATUSES, type CallStatus } from './call-status.js';

export interface CallRecord {
  id: string;
  userId: string;
  apiKeyId: string | null;
  idempotencyKey: string | null;
  requestFingerprint: string;
  status: CallStatus;
  phoneNumber: string;
  fromNumber: string | null;
  task: string | null;
  pathwayId: string | null;
  voice: string | null;
  language: string | null;
  maxDurationMinutes: number;
  request: Record<string, unknown>;
  blandCallId: string | null;
  simulated: boolean;
  heldCredits: number;
  chargedCredits: number | null;
  answeredBy: string | null;
  durationSeconds: number | null;
  summary: string | null;
  recordingUrl: string | null;
  transcript: string | null;
  transcriptTurns: { speaker: string; text: string }[] | null;
  errorCode: string | null;
  errorMessage: string | null;
  scheduledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  dispatchedAt: Date | null;
  endedAt: Date | null;
  lastCheckedAt: Date | null;
  checkAttempts: number;
}

const COLUMNS = `id, user_id AS "userId", api_key_id AS "apiKeyId", idempotency_key AS "idempotencyKey",
  request_fingerprint AS "requestFingerprint", status, phone_number AS "phoneNumber", from_number AS "fromNumber",
  task, pathway_id AS "pathwayId", voice, language, max_duration_minutes AS "maxDurationMinutes", request,
  bland_call_id AS "blandCallId", simulated, held_credits AS "heldCredits", charged_credits AS "chargedCredits",
  answered_by AS "answeredBy", duration_seconds AS "durationSeconds", summary, recording_url AS "recordingUrl",
  transcript, transcript_turns AS "transcriptTurns", error_code AS "errorCode", error_message AS "errorMessage",
  scheduled_at AS "scheduledAt", created_at AS "createdAt", updated_at AS "updatedAt",
  dispatched_at AS "dispatchedAt", ended_at AS "endedAt", last_checked_at AS "lastCheckedAt",
  check_attempts AS "checkAttempts"`;

const toRecord = (row: Record<string, unknown>): CallRecord => ({
  ...(row as unknown as CallRecord),
  heldCredits: Number(row.heldCredits),
  chargedCredits: row.chargedCredits === null ? null : Number(row.chargedCredits),
});

/** Columns applyUpdate may set (camelCase → column). */
const UPDATABLE: Record<string, string> = {
  status: 'status',
  blandCallId: 'bland_call_id',
  chargedCredits: 'charged_credits',
  answeredBy: 'answered_by',
  durationSeconds: 'duration_seconds',
  summary: 'summary',
  recordingUrl: 'recording_url',
  transcript: 'transcript',
  transcriptTurns: 'transcript_turns',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  dispatchedAt: 'dispatched_at',
  endedAt: 'ended_at',
  lastCheckedAt: 'last_checked_at',
  checkAttempts: 'check_attempts',
};
export type CallChanges = Partial<Pick<CallRecord, keyof typeof UPDATABLE & keyof CallRecord>>;

export interface ListFilter {
  status?: CallStatus;
  phoneNumber?: string;
  since?: Date;
  until?: Date;
  /** Keyset cursor: calls strictly older than (createdAt, id). */
  before?: { createdAt: Date; id: string };
  limit: number;
}

@Injectable()
export class CallsRepository {
  constructor(private readonly db: DatabaseService) {}

  async insert(
    tx: pg.PoolClient,
    call: Pick<
      CallRecord,
      | 'id'
      | 'userId'
      | 'apiKeyId'
      | 'idempotencyKey'
      | 'requestFingerprint'
      | 'phoneNumber'
      | 'fromNumber'
      | 'task'
      | 'pathwayId'
      | 'voice'
      | 'language'
      | 'maxDurationMinutes'
      | 'request'
      | 'simulated'
      | 'heldCredits'
      | 'scheduledAt'
    >,
  ): Promise<CallRecord> {
    const { rows } = await tx.query(
      `INSERT INTO bland_mcp.calls (id, user_id, api_key_id, idempotency_key, request_fingerprint, status,
         phone_number, from_number, task, pathway_id, voice, language, max_duration_minutes, request, simulated,
         held_credits, scheduled_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       RETURNING ${COLUMNS}`,
      [
        call.id,
        call.userId,
        call.apiKeyId,
        call.idempotencyKey,
        call.requestFingerprint,
        call.phoneNumber,
        call.fromNumber,
        call.task,
        call.pathwayId,
        call.voice,
        call.language,
        call.maxDurationMinutes,
        JSON.stringify(call.request),
        call.simulated,
        call.heldCredits,
        call.scheduledAt,
      ],
    );
    return toRecord(rows[0]!);
  }

  /** Per-user counts for the safety policy, read inside the placing transaction (under the account lock). */
  async usage(tx: pg.PoolClient, userId: string): Promise<{ active: number; lastHour: number }> {
    const { rows } = await tx.query(
      `SELECT count(*) FILTER (WHERE status = ANY($2::text[]))::int AS active,
              count(*) FILTER (WHERE created_at > now() - interval '1 hour')::int AS "lastHour"
         FROM bland_mcp.calls
        WHERE user_id = $1 AND (status = ANY($2::text[]) OR created_at > now() - interval '1 hour')`,
      [userId, ACTIVE_STATUSES],
    );
    return rows[0] as { active: number; lastHour: number };
  }

  /**
   * Records Bland's acceptance of a dispatch in one statement: sets its call id and moves a pending (or
   * dispatch_unknown) call to queued. A webhook that already moved it further wins: statuses only go forward.
   */
  async markDispatched(id: string, blandCallId: string): Promise<CallRecord | undefined> {
    const { rows } = await this.db.query(
      `UPDATE bland_mcp.calls
          SET bland_call_id = COALESCE(bland_call_id, $2),
              status = CASE WHEN status IN ('pending', 'dispatch_unknown') THEN 'queued' ELSE status END,
              dispatched_at = COALESCE(dispatched_at, now()),
              updated_at = now()
        WHERE id = $1
        RETURNING ${COLUMNS}`,
      [id, blandCallId],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async findForUser(userId: string, id: string): Promise<CallRecord | undefined> {
    const { rows } = await this.db.query(
      `SELECT ${COLUMNS} FROM bland_mcp.calls WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async findByIdempotencyKey(userId: string, key: string): Promise<CallRecord | undefined> {
    const { rows } = await this.db.query(
      `SELECT ${COLUMNS} FROM bland_mcp.calls WHERE user_id = $1 AND idempotency_key = $2`,
      [userId, key],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Locks a call row for a state transition (webhook, poller, stop and dispatch serialise on it). */
  async lock(
    tx: pg.PoolClient,
    where: { id?: string; blandCallId?: string },
  ): Promise<CallRecord | undefined> {
    const { rows } = await tx.query(
      `SELECT ${COLUMNS} FROM bland_mcp.calls
        WHERE ($1::uuid IS NOT NULL AND id = $1) OR ($2::text IS NOT NULL AND bland_call_id = $2)
        ORDER BY (id = $1) DESC NULLS LAST LIMIT 1 FOR UPDATE`,
      [where.id ?? null, where.blandCallId ?? null],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async update(q: Queryable, id: string, changes: CallChanges): Promise<CallRecord> {
    const entries = Object.entries(changes).filter(([k, v]) => UPDATABLE[k] && v !== undefined);
    const sets = entries.map(([k], i) => `${UPDATABLE[k]} = $${i + 2}`);
    const values = entries.map(([k, v]) => (k === 'transcriptTurns' ? JSON.stringify(v) : v));
    const { rows } = await q.query(
      `UPDATE bland_mcp.calls SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...values],
    );
    return toRecord(rows[0]!);
  }

  async list(userId: string, f: ListFilter): Promise<CallRecord[]> {
    const { rows } = await this.db.query(
      `SELECT ${COLUMNS} FROM bland_mcp.calls
        WHERE user_id = $1
          AND ($2::text IS NULL OR status = $2)
          AND ($3::text IS NULL OR phone_number = $3)
          AND ($4::timestamptz IS NULL OR created_at >= $4)
          AND ($5::timestamptz IS NULL OR created_at < $5)
          AND ($6::timestamptz IS NULL OR (created_at, id) < ($6, $7::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $8`,
      [
        userId,
        f.status ?? null,
        f.phoneNumber ?? null,
        f.since ?? null,
        f.until ?? null,
        f.before?.createdAt ?? null,
        f.before?.id ?? null,
        f.limit,
      ],
    );
    return rows.map(toRecord);
  }

  /** Active calls for reconciliation, least recently checked first (uses the partial index calls_active). */
  async activeForReconciliation(limit: number): Promise<CallRecord[]> {
    const { rows } = await this.db.query(
      `SELECT ${COLUMNS} FROM bland_mcp.calls WHERE status = ANY($1::text[])
        ORDER BY last_checked_at NULLS FIRST, created_at LIMIT $2`,
      [ACTIVE_STATUSES, limit],
    );
    return rows.map(toRecord);
  }

  async countTerminal(ids: string[]): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bland_mcp.calls WHERE id = ANY($1::uuid[]) AND NOT (status = ANY($2::text[]))`,
      [ids, ACTIVE_STATUSES],
    );
    return rows[0]!.n;
  }

  async markChecked(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE bland_mcp.calls SET last_checked_at = now(), check_attempts = check_attempts + 1 WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }
}
