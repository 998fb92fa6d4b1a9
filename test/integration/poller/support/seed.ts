import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../../../src/database/database.service.js';

export const SEED_HOLD_CREDITS = 120;

/**
 * Inserts `count` dispatched, active calls straight into Postgres, spread over one account per 100 calls (as
 * placing them would leave them: status queued, a Bland call id `<prefix><n>`, a credit hold each). Settling them
 * locks their account rows, so a single account would serialise the poller on one row lock.
 */
export async function seedActiveCalls(
  db: Queryable,
  count: number,
  options: { prefix?: string; createdSecondsAgo?: number } = {},
): Promise<string[]> {
  const tag = randomBytes(4).toString('hex');
  const prefix = options.prefix ?? `seed-${tag}-`;
  const accounts = Math.max(1, Math.ceil(count / 100));
  await db.query(
    `WITH u AS (
       INSERT INTO bland_mcp.users (email)
       SELECT 'seed-' || $2 || '-' || g || '@example.com' FROM generate_series(1, $1::int) g RETURNING id)
     INSERT INTO bland_mcp.credit_accounts (user_id, balance) SELECT id, 1000000 FROM u`,
    [accounts, tag],
  );
  const { rows } = await db.query<{ id: string }>(
    `WITH accounts AS (
       SELECT array_agg(u.id ORDER BY u.id) AS ids FROM bland_mcp.users u WHERE u.email LIKE 'seed-' || $2 || '-%'),
     inserted AS (
       INSERT INTO bland_mcp.calls (id, user_id, request_fingerprint, status, phone_number, max_duration_minutes,
                                    request, bland_call_id, simulated, held_credits, created_at, dispatched_at)
       SELECT gen_random_uuid(), a.ids[1 + (g % array_length(a.ids, 1))], 'seed', 'queued',
              '+1415' || lpad(g::text, 7, '0'), 10, '{}'::jsonb, $3 || g, false, $4,
              now() - make_interval(secs => $5), now() - make_interval(secs => $5)
         FROM generate_series(1, $1::int) g, accounts a
       RETURNING id, user_id, held_credits),
     holds AS (
       INSERT INTO bland_mcp.ledger_entries (user_id, kind, amount, call_id, actor, balance_after, held_after)
       SELECT user_id, 'hold', held_credits, id, 'seed', 1000000, 0 FROM inserted)
     SELECT id FROM inserted`,
    [count, tag, prefix, SEED_HOLD_CREDITS, options.createdSecondsAgo ?? 60],
  );
  await db.query(
    `UPDATE bland_mcp.credit_accounts a SET held = s.held
       FROM (SELECT user_id, sum(held_credits) AS held FROM bland_mcp.calls WHERE request_fingerprint = 'seed'
              GROUP BY user_id) s
      WHERE a.user_id = s.user_id`,
  );
  return rows.map((r) => r.id);
}
