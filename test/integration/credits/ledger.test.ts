import { randomUUID } from 'node:crypto';
import { AppError } from '../../../src/common/errors/app-error.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { accountServices } from '../../support/services.js';

describe('CreditsService on real Postgres', () => {
  let t: TestDatabase;
  let s: ReturnType<typeof accountServices>;
  beforeAll(async () => {
    t = await createTestDatabase();
    s = accountServices(t.db);
  });
  afterAll(() => t.drop());

  it('lets exactly 100 of 1,000 concurrent holds through on an account that can afford 100', async () => {
    const { user } = await s.newUser(1_200);
    let minAvailable = Infinity;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        minAvailable = Math.min(minAvailable, (await s.credits.balance(user.id)).available);
      }
    })();
    const results = await Promise.allSettled(
      Array.from({ length: 1_000 }, () => s.credits.hold(user.id, randomUUID(), 12)),
    );
    sampling = false;
    await sampler;
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(100);
    expect(refused).toHaveLength(900);
    expect(
      refused.every((r) => r.reason instanceof AppError && r.reason.code === 'CREDITS.INSUFFICIENT'),
    ).toBe(true);
    expect(await s.credits.balance(user.id)).toEqual({ balance: 1_200, held: 1_200, available: 0 });
    expect(minAvailable).toBeGreaterThanOrEqual(0);
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM bland_mcp.ledger_entries WHERE user_id = $1 AND kind = 'hold'`,
      [user.id],
    );
    expect(rows[0]!.n).toBe(100);
  });

  it('refuses a hold it cannot afford with a message that says what is needed and what is available', async () => {
    const { user } = await s.newUser(50);
    await expect(s.credits.hold(user.id, randomUUID(), 120)).rejects.toMatchObject({
      code: 'CREDITS.INSUFFICIENT',
      message: expect.stringMatching(/needs 120 credits held, 50 are available/),
    });
    expect(await s.credits.balance(user.id)).toEqual({ balance: 50, held: 0, available: 50 });
  });

  it('is idempotent per call: a second hold for the same call changes nothing', async () => {
    const { user } = await s.newUser(100);
    const callId = randomUUID();
    await s.credits.hold(user.id, callId, 60);
    await expect(s.credits.hold(user.id, callId, 60)).resolves.toEqual({
      balance: 100,
      held: 60,
      available: 40,
    });
    await Promise.all([s.credits.hold(user.id, callId, 60), s.credits.hold(user.id, callId, 60)]);
    expect(await s.credits.balance(user.id)).toEqual({ balance: 100, held: 60, available: 40 });
  });

  it.each([
    [0, 1],
    [1, 1],
    [59, 12],
    [60, 12],
    [61, 13],
    [90, 18],
    [7_200, 120], // longer than the hold: capped at the hold
  ])('settles a %i s call: charges %i, releases the rest of the 120 held', async (seconds, charge) => {
    const { user } = await s.newUser(500);
    const callId = randomUUID();
    await s.credits.hold(user.id, callId, 120);
    await expect(s.credits.settle(callId, seconds)).resolves.toEqual({
      outcome: 'settled',
      charged: charge,
      released: 120 - charge,
    });
    expect(await s.credits.balance(user.id)).toEqual({
      balance: 500 - charge,
      held: 0,
      available: 500 - charge,
    });
  });

  it('settles and releases exactly once, even when settlements race', async () => {
    const { user } = await s.newUser(500);
    const callId = randomUUID();
    await s.credits.hold(user.id, callId, 120);
    const outcomes = await Promise.all([
      s.credits.settle(callId, 90),
      s.credits.settle(callId, 90),
      s.credits.release(callId),
      s.credits.settle(callId, 30),
    ]);
    expect(outcomes.filter((o) => o.outcome === 'settled')).toHaveLength(1);
    const after = await s.credits.balance(user.id);
    expect(after.held).toBe(0);
    expect([500, 482, 494]).toContain(after.balance); // whichever won: release, 90 s or 30 s
    await expect(s.credits.settle(callId, 90)).resolves.toMatchObject({ outcome: 'already_settled' });
    await expect(s.credits.release(callId)).resolves.toMatchObject({ outcome: 'already_settled' });
    expect(await s.credits.balance(user.id)).toEqual(after);
    const kinds = (await s.credits.entriesForCall(callId)).map((e) => e.kind).sort();
    expect(kinds.filter((k) => k === 'release')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'capture').length).toBeLessThanOrEqual(1);
  });

  it('reports no_hold when settling a call that never held credits', async () => {
    await expect(s.credits.settle(randomUUID(), 30)).resolves.toEqual({
      outcome: 'no_hold',
      charged: 0,
      released: 0,
    });
  });

  it('enforces the invariants in the database itself, whatever the code does', async () => {
    const { user } = await s.newUser(10);
    await expect(
      t.db.query('UPDATE bland_mcp.credit_accounts SET held = 11 WHERE user_id = $1', [user.id]),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      t.db.query('UPDATE bland_mcp.credit_accounts SET held = -1 WHERE user_id = $1', [user.id]),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      t.db.query('DELETE FROM bland_mcp.ledger_entries WHERE user_id = $1', [user.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.query('UPDATE bland_mcp.ledger_entries SET amount = 1000 WHERE user_id = $1', [user.id]),
    ).rejects.toThrow(/append-only/);
  });

  it('adjusts up and down, refusing to take available credits below zero', async () => {
    const { user } = await s.newUser(100);
    await s.credits.hold(user.id, randomUUID(), 60);
    await s.credits.adjust(user.id, -30, 'goodwill correction', 'test');
    await expect(s.credits.adjust(user.id, -11, 'too much', 'test')).rejects.toMatchObject({
      code: 'CREDITS.WOULD_GO_NEGATIVE',
    });
    await s.credits.adjust(user.id, 5, 'bonus', 'test');
    expect(await s.credits.balance(user.id)).toEqual({ balance: 75, held: 60, available: 15 });
  });

  it('refunds a captured call once, up to what was captured', async () => {
    const { user } = await s.newUser(100);
    const callId = randomUUID();
    await s.credits.hold(user.id, callId, 24);
    await s.credits.settle(callId, 90); // charges 18
    await expect(s.credits.refund(callId, 19, 'too much', 'test')).rejects.toMatchObject({
      code: 'CREDITS.NOTHING_TO_REFUND',
    });
    await s.credits.refund(callId, 18, 'bad line quality', 'test');
    await expect(s.credits.refund(callId, 1, 'again', 'test')).rejects.toMatchObject({
      code: 'CREDITS.ALREADY_REFUNDED',
    });
    expect(await s.credits.balance(user.id)).toEqual({ balance: 100, held: 0, available: 100 });
  });

  it('pages the history newest first with a cursor', async () => {
    const { user } = await s.newUser(10);
    for (let i = 0; i < 5; i++) await s.credits.grant(user.id, 1, `g${i}`, 'test');
    const first = await s.credits.history(user.id, null, 4);
    expect(first.entries.map((e) => e.reason)).toEqual(['g4', 'g3', 'g2', 'g1']);
    const second = await s.credits.history(user.id, first.nextCursor, 4);
    expect(second.entries.map((e) => e.reason)).toEqual(['g0', 'initial credits']);
    expect(second.nextCursor).toBeNull();
    await expect(s.credits.history(user.id, 'abc')).rejects.toMatchObject({ code: 'CREDITS.INVALID_CURSOR' });
  });
});
