import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { accountServices } from '../../support/services.js';

describe('API keys on real Postgres', () => {
  let t: TestDatabase;
  let s: ReturnType<typeof accountServices>;
  beforeAll(async () => {
    t = await createTestDatabase();
    s = accountServices(t.db);
  });
  afterAll(() => t.drop());

  it('issues bmcp_live_ keys with 256 bits of randomness that authenticate their user', async () => {
    const { user, apiKey } = await s.newUser();
    expect(apiKey).toMatch(/^bmcp_live_[0-9A-Za-z]{43}$/);
    await expect(s.keys.authenticate(apiKey!)).resolves.toMatchObject({
      userId: user.id,
      via: 'api_key',
      apiKeyLast4: apiKey!.slice(-4),
    });
  });

  it('never stores a key in clear: only its SHA-256, a short prefix and the last 4', async () => {
    const { apiKey } = await s.newUser();
    const { rows } = await t.db.query(
      `SELECT row_to_json(k)::text AS row, encode(key_hash, 'hex') AS hash FROM bland_mcp.api_keys k`,
    );
    for (const { row } of rows) expect(row).not.toContain(apiKey!.slice(10, 30));
    const { createHash } = await import('node:crypto');
    expect(rows.map((r) => r.hash)).toContain(createHash('sha256').update(apiKey!).digest('hex'));
  });

  it('rejects unknown, malformed, revoked and expired keys, and a disabled user’s keys at once', async () => {
    const { user, apiKey } = await s.newUser();
    await expect(s.keys.authenticate('bmcp_live_' + 'x'.repeat(43))).rejects.toMatchObject({
      code: 'AUTH.INVALID_API_KEY',
    });
    await expect(s.keys.authenticate('Bearer nonsense')).rejects.toMatchObject({
      code: 'AUTH.INVALID_API_KEY',
    });

    const second = await s.keys.create(user.id, { name: 'ci' });
    await s.keys.revoke(second.record.id);
    await expect(s.keys.authenticate(second.key)).rejects.toMatchObject({ code: 'AUTH.API_KEY_REVOKED' });

    const third = await s.keys.create(user.id, { expiresAt: new Date(Date.now() + 60_000) });
    await expect(s.keys.authenticate(third.key)).resolves.toMatchObject({ userId: user.id });
    await t.db.query(`UPDATE bland_mcp.api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      third.record.id,
    ]);
    await expect(s.keys.authenticate(third.key)).rejects.toMatchObject({ code: 'AUTH.API_KEY_EXPIRED' });

    await s.users.disable(user.id);
    await expect(s.keys.authenticate(apiKey!)).rejects.toMatchObject({
      code: 'AUTH.USER_DISABLED',
      kind: 'forbidden',
    });
    await s.users.enable(user.id);
    await expect(s.keys.authenticate(apiKey!)).resolves.toMatchObject({ userId: user.id });
  });

  it('lets a user revoke only their own keys', async () => {
    const a = await s.newUser();
    const b = await s.newUser();
    const [bKey] = await s.keys.list(b.user.id);
    await expect(s.keys.revoke(bKey!.id, a.user.id)).rejects.toMatchObject({ code: 'KEYS.NOT_FOUND' });
    await expect(s.keys.authenticate(b.apiKey!)).resolves.toMatchObject({ userId: b.user.id });
  });

  it('records last use without a write on every request', async () => {
    const { apiKey } = await s.newUser();
    const before = await t.db.query(`SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'api_keys'`);
    for (let i = 0; i < 20; i++) await s.keys.authenticate(apiKey!);
    await new Promise((r) => setTimeout(r, 100));
    const { rows } = await t.db.query(`SELECT last_used_at FROM bland_mcp.api_keys WHERE last4 = $1`, [
      apiKey!.slice(-4),
    ]);
    expect(rows[0]!.last_used_at).not.toBeNull();
    const after = await t.db.query(`SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'api_keys'`);
    // pg_stat counters are updated asynchronously; the point is that 20 uses did not cost 20 writes.
    expect(Number(after.rows[0]?.n_tup_upd ?? 0) - Number(before.rows[0]?.n_tup_upd ?? 0)).toBeLessThan(5);
  });

  it('refuses invalid emails and duplicate users with the field named', async () => {
    await expect(s.users.create({ email: 'not-an-email', actor: 't' })).rejects.toMatchObject({
      code: 'USERS.INVALID_EMAIL',
      message: expect.stringMatching(/^email:/),
    });
    await s.users.create({ email: 'Dup@Example.com', actor: 't' });
    await expect(s.users.create({ email: 'dup@example.com', actor: 't' })).rejects.toMatchObject({
      code: 'USERS.EMAIL_TAKEN',
    });
  });
});
