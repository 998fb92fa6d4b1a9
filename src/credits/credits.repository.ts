import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { DatabaseService, type Queryable } from '../database/database.service.js';

export type LedgerKind = 'grant' | 'adjust' | 'hold' | 'capture' | 'release' | 'refund';

export interface AccountRow {
  balance: number;
  held: number;
}

export interface LedgerEntry {
  id: number;
  kind: LedgerKind;
  amount: number;
  callId: string | null;
  reason: string | null;
  actor: string;
  balanceAfter: number;
  heldAfter: number;
  createdAt: Date;
}

const ENTRY_COLUMNS = `id, kind, amount, call_id AS "callId", reason, actor, balance_after AS "balanceAfter",
  held_after AS "heldAfter", created_at AS "createdAt"`;

// bigint columns come back from pg as strings; credit amounts fit comfortably in a JS number.
const toEntry = (r: Record<string, unknown>): LedgerEntry => ({
  ...(r as unknown as LedgerEntry),
  id: Number(r.id),
  amount: Number(r.amount),
  balanceAfter: Number(r.balanceAfter),
  heldAfter: Number(r.heldAfter),
});

/**
 * All SQL for credit accounts and the append-only ledger. Each balance change is ONE statement (a CTE that updates
 * the account row and appends the entry) or one transaction holding the account row lock — never a read followed
 * by a write in another round trip. The database constraints (held >= 0, balance - held >= 0, one
 * hold/capture/release/refund per call) are the final word; the service maps their violations to clear errors.
 *
 * Ledger `amount` is the magnitude of the operation: grant +balance, adjust ±balance (signed), hold +held,
 * capture −balance −held, release −held, refund +balance.
 */
@Injectable()
export class CreditsRepository {
  constructor(private readonly db: DatabaseService) {}

  async createAccount(tx: pg.PoolClient, userId: string): Promise<void> {
    await tx.query('INSERT INTO bland_mcp.credit_accounts (user_id) VALUES ($1)', [userId]);
  }

  async account(userId: string, tx?: pg.PoolClient): Promise<AccountRow | undefined> {
    const { rows } = await ((tx ?? this.db) as Queryable).query(
      'SELECT balance, held FROM bland_mcp.credit_accounts WHERE user_id = $1',
      [userId],
    );
    return rows[0] ? { balance: Number(rows[0].balance), held: Number(rows[0].held) } : undefined;
  }

  /** grant (amount > 0) or adjust (signed). Returns the entry, or undefined if the user has no account. */
  async changeBalance(
    userId: string,
    kind: 'grant' | 'adjust',
    amount: number,
    reason: string | null,
    actor: string,
  ): Promise<LedgerEntry | undefined> {
    const { rows } = await this.db.query(
      `WITH account AS (
         UPDATE bland_mcp.credit_accounts SET balance = balance + $3, updated_at = now()
          WHERE user_id = $1 RETURNING balance, held)
       INSERT INTO bland_mcp.ledger_entries (user_id, kind, amount, reason, actor, balance_after, held_after)
       SELECT $1, $2, $3, $4, $5, balance, held FROM account
       RETURNING ${ENTRY_COLUMNS}`,
      [userId, kind, amount, reason, actor],
    );
    return rows[0] ? toEntry(rows[0]) : undefined;
  }

  /**
   * Holds `amount` for `callId` if the account can afford it. Concurrent holds on one account serialise on its
   * row lock and re-check `balance - held` against the committed row, so they can never overdraw it.
   * Returns undefined when the account cannot afford it (or a hold for this call already exists).
   */
  async hold(
    userId: string,
    callId: string,
    amount: number,
    actor: string,
    tx?: pg.PoolClient,
  ): Promise<LedgerEntry | undefined> {
    const { rows } = await ((tx ?? this.db) as Queryable).query(
      `WITH account AS (
         UPDATE bland_mcp.credit_accounts SET held = held + $3, updated_at = now()
          WHERE user_id = $1 AND balance - held >= $3
            AND NOT EXISTS (SELECT 1 FROM bland_mcp.ledger_entries WHERE call_id = $2 AND kind = 'hold')
          RETURNING balance, held)
       INSERT INTO bland_mcp.ledger_entries (user_id, kind, amount, call_id, actor, balance_after, held_after)
       SELECT $1, 'hold', $3, $2, $4, balance, held FROM account
       RETURNING ${ENTRY_COLUMNS}`,
      [userId, callId, amount, actor],
    );
    return rows[0] ? toEntry(rows[0]) : undefined;
  }

