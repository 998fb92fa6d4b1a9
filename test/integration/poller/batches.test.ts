import { FakeBland } from './support/fake-bland.js';
import { seedActiveCalls } from './support/seed.js';
import { BLAND_KEY, handRunner, startPollerWorld, type PollerWorld } from './support/world.js';

describe('a poll works through every active call once, in batches, within its limits', () => {
  let world: PollerWorld;
  let fake: FakeBland;
  beforeAll(async () => {
    world = await startPollerWorld();
    fake = await FakeBland.start(BLAND_KEY);
    fake.state = 'in-progress'; // the calls stay active, so every run has the same work
  });
  afterAll(async () => {
    await fake.close();
    await world.stop();
  });
  beforeEach(() =>
    world.t.db.query(`UPDATE bland_mcp.calls SET status = 'completed' WHERE status <> 'completed'`),
  );

  const checks = async (ids: string[]) => {
    const { rows } = await world.t.db.query<{ attempts: number; n: number }>(
      `SELECT check_attempts AS attempts, count(*)::int AS n FROM bland_mcp.calls WHERE id = ANY($1::uuid[])
        GROUP BY check_attempts ORDER BY check_attempts`,
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.attempts, r.n]));
  };

  it('checks each of 450 active calls exactly once in a run of 100-call batches', async () => {
    const ids = await seedActiveCalls(world.t.db, 450);
    const { runner, close } = await handRunner(
      world,
      'app:batches',
      { batchSize: 100, concurrency: 8 },
      {
        BLAND_API_URL: fake.url,
      },
    );
    try {
      const before = fake.requests;
      expect(await runner.run({ kind: 'in-app' })).toMatchObject({
        ran: true,
        polled: 450,
        remaining: false,
        errors: 0,
      });
      expect(fake.requests - before).toBe(450);
      expect(await checks(ids)).toEqual({ 1: 450 });
    } finally {
      await close();
    }
  });

  it('stops at POLLER_MAX_CALLS_PER_TICK; the next run starts with the calls not yet checked', async () => {
    const ids = await seedActiveCalls(world.t.db, 250);
    const { runner, close } = await handRunner(
      world,
      'app:capped',
      { batchSize: 60, maxCallsPerTick: 100, concurrency: 8 },
      { BLAND_API_URL: fake.url },
    );
    try {
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await runner.run({ kind: 'in-app' }));
      expect(runs.map((r) => [r.polled, r.remaining])).toEqual([
        [100, true],
        [100, true],
        [100, true],
      ]);
      // 300 checks over 250 calls: every call once before any call twice.
      expect(await checks(ids)).toEqual({ 1: 200, 2: 50 });
    } finally {
      await close();
    }
  });
});
