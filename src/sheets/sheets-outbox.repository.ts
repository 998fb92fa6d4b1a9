import type { DatabaseService, Queryable } from '../database/database.service.js';
import { TEXT_FETCH_LIMIT, type CallSnapshot } from './sheet-row.js';

/** The sheet a row number belongs to. */
export interface SheetRef {
  spreadsheetId: string;
  tab: string;
}

/** A call whose latest state is not yet in the sheet, read in one snapshot with its version. */
export interface PendingChange {
  callId: string;
  /** bigint, kept as text. */
  version: string;
  attempts: number;
  /** An append was sent and its outcome never recorded: the row may already be in the sheet. */
  appendUnconfirmed: boolean;
  row: number | null;
  call: CallSnapshot;
}

export interface ParkedChange {
  callId: string;
  reason: string | null;
  parkedAt: Date;
}

export interface OutboxStats {
  pending: number;
  parked: number;
  oldestPendingSeconds: number;
}

type ClaimRow = CallSnapshot & {
  version: string;
  attempts: number;
  append_unconfirmed: boolean;
  row_number: number | null;
};

/**
 * The outbox rows among $1 that the drain may change right now. The drain never waits for a row lock: a request
 * writing a call holds that call's outbox row (through the trigger) until it commits, and a multi-row drain
 * statement that waited for it while holding other rows could deadlock with a multi-row write to calls. A row
 * skipped here just stays as it is, which every caller treats as "not this time".
 */
const LOCKED = `locked AS (SELECT call_id, version FROM bland_mcp.sheets_outbox
                            WHERE call_id = ANY($1::uuid[]) ORDER BY call_id FOR UPDATE SKIP LOCKED)`;

const CLAIM_SQL = `
SELECT o.version, o.attempts, o.append_sent_at IS NOT NULL AS append_unconfirmed, r.row_number,
       c.id, c.created_at, c.user_id, u.email AS user_email, k.last4 AS api_key_last4, c.phone_number, c.status,
       c.answered_by, c.duration_seconds, c.held_credits, c.charged_credits, c.voice, left(c.task, $4) AS task,
       c.from_number, left(c.summary, $4) AS summary, c.recording_url, left(c.transcript, $4) AS transcript,
       c.error_code, left(c.error_message, $4) AS error_message, c.updated_at, c.simulated
  FROM bland_mcp.sheets_outbox o
  JOIN bland_mcp.calls c ON c.id = o.call_id
  JOIN bland_mcp.users u ON u.id = c.user_id
  LEFT JOIN bland_mcp.api_keys k ON k.id = c.api_key_id
  LEFT JOIN bland_mcp.sheets_rows r ON r.spreadsheet_id = $1 AND r.tab = $2 AND r.call_id = o.call_id
 WHERE o.parked_at IS NULL AND o.next_attempt_at <= now()
 ORDER BY o.enqueued_at, o.call_id
 LIMIT $3`;

/**
 * The Sheets outbox (filled by a trigger on bland_mcp.calls) and the row numbers of calls already in the sheet.
 * Only the lease holder writes here, but every statement stays correct if a call changes concurrently: entries
 * are deleted only at the version that was sent.
 */
