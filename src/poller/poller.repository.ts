import { ACTIVE_STATUSES } from '../calls/call-status.js';
import type { Queryable } from '../database/database.service.js';

/** The poller's own reads; every write to a call goes through CallsService. */
export class PollerRepository {
  constructor(private readonly db: Queryable) {}

  /** Calls the poller still has to follow (served by the partial index calls_active, whatever the history). */
  async countActive(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM bland_mcp.calls WHERE status = ANY($1::text[])',
      [ACTIVE_STATUSES],
    );
    return rows[0]!.n;
  }
}
