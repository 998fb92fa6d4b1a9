import { randomBytes, randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import { LeaseRepository } from '../../../../src/common/lease/lease.repository.js';
import type { DatabaseService } from '../../../../src/database/database.service.js';
import { MetricsService } from '../../../../src/metrics/metrics.service.js';
import { loadServiceAccountKey } from '../../../../src/sheets/service-account-key.js';
import { SheetsDrainService } from '../../../../src/sheets/sheets-drain.service.js';
import type { SheetsSettings } from '../../../../src/sheets/sheets.settings.js';
import { FakeSheetsServer } from '../../../support/fake-sheets/fake-sheets-server.js';

export const TAB = 'Calls';

type DeepPartial<T> = { [K in keyof T]?: Partial<T[K]> };

/** Settings for tests: every duration small, budgets generous unless a test narrows them. */
export function testSettings(
  fake: FakeSheetsServer,
  overrides: DeepPartial<SheetsSettings> = {},
): SheetsSettings {
  return {
    target: {
      spreadsheetId: fake.spreadsheetId,
      tab: TAB,
      serviceAccount: loadServiceAccountKey(fake.serviceAccount.json),
      apiRootUrl: fake.url,
      ...overrides.target,
    },
    rate: {
      ratePerSecond: 1_000,
      burst: 1_000,
      windowLimit: 10_000,
      windowMs: 60_000,
      windowMarginMs: 0,
      ...overrides.rate,
    },
    drain: {
      intervalMs: 50,
      batchSize: 500,
      minGapMs: 0,
      maxAttempts: 5,
      leaseTtlMs: 15_000,
      requestTimeoutMs: 5_000,
      appendSettleMs: 0,
      maxRequestBytes: 2_000_000,
      ...overrides.drain,
    },
    backoff: { baseMs: 10, maxMs: 80, jitterMs: 10, ...overrides.backoff },
  };
}

/** Collects log lines instead of printing them; tests can assert on them. */
export class MemoryLogger implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];
  log = (message: unknown) => void this.lines.push({ level: 'log', message: String(message) });
  warn = (message: unknown) => void this.lines.push({ level: 'warn', message: String(message) });
  error = (message: unknown) => void this.lines.push({ level: 'error', message: String(message) });
}

export function createDrain(db: DatabaseService, settings: SheetsSettings) {
  const logger = new MemoryLogger();
  const metrics = new MetricsService();
  const drain = new SheetsDrainService(db, new LeaseRepository(db), metrics, settings, logger);
  return { drain, logger, metrics };
}

export interface TestUser {
  userId: string;
  apiKeyId: string;
  email: string;
  last4: string;
}

export async function createUser(db: DatabaseService): Promise<TestUser> {
  const email = `caller-${randomBytes(4).toString('hex')}@example.com`;
  const last4 = randomBytes(2).toString('hex');
  const { rows } = await db.query<{ user_id: string; key_id: string }>(
    `WITH u AS (INSERT INTO bland_mcp.users (email) VALUES ($1) RETURNING id)
     INSERT INTO bland_mcp.api_keys (user_id, key_hash, prefix, last4)
     SELECT id, $2, 'bmcp_', $3 FROM u RETURNING user_id, id AS key_id`,
    [email, randomBytes(32), last4],
  );
  return { userId: rows[0]!.user_id, apiKeyId: rows[0]!.key_id, email, last4 };
}

export interface CallFields {
  task?: string;
  status?: string;
  phone?: string;
}

/** Inserts `count` calls in one statement (plain SQL, as the calls service would). Returns their ids in order. */
export async function insertCalls(
  db: DatabaseService,
  user: TestUser,
  count: number,
  fields: CallFields = {},
): Promise<string[]> {
  const ids: string[] = Array.from({ length: count }, () => randomUUID());
  await db.query(
    `INSERT INTO bland_mcp.calls (id, user_id, api_key_id, request_fingerprint, status, phone_number, task,
                                  max_duration_minutes, request, simulated, voice, held_credits)
     SELECT id, $2, $3, 'fp-' || id, $4, $5, $6, 10, '{}'::jsonb, true, 'maya', 120
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [
      ids,
      user.userId,
      user.apiKeyId,
      fields.status ?? 'queued',
      fields.phone ?? '+15551234567',
      fields.task ?? 'Say hi',
    ],
  );
  return ids;
}

export async function setStatus(
  db: DatabaseService,
  ids: string[],
  status: string,
  extra: { duration?: number } = {},
) {
  await db.query(
    `UPDATE bland_mcp.calls SET status = $2, duration_seconds = coalesce($3, duration_seconds), updated_at = now()
      WHERE id = ANY($1::uuid[])`,
    [ids, status, extra.duration ?? null],
  );
}

/** How many rows of the tab carry each call id (column A, header excluded). */
export function callIdCounts(fake: FakeSheetsServer): Map<string, number> {
  const counts = new Map<string, number>();
  fake.spreadsheet.tabs.get(TAB)?.rows.forEach((cells, index) => {
    const id = cells?.[0]?.value;
    if (index > 0 && typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1);
  });
  return counts;
}

/** The row (typed cells by header) holding `callId`, or undefined. */
export function rowOf(fake: FakeSheetsServer, callId: string): Record<string, unknown> | undefined {
  const rows = fake.rows(TAB);
  const header = (rows[0] ?? []).map((c) => String(c?.value));
  const row = rows.find((cells) => cells?.[0]?.value === callId);
  if (!row) return undefined;
  return Object.fromEntries(header.map((h, i) => [h, row[i]?.value ?? '']));
}

export async function outboxSize(db: DatabaseService): Promise<{ pending: number; parked: number }> {
  const { rows } = await db.query<{ pending: number; parked: number }>(
    `SELECT count(*) FILTER (WHERE parked_at IS NULL)::int AS pending,
            count(*) FILTER (WHERE parked_at IS NOT NULL)::int AS parked FROM bland_mcp.sheets_outbox`,
  );
  return rows[0]!;
}

/** Drains until nothing is due (a failure pauses the drain; later drains pick up what is left). */
export async function drainUntilQuiet(drain: SheetsDrainService, db: DatabaseService, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await drain.drainOnce();
    if ((await outboxSize(db)).pending === 0) return;
    if (Date.now() > deadline) throw new Error('outbox did not drain in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
