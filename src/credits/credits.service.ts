import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AppError, isCheckViolation, isUniqueViolation } from '../common/errors/app-error.js';
import { CreditsRepository, type LedgerEntry } from './credits.repository.js';
import { chargeFor, holdFor, type PricingConfig } from './pricing.js';

export interface Balance {
  balance: number;
  held: number;
  available: number;
}

export interface SettleResult {
  outcome: 'settled' | 'already_settled' | 'no_hold';
  charged: number;
  released: number;
}

const toBalance = (balance: number, held: number): Balance => ({ balance, held, available: balance - held });

/** The credit ledger's service API (used by calls, MCP tools, the console and the admin CLI). */
@Injectable()
export class CreditsService {
  readonly pricing: PricingConfig;

  constructor(
    private readonly repo: CreditsRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.pricing = {
      creditsPerMinute: config.CREDITS_PER_MINUTE,
      minimumCharge: config.CREDITS_MINIMUM_CHARGE,
    };
  }

  holdFor(maxDurationMinutes: number): number {
    return holdFor(maxDurationMinutes, this.pricing);
  }

  async balance(userId: string): Promise<Balance> {
    const account = await this.repo.account(userId);
    if (!account)
      throw new AppError('not_found', 'CREDITS.NO_ACCOUNT', `user ${userId} has no credit account`);
    return toBalance(account.balance, account.held);
  }

  /**
   * Holds `amount` credits for `callId`. Idempotent: holding again for the same call returns the current balance.
   * Throws CREDITS.INSUFFICIENT when `balance - held` is below `amount`.
   */
  async hold(
    userId: string,
    callId: string,
    amount: number,
    actor = 'system',
    tx?: pg.PoolClient,
  ): Promise<Balance> {
    if (!Number.isInteger(amount) || amount <= 0)
      throw new Error(`hold amount must be a positive integer: ${amount}`);
    let entry: LedgerEntry | undefined;
    try {
      entry = await this.repo.hold(userId, callId, amount, actor, tx);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // a concurrent hold for the same call won: same as already held
    }
    if (entry) return toBalance(entry.balanceAfter, entry.heldAfter);
    const existing = (await this.repo.entriesForCall(callId)).find((e) => e.kind === 'hold');
    if (existing && existing.userId === userId) return this.balance(userId);
    const current = tx ? await this.balanceIn(tx, userId) : await this.balance(userId);
    throw new AppError(
      'insufficient_credits',
      'CREDITS.INSUFFICIENT',
      `insufficient credits: this call needs ${amount} credits held, ${current.available} are available ` +
        `(${current.balance} balance, ${current.held} held by calls in progress). Lower max_duration_minutes ` +
        `(${this.pricing.creditsPerMinute} credits per minute) or ask an administrator for credits.`,
      { needed: amount, ...current },
    );
  }

  /** Settles a finished call of `seconds`: charges per the money rule (≤ the hold), releases the rest. Once. */
  settle(callId: string, seconds: number, actor = 'system', tx?: pg.PoolClient): Promise<SettleResult> {
    return this.repo.settle(callId, actor, (held) => chargeFor(seconds, held, this.pricing), tx);
  }

  /** Releases the whole hold (the call cost nothing, e.g. Bland rejected it). Once. */
  release(callId: string, actor = 'system', tx?: pg.PoolClient): Promise<SettleResult> {
    return this.repo.settle(callId, actor, () => 0, tx);
  }

  /** Takes the per-user placement lock inside `tx` (see CreditsRepository.lockAccount). */
  async lockAccount(tx: pg.PoolClient, userId: string): Promise<void> {
    if (!(await this.repo.lockAccount(tx, userId))) {
      throw new AppError('not_found', 'CREDITS.NO_ACCOUNT', `user ${userId} has no credit account`);
    }
  }

  private async balanceIn(tx: pg.PoolClient, userId: string): Promise<Balance> {
    const account = await this.repo.account(userId, tx);
    return toBalance(account!.balance, account!.held);
  }

  async grant(userId: string, amount: number, reason: string | null, actor: string): Promise<LedgerEntry> {
    if (!Number.isInteger(amount) || amount <= 0) {
      throw new AppError(
        'validation',
        'CREDITS.INVALID_AMOUNT',
        `amount: must be a positive whole number of credits`,
      );
    }
    const entry = await this.repo.changeBalance(userId, 'grant', amount, reason, actor);
    if (!entry) throw new AppError('not_found', 'USERS.NOT_FOUND', `user ${userId} not found`);
    return entry;
  }

  async adjust(userId: string, amount: number, reason: string, actor: string): Promise<LedgerEntry> {
    if (!Number.isInteger(amount) || amount === 0) {
      throw new AppError(
        'validation',
        'CREDITS.INVALID_AMOUNT',
        `amount: must be a non-zero whole number (±)`,
      );
    }
    if (!reason.trim())
      throw new AppError('validation', 'CREDITS.REASON_REQUIRED', 'reason: required for adjustments');
    try {
      const entry = await this.repo.changeBalance(userId, 'adjust', amount, reason, actor);
      if (!entry) throw new AppError('not_found', 'USERS.NOT_FOUND', `user ${userId} not found`);
      return entry;
    } catch (err) {
      if (!isCheckViolation(err)) throw err;
      const current = await this.balance(userId);
      throw new AppError(
        'validation',
        'CREDITS.WOULD_GO_NEGATIVE',
        `amount: ${amount} would take the available credits below zero (available ${current.available})`,
        { ...current },
      );
    }
  }

  async refund(callId: string, amount: number, reason: string, actor: string): Promise<LedgerEntry> {
    if (!Number.isInteger(amount) || amount <= 0) {
      throw new AppError(
        'validation',
        'CREDITS.INVALID_AMOUNT',
        'amount: must be a positive whole number of credits',
      );
    }
    try {
      const entry = await this.repo.refund(callId, amount, reason, actor);
      if (entry) return entry;
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('conflict', 'CREDITS.ALREADY_REFUNDED', `call ${callId} was already refunded`);
      }
      throw err;
    }
    throw new AppError(
      'validation',
      'CREDITS.NOTHING_TO_REFUND',
      `call ${callId} has no capture of at least ${amount} credits to refund`,
    );
  }

  /** Ledger entries newest first, `limit` per page; pass the returned cursor for the next page. */
  async history(
    userId: string,
    cursor?: string | null,
    limit = 20,
  ): Promise<{ entries: LedgerEntry[]; nextCursor: string | null }> {
    const before = cursor ? Number(cursor) : null;
    if (cursor && (!Number.isSafeInteger(before) || before! <= 0)) {
      throw new AppError(
        'validation',
        'CREDITS.INVALID_CURSOR',
        'cursor: not a cursor returned by a previous page',
      );
    }
    const entries = await this.repo.history(userId, before, Math.min(Math.max(limit, 1), 100));
    const last = entries.at(-1);
    return { entries, nextCursor: entries.length === limit && last ? String(last.id) : null };
  }

  entriesForCall(callId: string) {
    return this.repo.entriesForCall(callId);
  }
}