  async entriesForCall(callId: string, tx?: pg.PoolClient): Promise<(LedgerEntry & { userId: string })[]> {
    const { rows } = await ((tx ?? this.db) as Queryable).query(
      `SELECT ${ENTRY_COLUMNS}, user_id AS "userId" FROM bland_mcp.ledger_entries WHERE call_id = $1 ORDER BY id`,
      [callId],
    );
    return rows.map((r) => ({ ...toEntry(r), userId: r.userId as string }));
  }

  /**
   * Ends a hold: captures `charge` (≤ the hold) and releases the rest, in one transaction under the account row
   * lock. Exactly once per call: a second caller waits for the lock, then finds the entries and changes nothing.
   * `decide` gets the held amount and returns the charge.
   */
  async settle(
    callId: string,
    actor: string,
    decide: (held: number) => number,
    outerTx?: pg.PoolClient,
  ): Promise<{ outcome: 'settled' | 'already_settled' | 'no_hold'; charged: number; released: number }> {
    const run = async (tx: pg.PoolClient) => {
      const { rows: holds } = await tx.query(
        `SELECT user_id, amount FROM bland_mcp.ledger_entries WHERE call_id = $1 AND kind = 'hold'`,
        [callId],
      );
      if (!holds[0]) return { outcome: 'no_hold' as const, charged: 0, released: 0 };
      const userId = holds[0].user_id as string;
      const held = Number(holds[0].amount);
      await tx.query('SELECT 1 FROM bland_mcp.credit_accounts WHERE user_id = $1 FOR UPDATE', [userId]);
      const { rows: done } = await tx.query(
        `SELECT kind, amount FROM bland_mcp.ledger_entries WHERE call_id = $1 AND kind IN ('capture', 'release')`,
        [callId],
      );
      if (done.length > 0) {
        const charged = Number(done.find((d) => d.kind === 'capture')?.amount ?? 0);
        return { outcome: 'already_settled' as const, charged, released: held - charged };
      }
      const charge = Math.max(0, Math.min(held, decide(held)));
      const { rows: after } = await tx.query(
        `UPDATE bland_mcp.credit_accounts SET balance = balance - $2, held = held - $3, updated_at = now()
          WHERE user_id = $1 RETURNING balance, held`,
        [userId, charge, held],
      );
      const { balance, held: heldAfter } = after[0]!;
      // Entries record the state after the whole settlement (both are written in the same transaction).
      if (charge > 0) {
        await tx.query(
          `INSERT INTO bland_mcp.ledger_entries (user_id, kind, amount, call_id, actor, balance_after, held_after)
           VALUES ($1, 'capture', $2, $3, $4, $5, $6)`,
          [userId, charge, callId, actor, balance, heldAfter],
        );
      }
      await tx.query(
        `INSERT INTO bland_mcp.ledger_entries (user_id, kind, amount, call_id, actor, balance_after, held_after)
         VALUES ($1, 'release', $2, $3, $4, $5, $6)`,
        [userId, held - charge, callId, actor, balance, heldAfter],
      );
      return { outcome: 'settled' as const, charged: charge, released: held - charge };
    };
    return outerTx ? run(outerTx) : this.db.transaction(run);
  }

  /** Locks the account row: placing a call serialises per user on it (limits are checked under the lock). */
  async lockAccount(tx: pg.PoolClient, userId: string): Promise<boolean> {
    const { rowCount } = await tx.query(
      'SELECT 1 FROM bland_mcp.credit_accounts WHERE user_id = $1 FOR UPDATE',
      [userId],
    );
    return rowCount === 1;
  }

  /** Gives back up to the captured amount for a call, once. */
  async refund(
    callId: string,
    amount: number,
    reason: string,
    actor: string,
  ): Promise<LedgerEntry | undefined> {
    const { rows } = await this.db.query(
      `WITH captured AS (
         SELECT user_id, amount FROM bland_mcp.ledger_entries WHERE call_id = $1 AND kind = 'capture'),
       account AS (
         UPDATE bland_mcp.credit_accounts a SET balance = balance + $2, updated_at = now()
           FROM captured WHERE a.user_id = captured.user_id AND $2 <= captured.amount
         RETURNING a.user_id, a.balance, a.held)
       INSERT INTO bland_mcp.ledger_entries (user_id, kind, amount, call_id, reason, actor, balance_after, held_after)
       SELECT user_id, 'refund', $2, $1, $3, $4, balance, held FROM account
       RETURNING ${ENTRY_COLUMNS}`,
      [callId, amount, reason, actor],
    );
    return rows[0] ? toEntry(rows[0]) : undefined;
  }

  /** Newest first; `beforeId` is the cursor (exclusive). */
  async history(userId: string, beforeId: number | null, limit: number): Promise<LedgerEntry[]> {
    const { rows } = await this.db.query(
      `SELECT ${ENTRY_COLUMNS} FROM bland_mcp.ledger_entries
        WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [userId, beforeId, limit],
    );
    return rows.map(toEntry);
  }
}
