import { SheetsOutboxRepository } from '../../../src/sheets/sheets-outbox.repository.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { createUser, insertCalls, setStatus, type TestUser } from './support/harness.js';

describe('Sheets outbox: every write to a call marks it dirty in the same transaction', () => {
  let t: TestDatabase;
  let user: TestUser;
  let outbox: SheetsOutboxRepository;
  const sheet = { spreadsheetId: 'sheet-1', tab: 'Calls' };

  beforeAll(async () => {
    t = await createTestDatabase();
    user = await createUser(t.db);
    outbox = new SheetsOutboxRepository(t.db);
  });
  afterAll(() => t.drop());

  const entry = async (id: string) =>
    (
      await t.db.query<{ version: string; attempts: number; parked: boolean }>(
        `SELECT version, attempts, parked_at IS NOT NULL AS parked FROM bland_mcp.sheets_outbox WHERE call_id = $1`,
        [id],
      )
    ).rows[0];

  it('queues a new call and bumps its version on each change to a column the sheet shows', async () => {
    const [id] = await insertCalls(t.db, user, 1);
    expect(await entry(id!)).toMatchObject({ version: '1' });
    await setStatus(t.db, [id!], 'ringing');
    await t.db.query(`UPDATE bland_mcp.calls SET summary = 'left a message' WHERE id = $1`, [id]);
    expect(await entry(id!)).toMatchObject({ version: '3' });
  });

  it("ignores the poller's bookkeeping: last_checked_at, check_attempts and updated_at alone cost no write", async () => {
    const [id] = await insertCalls(t.db, user, 1);
    await t.db.query(
      `UPDATE bland_mcp.calls SET last_checked_at = now(), check_attempts = check_attempts + 1, updated_at = now()
        WHERE id = $1`,
      [id],
    );
    expect(await entry(id!)).toMatchObject({ version: '1' });
  });

  it('is part of the call’s transaction: a rolled-back change leaves no trace', async () => {
    const [id] = await insertCalls(t.db, user, 1);
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`UPDATE bland_mcp.calls SET status = 'completed' WHERE id = $1`, [id]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await entry(id!)).toMatchObject({ version: '1' });
  });

  it('deletes an entry only at the version that was sent; a newer change stays queued', async () => {
    const [id] = await insertCalls(t.db, user, 1);
    const [claimed] = (await outbox.claim(sheet, 500)).filter((c) => c.callId === id);
    await setStatus(t.db, [id!], 'completed'); // arrives while the request is "in flight"
    await outbox.complete([claimed!]);
    expect(await entry(id!)).toMatchObject({ version: '2' });
    const [again] = (await outbox.claim(sheet, 500)).filter((c) => c.callId === id);
    expect(again!.call.status).toBe('completed');
    await outbox.complete([again!]);
    expect(await entry(id!)).toBeUndefined();
  });

  it('parks after the last allowed attempt, and a later change gives the call a fresh start', async () => {
    const [id] = await insertCalls(t.db, user, 1);
    expect(await outbox.recordFailure([id!], '503 UNAVAILABLE', 2, 0)).toEqual([]);
    expect(await outbox.recordFailure([id!], '503 UNAVAILABLE', 2, 0)).toEqual([id]);
    expect(await entry(id!)).toMatchObject({ attempts: 2, parked: true });
    expect((await outbox.claim(sheet, 500)).some((c) => c.callId === id)).toBe(false);

    await setStatus(t.db, [id!], 'completed');
    expect(await entry(id!)).toMatchObject({ attempts: 0, parked: false });
  });

  it('hands back parked changes on redrive', async () => {
    const ids = await insertCalls(t.db, user, 2);
    await outbox.park(ids, '400 INVALID_ARGUMENT: nope');
    expect((await outbox.listParked()).filter((p) => ids.includes(p.callId))).toHaveLength(2);
    expect(await outbox.redrive([ids[0]!])).toBe(1);
    expect(await entry(ids[0]!)).toMatchObject({ parked: false });
    expect(await entry(ids[1]!)).toMatchObject({ parked: true });
  });

  it('reads each call with its user, key and row number for the target sheet only', async () => {
    const [id] = await insertCalls(t.db, user, 1);
    await outbox.recordRows(sheet, [{ callId: id!, row: 7 }]);
    await outbox.recordRows({ ...sheet, tab: 'Other' }, [{ callId: id!, row: 99 }]);
    const [change] = (await outbox.claim(sheet, 500)).filter((c) => c.callId === id);
    expect(change).toMatchObject({
      row: 7,
      appendUnconfirmed: false,
      call: { id, user_email: user.email, api_key_last4: user.last4, held_credits: '120', simulated: true },
    });
  });
});
