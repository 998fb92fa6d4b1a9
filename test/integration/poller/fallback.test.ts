import { ConfigError } from '../../../src/config/load-config.js';
import {
  ageLastSuccess,
  lambdaContainer,
  placeEndedCalls,
  settledCalls,
  startAppInstance,
  startPollerWorld,
  type AppInstance,
  type LambdaInvoker,
  type PollerWorld,
} from './support/world.js';

// Long periods: the instances' own timers never fire during a test; ticks are driven by hand and time is moved
// by ageing the lease's last_success_at.
const LAMBDA_MODE = {
  POLLER_MODE: 'lambda',
  POLL_INTERVAL_SECONDS: '300',
  POLLER_FALLBACK_AFTER_SECONDS: '600',
};

describe("the in-app fallback: a dead-man's switch behind the Lambda (real Postgres + simulator)", () => {
  let world: PollerWorld;
  let app: AppInstance;
  let lambda: LambdaInvoker;
  beforeAll(async () => {
    world = await startPollerWorld();
    app = await startAppInstance(world, LAMBDA_MODE);
    lambda = lambdaContainer(world);
  });
  afterAll(async () => {
    await lambda.close();
    await app.close();
    await world.stop();
  });

  const activations = async () =>
    Number(/bmcp_poller_fallback_activations_total (\d+)/.exec(await app.metrics())?.[1]);

  it('stays idle while the Lambda polls, takes over when it stops, and stands down when it is back', async () => {
    const user = await world.newUser();
    await placeEndedCalls(world, app.calls, user, ['completed']);
    expect(await lambda.invoke()).toMatchObject({ ran: true, polled: 1 });

    // The Lambda is healthy: the instance only looks.
    expect(await app.scheduler.tick()).toEqual({ decision: { run: false, reason: 'covered' } });
    await ageLastSuccess(world, 540);
    expect(await app.scheduler.tick()).toEqual({ decision: { run: false, reason: 'covered' } });
    expect(await activations()).toBe(0);
    expect(world.log.matching('error', /FALLBACK/)).toEqual([]);

    // The Lambda stops: ten minutes without a successful poll and the instance takes over, loudly.
    const ids = await placeEndedCalls(world, app.calls, user, ['busy', 'completed']);
    await ageLastSuccess(world, 601);
    const takeover = await app.scheduler.tick();
    expect(takeover).toMatchObject({
      decision: { run: true, kind: 'fallback', reason: 'stale', engage: true },
      outcome: { ran: true, kind: 'fallback', polled: 2, settled: 2, errors: 0 },
    });
    expect((await settledCalls(world, ids)).map((c) => c.status)).toEqual(['busy', 'completed']);
    expect(app.scheduler.fallbackEngaged).toBe(true);
    expect(
      world.log.matching('error', /POLLER FALLBACK ENGAGED: no successful call status poll for 60\d s/),
    ).toHaveLength(1);
    expect(await activations()).toBe(1);
    expect(await app.metrics()).toMatch(/bmcp_poller_runs_total\{kind="fallback",result="ran"\} 1\n/);
    expect(await app.readiness()).toMatchObject({
      state: 'ok',
      detail: { mode: 'lambda', fallbackEngaged: true, lastRun: { kind: 'fallback' } },
    });

    // Standing in: once per interval, not at every check.
    expect(await app.scheduler.tick()).toEqual({ decision: { run: false, reason: 'fresh' } });
    await ageLastSuccess(world, 301);
    expect(await app.scheduler.tick()).toMatchObject({
      decision: { run: true, kind: 'fallback', reason: 'standing-in' },
      outcome: { ran: true },
    });
    expect(await activations()).toBe(1);

    // The Lambda is back: the instance stands down and only watches again.
    expect(await lambda.invoke()).toMatchObject({ ran: true });
    expect(await app.scheduler.tick()).toEqual({
      decision: { run: false, reason: 'lambda-back', disengage: true },
    });
    expect(app.scheduler.fallbackEngaged).toBe(false);
    expect(world.log.matching('warn', /fallback stands down/)).toHaveLength(1);
    await ageLastSuccess(world, 400);
    expect(await app.scheduler.tick()).toEqual({ decision: { run: false, reason: 'covered' } });
  });

  it('reports the poll as stale in readiness once nobody has polled for three intervals', async () => {
    await ageLastSuccess(world, 901);
    expect(await app.readiness()).toMatchObject({
      state: 'degraded',
      detail: { lastSuccessAgeSeconds: 901 },
    });
  });

  it('in-app instances share the work: the fleet polls about once per interval, not once per instance', async () => {
    const [a, b] = [
      await startAppInstance(world, { POLL_INTERVAL_SECONDS: '300' }),
      await startAppInstance(world, { POLL_INTERVAL_SECONDS: '300' }),
    ];
    try {
      await ageLastSuccess(world, 300);
      expect(await a.scheduler.tick()).toMatchObject({
        decision: { run: true, kind: 'in-app' },
        outcome: { ran: true },
      });
      expect(await b.scheduler.tick()).toEqual({ decision: { run: false, reason: 'fresh' } });
      await ageLastSuccess(world, 151);
      expect(await b.scheduler.tick()).toMatchObject({
        decision: { run: true, kind: 'in-app' },
        outcome: { ran: true },
      });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('POLLER_MODE=off never polls', async () => {
    const off = await startAppInstance(world, { POLLER_MODE: 'off' });
    try {
      await ageLastSuccess(world, 3600);
      expect(await off.scheduler.tick()).toEqual({ decision: { run: false, reason: 'off' } });
      expect(await off.readiness()).toMatchObject({ state: 'degraded', detail: { mode: 'off' } });
    } finally {
      await off.close();
    }
  });

  it('refuses a fallback threshold that a healthy Lambda could trip between two of its runs', async () => {
    await expect(
      startAppInstance(world, {
        POLLER_MODE: 'lambda',
        POLL_INTERVAL_SECONDS: '300',
        POLLER_FALLBACK_AFTER_SECONDS: '300',
      }),
    ).rejects.toThrow(ConfigError);
  });
});
