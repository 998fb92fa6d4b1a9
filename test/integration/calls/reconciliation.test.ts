import { startCallsApp, type CallsTestApp } from '../../support/calls-app.js';
import { eventually } from '../../support/wait.js';

const TASK = 'Reconciliation test call.';
const MINUTE = 60_000;

describe('ReconciliationService on stuck and scheduled calls (real Postgres + simulator)', () => {
  let t: CallsTestApp;
  beforeAll(async () => {
    // Real-time simulator: calls stay live for the whole test, webhooks unreachable (only reconciliation acts).
    t = await startCallsApp({ BLAND_SIMULATOR_TIME_SCALE: '1', PUBLIC_URL: 'http://127.0.0.1:9' });
  });
  afterAll(() => t.app.stop());

  it('never force-ends a scheduled call before it can even have started', async () => {
    const user = await t.newUser(500);
    const { call } = await t.calls.place(user, {
      phone_number: '+14155550191',
      task: TASK,
      max_duration_minutes: 5,
      start_time: new Date(Date.now() + 120 * MINUTE).toISOString(),
    });
    // 30 minutes after creation: far past max duration + margin from creation, but 90 minutes before it starts.
    expect(await t.reconciler.reconcileOne(call, Date.now() + 30 * MINUTE)).toBe('unchanged');
    expect((await t.calls.get(user, call.id)).status).toBe('queued');
    expect((await t.credits.balance(user.userId)).held).toBe(60);
    await t.calls.stop(user, call.id);
  });

  it('ends a call Bland still reports live long past its max duration: stops it at Bland, settles once', async () => {
    const user = await t.newUser(500);
    const number = '+14155550192';
    t.sim.setOutcome(number, 'completed');
    const { call } = await t.calls.place(user, { phone_number: number, task: TASK, max_duration_minutes: 1 });
    await eventually(
      async () => t.sim.getCall(call.blandCallId!)?.phase !== 'queued' || undefined,
      'the call to ring',
      15_000,
    ).catch(() => undefined);
    const live = await t.calls.get(user, call.id);
    expect(await t.reconciler.reconcileOne(live, Date.now() + 20 * MINUTE)).toBe('forced');
    const forced = await t.calls.get(user, call.id);
    expect(forced).toMatchObject({
      status: 'failed',
      errorMessage: expect.stringMatching(/closed by reconciliation/),
    });
    expect(t.sim.getCall(call.blandCallId!)!.phase).toBe('ended'); // we asked Bland to hang up
    const ledger = await t.credits.entriesForCall(call.id);
    expect(ledger.filter((e) => e.kind === 'release')).toHaveLength(1);
    expect((await t.credits.balance(user.userId)).held).toBe(0);
  });
});
