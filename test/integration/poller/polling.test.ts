import { LeaseRepository } from '../../../src/common/lease/lease.repository.js';
import { POLLER_LEASE } from '../../../src/poller/poller.settings.js';
import { eventually } from '../../support/wait.js';
import {
  accountTotals,
  ageLastSuccess,
  expectedFromBland,
  lambdaContainer,
  placeEndedCalls,
  settledCalls,
  startAppInstance,
  startPollerWorld,
  type PollerWorld,
  type SettledCall,
} from './support/world.js';

const OUTCOMES = ['completed', 'no-answer', 'busy', 'voicemail', 'failed'] as const;

const withoutLedger = (calls: SettledCall[]) => calls.map(({ ledger: _ledger, ...call }) => call);

/** Settled exactly once: one hold, one release, a capture only when something was charged. */
const expectSettledOnce = (calls: SettledCall[]) => {
  for (const call of calls) {
    expect(call.ledger).toEqual({ hold: 1, release: 1, ...(call.chargedCredits! > 0 ? { capture: 1 } : {}) });
  }
};

describe('call status through polling alone (real Postgres + Bland simulator, no webhooks)', () => {
  let world: PollerWorld;
  beforeAll(async () => (world = await startPollerWorld()));
  afterAll(() => world.stop());

  it('an in-app instance polling on its own timer brings every call to what Bland reports and settles it once', async () => {
    const app = await startAppInstance(world, { POLLER_MODE: 'in-app', POLL_INTERVAL_SECONDS: '1' });
    try {
      const user = await world.newUser();
      const ids = await placeEndedCalls(world, app.calls, user, [...OUTCOMES]);
      // Bland was never given a webhook URL: nothing but the poller can learn that these calls ended.
      expect(world.sim.calls().every((call) => call.request.webhook === undefined)).toBe(true);

      // Holds reach 0 mid-run; the counters move when the run is over.
      await eventually(
        async () => /bmcp_poller_calls_total\{result="settled"\} 5\n/.test(await app.metrics()),
        'the timer-driven polls to settle all five calls',
        15_000,
      );
      expect((await accountTotals(world)).held).toBe(0);
      const settled = await settledCalls(world, ids);
      expect(withoutLedger(settled)).toEqual(await expectedFromBland(world, ids));
      expect(new Set(settled.map((c) => c.status))).toEqual(
        new Set(['completed', 'no_answer', 'busy', 'failed']),
      );
      expectSettledOnce(settled);

      const metrics = await app.metrics();
      expect(metrics).toMatch(/bmcp_poller_runs_total\{kind="in-app",result="ran"\} [1-9]/);
      expect(metrics).toMatch(/bmcp_poller_active_calls 0\n/);
      expect(metrics).toMatch(/bmcp_poller_last_success_age_seconds [0-9.]+\n/);
      expect(await app.readiness()).toMatchObject({
        state: 'ok',
        detail: { mode: 'in-app', lastRun: { kind: 'in-app', runner: app.runner.owner } },
      });
    } finally {
      await app.close();
    }
  });

  it('the Lambda handler, invoked in-process against the same database, gives the same result as the in-app runner', async () => {
    const app = await startAppInstance(world, { POLLER_MODE: 'in-app', POLL_INTERVAL_SECONDS: '3600' });
    const lambda = lambdaContainer(world);
    try {
      const user = await world.newUser();
      const viaApp = await placeEndedCalls(world, app.calls, user, [...OUTCOMES]);
      await ageLastSuccess(world, 3600); // the previous test polled moments ago: the tick would find it fresh
      const { outcome: appRun } = await app.scheduler.tick();

      const viaLambda = await placeEndedCalls(world, app.calls, user, [...OUTCOMES]);
      const lambdaRun = await lambda.invoke();

      const counts = { ran: true, polled: 5, updated: 5, settled: 5, adopted: 0, failed: 0, errors: 0 };
      expect(appRun).toMatchObject({ ...counts, kind: 'in-app', remaining: false });
      expect(lambdaRun).toMatchObject({ ...counts, remaining: false });
      expect(lambdaRun.runner).toMatch(/^lambda:bland-mcp-test-poller:/);

      const [byApp, byLambda] = [await settledCalls(world, viaApp), await settledCalls(world, viaLambda)];
      expect(withoutLedger(byApp)).toEqual(await expectedFromBland(world, viaApp));
      expect(withoutLedger(byLambda)).toEqual(await expectedFromBland(world, viaLambda));
      expect(byLambda.map((c) => c.status)).toEqual(byApp.map((c) => c.status));
      expectSettledOnce([...byApp, ...byLambda]);
      expect((await accountTotals(world)).held).toBe(0);
    } finally {
      await lambda.close();
      await app.close();
    }
  });

  it('shutdown stops a poll in flight after its current slice and releases the lease before the pool closes', async () => {
    const app = await startAppInstance(world, { POLL_INTERVAL_SECONDS: '3600', POLLER_CONCURRENCY: '1' });
    const ids = await placeEndedCalls(world, app.calls, await world.newUser(), Array(20).fill('completed'));
    world.sim.setFaults({ latencyMs: 300, routes: ['details'] }); // 6 s of work, one call at a time
    try {
      await ageLastSuccess(world, 3600);
      const tick = app.scheduler.tick();
      await eventually(async () => (await app.runner.state()).holder !== undefined, 'the poll to start');
      const closing = Date.now();
      await app.close();
      expect(Date.now() - closing).toBeLessThan(4_000); // one slice (2 s) and the request in flight, not the 6 s of work
      const { outcome } = await tick;
      expect(outcome).toMatchObject({ ran: true, remaining: true, errors: 0 });
      expect(outcome!.polled).toBeLessThan(20);
      expect((await new LeaseRepository(world.t.db).get(POLLER_LEASE))!.owner).toBeNull();
      // What it did is done properly; the rest waits for the next poll.
      const settled = await settledCalls(world, ids);
      expectSettledOnce(settled.filter((c) => c.status !== 'queued'));
      expect(settled.filter((c) => c.status === 'completed')).toHaveLength(outcome!.polled);
    } finally {
      world.sim.clearFaults();
    }
  });
});
