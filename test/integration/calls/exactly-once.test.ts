import { BlandConnection } from '../../../src/calls/bland-connection.js';
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from '../../../src/calls/bland/webhook-signature.js';
import { startCallsApp, type CallsTestApp } from '../../support/calls-app.js';
import { eventually } from '../../support/wait.js';

const TASK = 'Ask whether the parcel for order 1234 arrived.';

describe('exactly-once dialling and settlement (real Postgres + simulator)', () => {
  let t: CallsTestApp;
  let secret: string;
  beforeAll(async () => {
    t = await startCallsApp({ DISPATCH_UNKNOWN_GRACE_SECONDS: '10' });
    secret = t.app.app.get(BlandConnection).webhookSecret!;
  });
  afterAll(() => t.app.stop());
  afterEach(() => t.sim.clearFaults());

  const postWebhook = (body: unknown, signature?: string) => {
    const raw = JSON.stringify(body);
    return fetch(`${t.app.url}/webhooks/bland`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature !== undefined ? { [WEBHOOK_SIGNATURE_HEADER]: signature } : {}),
      },
      body: raw,
    });
  };
  const signed = (body: unknown) => postWebhook(body, signWebhookBody(JSON.stringify(body), secret));
  const details = (blandCallId: string) => t.app.app.get(BlandConnection).client.getCall(blandCallId);

  it('ambiguous dispatch: keeps the hold, a retry with the same key never dials again, the poller adopts the call', async () => {
    // Our webhook URL is unreachable here, so only reconciliation can learn what happened to the call.
    const deaf = await startCallsApp({ PUBLIC_URL: 'http://127.0.0.1:9' });
    try {
      const user = await deaf.newUser(1_000);
      const number = '+14155550142';
      deaf.sim.setOutcome(number, 'completed');
      deaf.sim.setFaults({ dropAfterAccept: { times: 1 }, routes: ['send'] });
      const input = {
        phone_number: number,
        task: TASK,
        max_duration_minutes: 2,
        idempotency_key: 'order-1234-check',
      };
      const first = await deaf.calls.place(user, input);
      expect(first.call.status).toBe('dispatch_unknown');
      expect(first.balance.held).toBe(24);
      expect(deaf.sim.dialCount(number)).toBe(1);

      const retry = await deaf.calls.place(user, input);
      expect(retry).toMatchObject({ replayed: true, call: { id: first.call.id } });
      expect(deaf.sim.dialCount(number)).toBe(1);
      await expect(deaf.calls.place(user, { ...input, task: 'something else' })).rejects.toMatchObject({
        code: 'CALLS.IDEMPOTENCY_KEY_REUSED',
      });

      const call = await deaf.calls.get(user, first.call.id);
      expect(await deaf.reconciler.reconcileOne(call)).toBe('adopted');
      const done = await eventually(async () => {
        const c = await deaf.calls.get(user, first.call.id);
        if (c.status === 'completed') return c;
        await deaf.reconciler.reconcileOne(c);
        return undefined;
      }, 'the adopted call to complete');
      expect(done.blandCallId).toBeTruthy();
      expect(done.chargedCredits).toBeGreaterThan(0);
      expect(deaf.sim.dialCount(number)).toBe(1);
      expect((await deaf.credits.balance(user.userId)).held).toBe(0);
    } finally {
      await deaf.app.stop();
    }
  });

  it('ambiguous dispatch: a webhook carrying our call id adopts the call without any retry', async () => {
    const user = await t.newUser(1_000);
    const number = '+14155550147';
    t.sim.setOutcome(number, 'completed');
    t.sim.setFaults({ dropAfterAccept: { times: 1 }, routes: ['send'] });
    const { call } = await t.calls.place(user, { phone_number: number, task: TASK, max_duration_minutes: 2 });
    expect(['dispatch_unknown', 'queued', 'ringing', 'in_progress']).toContain(call.status);
    const done = await eventually(async () => {
      const c = await t.calls.get(user, call.id);
      return c.status === 'completed' ? c : undefined;
    }, 'webhooks to adopt and complete the call');
    expect(done.blandCallId).toBeTruthy();
    expect(t.sim.dialCount(number)).toBe(1);
    expect((await t.credits.balance(user.userId)).held).toBe(0);
  });

  it('ambiguous dispatch that never reached Bland: waits out the grace period, then fails it and releases the hold', async () => {
    const user = await t.newUser(500);
    const number = '+14155550143';
    t.sim.setFaults({ forced: { status: 504, times: 1 }, routes: ['send'] });
    const { call } = await t.calls.place(user, { phone_number: number, task: TASK, max_duration_minutes: 1 });
    expect(call.status).toBe('dispatch_unknown');
    expect(t.sim.dialCount(number)).toBe(0);
    expect(await t.reconciler.reconcileOne(call)).toBe('waiting');
    expect((await t.credits.balance(user.userId)).held).toBe(12);
    expect(await t.reconciler.reconcileOne(call, Date.now() + 11_000)).toBe('failed');
    expect(await t.calls.get(user, call.id)).toMatchObject({
      status: 'failed',
      errorCode: 'CALLS.DISPATCH_FAILED',
      chargedCredits: 0,
    });
    expect(await t.credits.balance(user.userId)).toEqual({ balance: 500, held: 0, available: 500 });
    expect(t.sim.dialCount(number)).toBe(0);
  });

  it('concurrent requests with one idempotency key dial once', async () => {
    const user = await t.newUser(5_000);
    const number = '+14155550144';
    const input = {
      phone_number: number,
      task: TASK,
      idempotency_key: 'same-key',
      start_time: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const results = await Promise.all(Array.from({ length: 8 }, () => t.calls.place(user, input)));
    expect(new Set(results.map((r) => r.call.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(t.sim.requestCount('send')).toBeGreaterThan(0);
    expect(t.sim.calls().filter((c) => c.request.phone_number === number)).toHaveLength(1);
    await t.calls.stop(user, results[0]!.call.id);
  });

  it('webhooks: refuses unsigned and badly signed bodies without touching state; replays and old statuses are harmless', async () => {
    const user = await t.newUser(1_000);
    const number = '+14155550145';
    const { call } = await t.calls.place(user, {
      phone_number: number,
      task: TASK,
      max_duration_minutes: 3,
      start_time: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const queued = await details(call.blandCallId!);

    const forged = { ...queued, status: 'completed', completed: true, call_length: 2.5 };
    expect((await postWebhook(forged)).status).toBe(401);
    expect((await postWebhook(forged, 'deadbeef')).status).toBe(401);
    expect((await postWebhook(forged, signWebhookBody(JSON.stringify(forged), 'wrong-secret'))).status).toBe(
      401,
    );
    expect((await t.calls.get(user, call.id)).status).toBe('queued');
    expect((await t.credits.balance(user.userId)).held).toBe(36);

    const completed = {
      ...queued,
      status: 'completed',
      completed: true,
      queue_status: 'complete',
      call_length: 2.5,
      answered_by: 'human',
      started_at: new Date().toISOString(),
    };
    for (let i = 0; i < 3; i++) expect((await signed(completed)).status).toBe(200); // replays
    const ringing = { ...queued, status: 'ringing', completed: false, queue_status: 'allocated' };
    expect((await signed(ringing)).status).toBe(200); // arrives late: must not reopen the call
    const after = await t.calls.get(user, call.id);
    expect(after).toMatchObject({ status: 'completed', durationSeconds: 150, chargedCredits: 30 });
    expect(await t.credits.balance(user.userId)).toEqual({ balance: 970, held: 0, available: 970 });
    const ledger = await t.credits.entriesForCall(call.id);
    expect(ledger.map((e) => e.kind)).toEqual(['hold', 'capture', 'release']);

    expect((await signed({ call_id: 'unknown-call', status: 'completed' })).status).toBe(200);
    const garbage = 'not json';
    const res = await fetch(`${t.app.url}/webhooks/bland`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(garbage, secret) },
      body: garbage,
    });
    expect([400, 401]).toContain(res.status);
  });

  it('settles exactly once when webhooks and polls race', async () => {
    const user = await t.newUser(1_000);
    const number = '+14155550146';
    t.sim.setOutcome(number, 'completed');
    const { call } = await t.calls.place(user, { phone_number: number, task: TASK, max_duration_minutes: 4 });
    await eventually(
      async () => t.sim.getCall(call.blandCallId!)?.phase === 'ended',
      'the simulated call to end',
    );
    const final = await details(call.blandCallId!);
    const current = await t.calls.get(user, call.id);
    await Promise.all([
      ...Array.from({ length: 5 }, () => signed(final)),
      ...Array.from({ length: 5 }, () => t.reconciler.reconcileOne(current)),
    ]);
    const ledger = await t.credits.entriesForCall(call.id);
    expect(ledger.filter((e) => e.kind === 'capture')).toHaveLength(1);
    expect(ledger.filter((e) => e.kind === 'release')).toHaveLength(1);
    const settled = await t.calls.get(user, call.id);
    const balance = await t.credits.balance(user.userId);
    expect(balance).toEqual({
      balance: 1_000 - settled.chargedCredits!,
      held: 0,
      available: 1_000 - settled.chargedCredits!,
    });
  });
});