export class SheetsOutboxRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * How much is due (counted up to `limit`), and whether a drain started within the last `gapMs` (when the
   * drain lease was last taken, on the database clock).
   */
  async dueWork(
    limit: number,
    lease: string,
    gapMs: number,
  ): Promise<{ due: number; drainedRecently: boolean }> {
    const { rows } = await this.db.query<{ due: number; recent: boolean }>(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM bland_mcp.sheets_outbox
                                      WHERE parked_at IS NULL AND next_attempt_at <= now() LIMIT $1) d)::int AS due,
              coalesce((SELECT acquired_at > now() - make_interval(secs => $3::float8 / 1000)
                          FROM bland_mcp.leases WHERE name = $2), false) AS recent`,
      [limit, lease, gapMs],
    );
    return { due: rows[0]?.due ?? 0, drainedRecently: rows[0]?.recent ?? false };
  }

  /** The oldest due changes, with each call's current state and its row in `sheet` if it has one. */
  async claim(sheet: SheetRef, limit: number): Promise<PendingChange[]> {
    const { rows } = await this.db.query<ClaimRow>(CLAIM_SQL, [
      sheet.spreadsheetId,
      sheet.tab,
      limit,
      TEXT_FETCH_LIMIT,
    ]);
    return rows.map(({ version, attempts, append_unconfirmed, row_number, ...call }) => ({
      callId: call.id,
      version,
      attempts,
      appendUnconfirmed: append_unconfirmed,
      row: row_number,
      call,
    }));
  }

  /**
   * Written before a values.append goes out, so a lost response or a crash cannot lead to a second append.
   * Returns the calls marked: only those may be sent now (see {@link LOCKED}).
   */
  async markAppendSent(callIds: string[]): Promise<Set<string>> {
    const { rows } = await this.db.query<{ call_id: string }>(
      `WITH ${LOCKED}
       UPDATE bland_mcp.sheets_outbox o SET append_sent_at = now() FROM locked
        WHERE o.call_id = locked.call_id RETURNING o.call_id`,
      [callIds],
    );
    return new Set(rows.map((r) => r.call_id));
  }

  /** The append certainly did not land (refused, or not found in the sheet). */
  async clearAppendMarker(callIds: string[], q: Queryable = this.db.pool): Promise<void> {
    await q.query(
      `WITH ${LOCKED}
       UPDATE bland_mcp.sheets_outbox o SET append_sent_at = NULL FROM locked WHERE o.call_id = locked.call_id`,
      [callIds],
    );
  }

  /** Row numbers found or assigned in the sheet; their append markers are settled. */
  async recordRows(sheet: SheetRef, rows: { callId: string; row: number }[], tx?: Queryable): Promise<void> {
    const run = async (q: Queryable) => {
      await q.query(
        `INSERT INTO bland_mcp.sheets_rows AS s (spreadsheet_id, tab, call_id, row_number)
         SELECT $1, $2, call_id, row_number FROM unnest($3::uuid[], $4::int[]) AS i(call_id, row_number)
         ON CONFLICT (spreadsheet_id, tab, call_id) DO UPDATE SET row_number = EXCLUDED.row_number, recorded_at = now()`,
        [sheet.spreadsheetId, sheet.tab, rows.map((r) => r.callId), rows.map((r) => r.row)],
      );
      await this.clearAppendMarker(
        rows.map((r) => r.callId),
        q,
      );
    };
    if (tx) return run(tx);
    await this.db.transaction(run);
  }

  /** After a successful append: row numbers, markers and completion in one transaction. */
  async completeAppend(sheet: SheetRef, appended: { change: PendingChange; row: number }[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.recordRows(
        sheet,
        appended.map((a) => ({ callId: a.change.callId, row: a.row })),
        tx,
      );
      await this.complete(
        appended.map((a) => a.change),
        tx,
      );
    });
  }

  /**
   * The sheet now shows these versions: their entries are deleted, unless the call changed meanwhile (a newer
   * version stays queued, with a clean attempt count).
   */
  async complete(
    changes: Pick<PendingChange, 'callId' | 'version'>[],
    q: Queryable = this.db.pool,
  ): Promise<void> {
    // `locked` holds each row's latest version (FOR UPDATE reads past the statement's snapshot).
    await q.query(
      `WITH ${LOCKED},
            sent AS (SELECT * FROM unnest($1::uuid[], $2::bigint[]) AS s(call_id, version)),
            done AS (DELETE FROM bland_mcp.sheets_outbox o USING locked, sent
                      WHERE o.call_id = locked.call_id AND sent.call_id = locked.call_id
                        AND sent.version = locked.version
                  RETURNING o.call_id)
       UPDATE bland_mcp.sheets_outbox o SET attempts = 0, last_error = NULL
         FROM locked WHERE o.call_id = locked.call_id AND o.call_id NOT IN (SELECT call_id FROM done)`,
      [changes.map((c) => c.callId), changes.map((c) => c.version)],
    );
  }

  /**
   * A transient failure: one more attempt, retried no sooner than `retryInMs`; parked once `maxAttempts` is
   * reached. Returns the calls that were parked.
   */
  async recordFailure(
    callIds: string[],
    reason: string,
    maxAttempts: number,
    retryInMs: number,
  ): Promise<string[]> {
    const { rows } = await this.db.query<{ call_id: string; parked: boolean }>(
      `WITH ${LOCKED}
       UPDATE bland_mcp.sheets_outbox o
          SET attempts = attempts + 1,
              last_error = CASE WHEN attempts + 1 >= $3 THEN format('gave up after %s attempts: %s', $3, $2::text)
                                ELSE $2::text END,
              parked_at = CASE WHEN attempts + 1 >= $3 THEN now() END,
              next_attempt_at = now() + make_interval(secs => $4::float8 / 1000)
         FROM locked WHERE o.call_id = locked.call_id
       RETURNING o.call_id, o.parked_at IS NOT NULL AS parked`,
      [callIds, reason, maxAttempts, retryInMs],
    );
    return rows.filter((r) => r.parked).map((r) => r.call_id);
  }

  /** Dead letter: kept with its reason, retried after a redrive or when the call changes again. */
  async park(callIds: string[], reason: string): Promise<void> {
    await this.db.query(
      `WITH ${LOCKED}
       UPDATE bland_mcp.sheets_outbox o SET parked_at = now(), last_error = $2, append_sent_at = NULL
         FROM locked WHERE o.call_id = locked.call_id`,
      [callIds, reason],
    );
  }

  /** Puts parked changes (all, or the given calls) back in the queue. Returns how many. */
  async redrive(callIds?: string[]): Promise<number> {
    const { rowCount } = await this.db.query(
      `UPDATE bland_mcp.sheets_outbox SET parked_at = NULL, attempts = 0, next_attempt_at = now()
        WHERE parked_at IS NOT NULL AND ($1::uuid[] IS NULL OR call_id = ANY($1::uuid[]))`,
      [callIds ?? null],
    );
    return rowCount ?? 0;
  }

  async listParked(limit = 100): Promise<ParkedChange[]> {
    const { rows } = await this.db.query<{ call_id: string; last_error: string | null; parked_at: Date }>(
      `SELECT call_id, last_error, parked_at FROM bland_mcp.sheets_outbox
        WHERE parked_at IS NOT NULL ORDER BY parked_at, call_id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ callId: r.call_id, reason: r.last_error, parkedAt: r.parked_at }));
  }

  /** A tab we had to create holds none of the rows we knew: they will be appended afresh when they change. */
  async forgetRows(sheet: SheetRef): Promise<void> {
    await this.db.query('DELETE FROM bland_mcp.sheets_rows WHERE spreadsheet_id = $1 AND tab = $2', [
      sheet.spreadsheetId,
      sheet.tab,
    ]);
  }

  async stats(): Promise<OutboxStats> {
    const { rows } = await this.db.query<{ pending: number; parked: number; oldest_s: number }>(
      `SELECT count(*) FILTER (WHERE parked_at IS NULL)::int AS pending,
              count(*) FILTER (WHERE parked_at IS NOT NULL)::int AS parked,
              coalesce(extract(epoch FROM now() - min(enqueued_at) FILTER (WHERE parked_at IS NULL)), 0)::float8
                AS oldest_s
         FROM bland_mcp.sheets_outbox`,
    );
    const row = rows[0];
    return { pending: row?.pending ?? 0, parked: row?.parked ?? 0, oldestPendingSeconds: row?.oldest_s ?? 0 };
  }
}
