import type { Queryable } from '../../../src/database/database.service.js';
import { TERMINAL } from '../../../src/calls/call-status.js';

/**
 * The money invariants, read straight from the database: whatever a fuzzer threw at the app, every row must still
 * satisfy them. Returns one line per violation (empty when the books balance).
 *
 * - every call has exactly one hold; at most one capture and one release;
 * - a terminal call has exactly one release, a live call none (and no capture);
 * - capture + release = hold, and the call's charged_credits equals its capture;
 * - per account: held >= 0, balance - held >= 0, held = the holds not yet released,
 *   balance = grants + adjustments + refunds - captures.
 */
export async function creditViolations(db: Queryable): Promise<string[]> {
  const terminal = [...TERMINAL];
  const calls = await db.query(
    `WITH per_call AS (
       SELECT c.id, c.status, c.charged_credits,
              count(*) FILTER (WHERE e.kind = 'hold') AS holds,
              count(*) FILTER (WHERE e.kind = 'capture') AS captures,
              count(*) FILTER (WHERE e.kind = 'release') AS releases,
              coalesce(sum(e.amount) FILTER (WHERE e.kind = 'hold'), 0) AS held,
              coalesce(sum(e.amount) FILTER (WHERE e.kind = 'capture'), 0) AS captured,
              coalesce(sum(e.amount) FILTER (WHERE e.kind = 'release'), 0) AS released
         FROM bland_mcp.calls c LEFT JOIN bland_mcp.ledger_entries e ON e.call_id = c.id
        GROUP BY c.id)
     SELECT * FROM per_call
      WHERE holds <> 1 OR captures > 1 OR releases > 1
         OR (status = ANY($1::text[]) AND releases <> 1)
         OR (NOT status = ANY($1::text[]) AND (releases > 0 OR captures > 0))
         OR (releases = 1 AND captured + released <> held)
         OR (status = ANY($1::text[]) AND charged_credits IS DISTINCT FROM captured)`,
    [terminal],
  );
  const orphans = await db.query(
    `SELECT e.id, e.kind, e.call_id FROM bland_mcp.ledger_entries e
      WHERE e.call_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM bland_mcp.calls c WHERE c.id = e.call_id AND c.user_id = e.user_id)`,
  );
  const accounts = await db.query(
    `SELECT a.user_id, a.balance, a.held, expected.balance AS expected_balance, expected.held AS expected_held
       FROM bland_mcp.credit_accounts a
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(amount) FILTER (WHERE kind IN ('grant', 'adjust', 'refund')), 0)
                  - coalesce(sum(amount) FILTER (WHERE kind = 'capture'), 0) AS balance,
                coalesce(sum(amount) FILTER (
                  WHERE kind = 'hold' AND NOT EXISTS (
                    SELECT 1 FROM bland_mcp.ledger_entries r WHERE r.call_id = l.call_id AND r.kind = 'release')
                ), 0) AS held
           FROM bland_mcp.ledger_entries l WHERE l.user_id = a.user_id) expected
      WHERE a.held < 0 OR a.balance - a.held < 0 OR a.balance <> expected.balance OR a.held <> expected.held`,
  );
  return [
    ...calls.rows.map((r) => `call ${JSON.stringify(r)}`),
    ...orphans.rows.map((r) => `ledger entry for a missing call ${JSON.stringify(r)}`),
    ...accounts.rows.map((r) => `account ${JSON.stringify(r)}`),
  ];
}
