import { AppError } from '../../../src/common/errors/app-error.js';
import { startCallsApp, type CallsTestApp } from '../../support/calls-app.js';
import { eventually } from '../../support/wait.js';

const TASK = 'Call to confirm tomorrow’s 10am dentist appointment for Ada Lovelace.';

describe('call lifecycle (real Postgres + the Bland simulator over HTTP)', () => {
  let t: CallsTestApp;
  beforeAll(async () => {
    t = await startCallsApp();
  });
  afterAll(() => t.app.stop());
  afterEach(() => t.sim.clearFaults());

  it('places a call, follows webhooks to completion and charges the real duration', async () => {
    const user = await t.newUser(1_000);
    t.sim.setOutcome('+14155550123', 'completed');
    const placed = await t.calls.place(user, {
      phone_number: '+1 415 555 0123',
      task: TASK,
      max_duration_minutes: 5,
    });
    expect(placed.call).toMatchObject({
      status: 'queued',
      phoneNumber: '+14155550123',
      heldCredits: 60,
      simulated: true,
    });
    expect(placed.call.blandCallId).toBeTruthy();
    expect(placed.balance).toEqual({ balance: 1_000, held: 60, available: 940 });

    const done = await eventually(async () => {
      const c = await t.calls.get(user, placed.call.id);
      return c.status === 'completed' && c.chargedCredits !== null ? c : undefined;
    }, 'the completed webhook');
    expect(done.durationSeconds).toBeGreaterThan(0);
    expect(done.transcript).toBeTruthy();
    expect(done.summary).toBeTruthy();
    const expected = Math.min(60, Math.max(1, Math.ceil((done.durationSeconds! * 12) / 60)));
    expect(done.chargedCredits).toBe(expected);
    expect(await t.credits.balance(user.userId)).toEqual({
      balance: 1_000 - expected,
      held: 0,
      available: 1_000 - expected,
    });
    const sim = t.sim.getCall(done.blandCallId!)!;
    expect(sim).toBeDefined();
  });

  it.each([
    ['no phone_number', { task: TASK }, /^phone_number: /],
    [
      'neither task nor pathway',
      { phone_number: '+14155550123' },
      /^task: either task or pathway_id is required/,
    ],
    [
      'both task and pathway',
      { phone_number: '+14155550123', task: TASK, pathway_id: 'p1' },
      /pathway_id: give task or pathway_id, not both/,
    ],
    [
      'a number without +country',
      { phone_number: '4155550123', task: TASK },
      /^phone_number: "4155550123" is not in E.164 format/,
    ],
    [
      'a too-short number',
      { phone_number: '+1415555', task: TASK },
      /^phone_number: .*not a valid, dialable number|not a phone number/,
    ],
    ['a task over 8,000 chars', { phone_number: '+14155550123', task: 'x'.repeat(8_001) }, /^task: /],
    [
      'a 200-char first sentence',
      { phone_number: '+14155550123', task: TASK, first_sentence: 'y'.repeat(200) },
      /^first_sentence: /,
    ],
    [
      '31 minutes',
      { phone_number: '+14155550123', task: TASK, max_duration_minutes: 31 },
      /^max_duration_minutes: must be between 1 and 30/,
    ],
    [
      '0 minutes',
      { phone_number: '+14155550123', task: TASK, max_duration_minutes: 0 },
      /^max_duration_minutes: /,
    ],
    [
      'a past start_time',
      { phone_number: '+14155550123', task: TASK, start_time: '2020-01-01T00:00:00Z' },
      /^start_time: must be in the future/,
    ],
    ['an unknown field', { phone_number: '+14155550123', task: TASK, colour: 'red' }, /Unrecognized key/],
    [
      'leave_message without a message',
      { phone_number: '+14155550123', task: TASK, voicemail: { action: 'leave_message' } },
      /^voicemail.message: required/,
    ],
  ])('refuses %s naming the field, without holding credits', async (_label, input, message) => {
    const user = await t.newUser(100);
    const err = await t.calls.place(user, input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe('validation');
    expect((err as AppError).message).toMatch(message);
    expect(await t.credits.balance(user.userId)).toEqual({ balance: 100, held: 0, available: 100 });
  });

  it.each(['911', '+1 911', '+44 999', '+61 000', '112', '+19005551234', '+448712345678'])(
    'never dials %s (emergency or premium rate)',
    async (number) => {
      const user = await t.newUser(100);
      const before = t.sim.dialCount();
      const err = (await t.calls
        .place(user, { phone_number: number, task: TASK })
        .catch((e: unknown) => e)) as AppError;
      expect(err.code).toMatch(/^CALLS\.(EMERGENCY_NUMBER|BLOCKED_DESTINATION)$/);
      expect(err.message).toMatch(/^phone_number: (emergency|premium-rate) numbers are never dialled/);
      expect(t.sim.dialCount()).toBe(before);
    },
  );

  it.each([
    [
      400,
      'CALLS.REJECTED_BY_BLAND',
      { status: 'error', message: 'Invalid request', errors: [{ field: 'voice', message: 'unknown voice' }] },
      /voice: unknown voice/,
    ],
    [402, 'CALLS.BLAND_BILLING', undefined, /cannot pay for calls/],
    [500, 'CALLS.BLAND_UNAVAILABLE', undefined, /nothing was dialled/],
  ])('Bland %i → %s, the hold released at once, balance unchanged', async (status, code, body, message) => {
    const user = await t.newUser(200);
    t.sim.setFaults({ forced: { status, ...(body ? { body } : {}), times: 1 }, routes: ['send'] });
    const err = (await t.calls
      .place(user, { phone_number: '+14155550188', task: TASK })
      .catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(await t.credits.balance(user.userId)).toEqual({ balance: 200, held: 0, available: 200 });
    const { calls } = await t.calls.list(user, {});
    expect(calls[0]).toMatchObject({ status: 'failed', chargedCredits: 0 });
  });

  it('Bland 429 (plan limit) → a rate-limit error with Bland’s code, hold released', async () => {
    const user = await t.newUser(200);
    t.sim.setFaults({
      rateLimit: { code: 'CALL_RL_PLAN_CONCURRENCY', retryAfterSeconds: 7, times: 1 },
      routes: ['send'],
    });
    const err = (await t.calls
      .place(user, { phone_number: '+14155550189', task: TASK })
      .catch((e: unknown) => e)) as AppError;
    expect(err).toMatchObject({
      kind: 'rate_limited',
      code: 'CALLS.BLAND_RATE_LIMITED',
      retryAfterSeconds: 7,
    });
    expect(err.message).toMatch(/CALL_RL_PLAN_CONCURRENCY/);
    expect(await t.credits.balance(user.userId)).toEqual({ balance: 200, held: 0, available: 200 });
  });

  it('refuses a call it cannot afford before dialling', async () => {
    const user = await t.newUser(10);
    const before = t.sim.dialCount();
    await expect(
      t.calls.place(user, { phone_number: '+14155550123', task: TASK, max_duration_minutes: 1 }),
    ).rejects.toMatchObject({
      code: 'CREDITS.INSUFFICIENT',
    });
    expect(t.sim.dialCount()).toBe(before);
    expect((await t.calls.list(user, {})).calls).toHaveLength(0);
  });

  it('enforces the per-user concurrency limit', async () => {
    const user = await t.newUser(10_000);
    t.sim.setFaults({ latencyMs: 0 });
    const placed = [];
    for (let i = 0; i < 3; i++) {
      placed.push(
        await t.calls.place(user, {
          phone_number: '+14155550123',
          task: TASK,
          start_time: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      );
    }
    await expect(t.calls.place(user, { phone_number: '+14155550123', task: TASK })).rejects.toMatchObject({
      code: 'CALLS.TOO_MANY_ACTIVE',
      kind: 'rate_limited',
    });
    for (const p of placed) await t.calls.stop(user, p.call.id);
  });

  it('cancels a scheduled call with stop, at no cost; stopping again is harmless', async () => {
    const user = await t.newUser(500);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const { call } = await t.calls.place(user, { phone_number: '+14155550177', task: TASK, start_time: at });
    expect(call.scheduledAt?.toISOString()).toBe(new Date(at).toISOString());
    const stopped = await t.calls.stop(user, call.id);
    expect(stopped).toMatchObject({ status: 'canceled', chargedCredits: 0 });
    expect(t.sim.dialCount('+14155550177')).toBe(0);
    expect(await t.calls.stop(user, call.id)).toMatchObject({ status: 'canceled' });
    expect(await t.credits.balance(user.userId)).toEqual({ balance: 500, held: 0, available: 500 });
  });

  it('stops a live call and charges only the time talked', async () => {
    const slow = await startCallsApp({ BLAND_SIMULATOR_TIME_SCALE: '1' });
    try {
      const user = await slow.newUser(500);
      const { call } = await slow.calls.place(user, {
        phone_number: '+14155550166',
        task: TASK,
        max_duration_minutes: 10,
      });
      await eventually(
        async () => (await slow.calls.get(user, call.id)).status !== 'queued' || undefined,
        'ringing',
        15_000,
      ).catch(() => undefined);
      const stopped = await slow.calls.stop(user, call.id);
      expect(stopped.status).toMatch(/^(completed|canceled|failed|no_answer)$/);
      expect(stopped.chargedCredits).toBeLessThan(120);
      expect((await slow.credits.balance(user.userId)).held).toBe(0);
    } finally {
      await slow.app.stop();
    }
  }, 30_000);

  it('keeps users apart: B cannot read, list or stop A’s call', async () => {
    const a = await t.newUser(500);
    const b = await t.newUser(500);
    const { call } = await t.calls.place(a, {
      phone_number: '+14155550155',
      task: TASK,
      start_time: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await expect(t.calls.get(b, call.id)).rejects.toMatchObject({
      code: 'CALLS.NOT_FOUND',
      kind: 'not_found',
    });
    await expect(t.calls.stop(b, call.id)).rejects.toMatchObject({ code: 'CALLS.NOT_FOUND' });
    expect((await t.calls.list(b, {})).calls.map((c) => c.id)).not.toContain(call.id);
    expect((await t.calls.get(a, call.id)).status).toBe('queued');
    await t.calls.stop(a, call.id);
  });

  it('lists with filters and a cursor', async () => {
    const user = await t.newUser(5_000);
    for (const n of ['+14155550101', '+14155550102', '+14155550101']) {
      const { call } = await t.calls.place(user, {
        phone_number: n,
        task: TASK,
        start_time: new Date(Date.now() + 3_600_000).toISOString(),
      });
      await t.calls.stop(user, call.id);
    }
    const page1 = await t.calls.list(user, { limit: 2 });
    expect(page1.calls).toHaveLength(2);
    const page2 = await t.calls.list(user, { limit: 2, cursor: page1.nextCursor });
    expect(page2.calls).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect((await t.calls.list(user, { phoneNumber: '+14155550101' })).calls).toHaveLength(2);
    expect((await t.calls.list(user, { status: 'completed' })).calls).toHaveLength(0);
    await expect(t.calls.list(user, { cursor: 'garbage' })).rejects.toMatchObject({ message: /^cursor: / });
  });
});
