import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { killSpawned, spawnNode } from '../../support/process.js';

describe('admin CLI (npm run admin -- …) as a spawned process on a real database', () => {
  let t: TestDatabase;
  const admin = async (...args: string[]) => {
    const run = spawnNode('dist/cli/admin.js', { DATABASE_URL: t.url }, args);
    const code = await run.exited;
    return { code, out: run.stdout(), err: run.stderr() };
  };
  const json = async (...args: string[]) => {
    const r = await admin(...args, '--json');
    if (r.code !== 0) throw new Error(`admin ${args.join(' ')} failed: ${r.err}`);
    return JSON.parse(r.out);
  };

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    killSpawned();
    await t.drop();
  });

  it('creates a user with credits and a key shown once, then grants, adjusts, shows, disables', async () => {
    const created = await json(
      'users:create',
      '--email',
      'ada@example.com',
      '--name',
      'Ada',
      '--credits',
      '300',
    );
    expect(created).toMatchObject({
      email: 'ada@example.com',
      credits: 300,
      api_key: expect.stringMatching(/^bmcp_live_/),
    });
    const id = created.user_id as string;

    expect(await json('credits:grant', '--user', id, '--amount', '50', '--reason', 'promo')).toMatchObject({
      balance: 350,
      available: 350,
    });
    expect(
      await json('credits:adjust', '--user', id, '--amount=-20', '--reason', 'correction'),
    ).toMatchObject({ balance: 330 });
    const shown = await json('credits:show', '--user', id);
    expect(shown).toMatchObject({ balance: 330, held: 0, available: 330 });
    expect(shown.entries.map((e: { kind: string }) => e.kind)).toEqual(['adjust', 'grant', 'grant']);

    const key = await json('keys:create', '--user', id, '--expires-in', '90d');
    expect(new Date(key.expires_at).getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);
    const revoked = await json('keys:revoke', '--key', key.key_id);
    expect(revoked.revoked_at).toBeTruthy();

    const list = await admin('users:list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/active\s+330 avail\s+ada@example.com/);
    expect(await json('users:disable', '--user', id)).toEqual({ user_id: id, status: 'disabled' });
    const text = await admin('credits:show', '--user', id);
    expect(text.out).toMatch(/^balance 330 {2}held 0 {2}available 330$/m);
  });

  it('answers bad arguments with one clear line and a non-zero exit', async () => {
    const cases: [string[], RegExp, number][] = [
      [['users:create'], /error: missing --email/, 2],
      [['users:create', '--email', 'nope'], /error: email: "nope" is not a valid email address/, 1],
      [
        ['users:create', '--email', 'x@example.com', '--credits', 'lots'],
        /--credits must be a whole number/,
        2,
      ],
      [
        ['credits:grant', '--user', '00000000-0000-0000-0000-000000000000', '--amount', '5'],
        /error: user .* not found/,
        1,
      ],
      [['credits:adjust', '--user', 'abc', '--amount=5'], /missing --reason/, 2],
      [
        ['keys:create', '--user', 'x', '--expires-in', 'soon'],
        /--expires-in must look like 90d, 12h or 30m/,
        2,
      ],
      [['frobnicate'], /unknown command "frobnicate"/, 2],
      [['users:list', '--colour', 'red'], /Unknown option '--colour'/, 2],
    ];
    for (const [args, pattern, code] of cases) {
      const r = await admin(...args);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.err.split('\n')[0]).toMatch(pattern);
    }
    await json('users:create', '--email', 'dupe@example.com');
    const dupe = await admin('users:create', '--email', 'dupe@example.com');
    expect(dupe.code).toBe(1);
    expect(dupe.err.trim()).toBe('error: email: a user with dupe@example.com already exists');
  });
});
