import { LeaseRepository } from '../../../src/common/lease/lease.repository.js';
import { POLLER_LEASE } from '../../../src/poller/poller.settings.js';
import { eventually } from '../../support/wait.js';
import {
  accountTotals,
  handRunner,
  lambdaContainer,
  placeEndedCalls,
  settledCalls,
  startAppInstance,
  startPollerWorld,
  type PollerWorld,
  type SettledCall,
} from './support/world.js';

const expectSettledOnce = (calls: SettledCall[]) => {
  for (const call of calls) {
    expect(call.status).not.toBe('queued');
    expect(call.ledger).toEqual({ hold: 1, release: 1, ...(call.chargedCredits! > 0 ? { capture: 1 } : {}) });
  }
};

describe('one runner at a time across the Lambda and every app instance (lease in Postgres)', () => {
  let world: PollerWorld;
  let leases: LeaseRepository;
  beforeAll(async () => {
    world = await startPollerWorld();
    leases = new LeaseRepository(world.t.db);
  });
  afterAll(() => world.stop());
  afterEach(() => world.sim.clearFaults());

  const lease = async () => (await leases.get(POLLER_LEASE))!;

  it('the Lambda and two app instances firing together: exactly one runs, every call is settled once', async () => {
    const [a, b] = [await startAppInstance(world), await startAppInstance(world)];
    const lambda = lambdaContainer(world);
    try {
      const user = await world.newUser();
      const ids = await placeEndedCalls(world, a.calls, user, [
        'completed',
        'busy',
        'completed',
        'voicemail',
      ]);
      const creditsBefore = await accountTotals(world);
      // Slow Bland answers keep the winner's run open while the others try.
      world.sim.setFaults({ latencyMs: 400, routes: ['details'] });
      const requestsBefore = world.sim.requestCount('details');

      const outcomes = await Promise.all([
        lambda.invoke(),
        a.runner.run({ kind: 'in-app' }),
        b.runner.run({ kind: 'in-app' }),
      ]);

      expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
      expect(outcomes.filter((o) => o.skipped === 'busy')).toHaveLength(2);
      expect(outcomes.find((o) => o.ran)).toMatchObject({ polled: 4, settled: 4, errors: 0 });
      const settled = await settledCalls(world, ids);
      expectSettledOnce(settled);
      const charged = settled.reduce((sum, c) => sum + c.chargedCredits!, 0);
      expect(await accountTotals(world)).toEqual({ balance: creditsBefore.balance - charged, held: 0 });
      expect(world.sim.requestCount('details') - requestsBefore).toBe(4); // each call asked about once
      expect(await lease()).toMatchObject({ owner: null, expires_at: null });
    } finally {
      await lambda.close();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('takes over the expired lease of a runner that died mid-poll, and respects a live one', async () => {
    const { runner, close } = await handRunner(world, 'app:survivor');
    try {
      await world.t.db.query(
        `INSERT INTO bland_mcp.leases (name, owner, expires_at) VALUES ($1, 'lambda:crashed', now() + interval '1 minute')
         ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at`,
        [POLLER_LEASE],
      );
      expect(await runner.run({ kind: 'in-app' })).toMatchObject({ ran: false, skipped: 'busy' });
      expect((await runner.state()).holder).toMatchObject({ owner: 'lambda:crashed' });

      await world.t.db.query(
        `UPDATE bland_mcp.leases SET expires_at = now() - interval '1 second' WHERE name = $1`,
        [POLLER_LEASE],
      );
      expect(await runner.run({ kind: 'in-app' })).toMatchObject({ ran: true, runner: 'app:survivor' });
      expect(await lease()).toMatchObject({ owner: null, last_summary: { runner: 'app:survivor' } });
    } finally {
      await close();
    }
  });

  it('a runner stalled past its lease is replaced: it stops, claims nothing, and no call is settled twice', async () => {
    // A short lease (heartbeat every 100 ms) so the takeover happens within the test.
    const stalled = await handRunner(world, 'lambda:stalled', {
      leaseTtlMs: 300,
      concurrency: 1,
      batchSize: 2,
    });
    const successor = await handRunner(world, 'app:successor', { leaseTtlMs: 300, concurrency: 1 });
    const app = await startAppInstance(world, { POLL_INTERVAL_SECONDS: '3600' });
    try {
      const user = await world.newUser();
      const ids = await placeEndedCalls(world, app.calls, user, Array(6).fill('completed'));
      world.sim.setFaults({ latencyMs: 200, routes: ['details'] });

      const first = stalled.runner.run({ kind: 'lambda' });
      await eventually(
        async () => (await stalled.runner.state()).holder?.owner === 'lambda:stalled',
        'the lease',
      );
      // As if it had stalled past its lease: the lease expires and the successor takes it while it still works.
      await world.t.db.query(
        `UPDATE bland_mcp.leases SET expires_at = now() - interval '1 ms' WHERE name = $1`,
        [POLLER_LEASE],
      );
      const second = await successor.runner.run({ kind: 'in-app' });
      const stalledOutcome = await first;

      expect(stalledOutcome).toMatchObject({ ran: true, leaseLost: true, remaining: true });
      expect(stalledOutcome.polled).toBeLessThan(6);
      expect(second).toMatchObject({ ran: true, leaseLost: false, errors: 0 });
      // The lost lease was neither released nor claimed as a success by the stalled runner.
      expect(await lease()).toMatchObject({ owner: null, last_summary: { runner: 'app:successor' } });
      expect(world.log.matching('warn', /lambda:stalled lost its lease/)).toHaveLength(1);
      expectSettledOnce(await settledCalls(world, ids));
      expect((await accountTotals(world)).held).toBe(0);
    } finally {
      await Promise.all([stalled.close(), successor.close(), app.close()]);
    }
  });

  it('never runs twice at once in one process (the lease is re-entrant for its owner, the runner is not)', async () => {
    const { runner, close } = await handRunner(world, 'app:single');
    try {
      world.sim.setFaults({ latencyMs: 100, routes: ['details'] });
      const app = await startAppInstance(world, { POLL_INTERVAL_SECONDS: '3600' });
      await placeEndedCalls(world, app.calls, await world.newUser(), ['completed', 'completed']);
      await app.close();
      const [one, two] = await Promise.all([runner.run({ kind: 'in-app' }), runner.run({ kind: 'in-app' })]);
      expect([one.ran, two.ran].sort()).toEqual([false, true]);
      expect([one.skipped, two.skipped]).toContain('busy');
    } finally {
      await close();
    }
  });
});
