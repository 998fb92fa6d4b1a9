import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service.js';

export interface LeaseRow {
  name: string;
  owner: string | null;
  expires_at: Date | null;
  heartbeat_at: Date | null;
  last_success_at: Date | null;
  last_summary: unknown;
}

/**
 * Named leases in Postgres: at most one holder at a time across every process (app instances and the Lambda).
 * Each operation is one atomic statement, so it is safe through Supabase's transaction pooler.
 */
@Injectable()
export class LeaseRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Takes the lease if it is free, expired, or already ours. Returns true when `owner` now holds it. */
  async tryAcquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO bland_mcp.leases AS l (name, owner, acquired_at, expires_at, heartbeat_at)
       VALUES ($1, $2, now(), now() + make_interval(secs => $3 / 1000.0), now())
       ON CONFLICT (name) DO UPDATE
         SET owner = EXCLUDED.owner, acquired_at = now(), expires_at = EXCLUDED.expires_at, heartbeat_at = now()
         WHERE l.owner IS NULL OR l.expires_at < now() OR l.owner = EXCLUDED.owner`,
      [name, owner, ttlMs],
    );
    return rowCount === 1;
  }

  /** Extends a lease we hold; false if it was lost (expired and taken by someone else). */
  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE bland_mcp.leases SET expires_at = now() + make_interval(secs => $3 / 1000.0), heartbeat_at = now()
       WHERE name = $1 AND owner = $2`,
      [name, owner, ttlMs],
    );
    return rowCount === 1;
  }

  /** Releases the lease; with `summary`, also records a successful run. */
  async release(name: string, owner: string, summary?: unknown): Promise<void> {
    await this.db.query(
      `UPDATE bland_mcp.leases
         SET owner = NULL, expires_at = NULL,
             last_success_at = CASE WHEN $3::jsonb IS NULL THEN last_success_at ELSE now() END,
             last_summary = COALESCE($3::jsonb, last_summary)
       WHERE name = $1 AND owner = $2`,
      [name, owner, summary === undefined ? null : JSON.stringify(summary)],
    );
  }

  async get(name: string): Promise<LeaseRow | undefined> {
    const { rows } = await this.db.query<LeaseRow>(
      'SELECT name, owner, expires_at, heartbeat_at, last_success_at, last_summary FROM bland_mcp.leases WHERE name = $1',
      [name],
    );
    return rows[0];
  }
}
