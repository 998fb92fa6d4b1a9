/**
 * BlandClient against the simulator over real loopback HTTP: every Bland failure becomes the right typed error,
 * and the send-call cases that may or may not have dialled are told apart from definite failures.
 */
import { BlandClient } from '../../../src/calls/bland/bland.client.js';
import {
  BlandAmbiguousDispatchError,
  BlandAuthError,
  BlandBadResponseError,
  BlandBillingError,
  BlandError,
  BlandNetworkError,
  BlandNotFoundError,
  BlandRateLimitError,
  BlandRejectedError,
  BlandServerError,
  BlandValidationError,
} from '../../../src/calls/bland/bland.errors.js';
import { startBlandSimulator, type BlandSimulator } from '../../../src/calls/bland/simulator/index.js';
import { API_KEY, clientFor, closedPort, rejectionOf, waitFor } from './support.js';

const NUMBER = '+14155550123';
const CALL = { phone_number: NUMBER, task: 'Confirm the dentist appointment for Tuesday.' };

let sim: BlandSimulator;
let client: BlandClient;

beforeAll(async () => {
  sim = await startBlandSimulator({
    apiKey: API_KEY,
    seed: 7,
    timeScale: 0.001,
    defaultOutcome: 'completed',
  });
  client = clientFor(sim);
});
afterEach(() => sim.clearFaults());
afterAll(() => sim.stop());

/** Dials to a number unique to the test, so assertions on dial counts do not see other tests' calls. */
let nextLine = 100;
function freshNumber(): string {
  nextLine += 1;
  return `+1415555${String(nextLine).padStart(4, '0')}`;
}

function expectSafe(error: unknown): asserts error is BlandError {
  expect(error).toBeInstanceOf(BlandError);
  const e = error as BlandError;
  expect(e.message).not.toContain(API_KEY);
  expect(e.code).toMatch(/^BLAND\.[A-Z_]+$/);
}

describe('definite refusals', () => {
  it('maps a 400 to BlandValidationError listing the fields Bland named, and dials nobody', async () => {
    const number = 'not-a-number';
    const error = await rejectionOf(
      client.sendCall({ phone_number: number, first_sentence: 'x'.repeat(250) }),
    );
    expectSafe(error);
    expect(error).toBeInstanceOf(BlandValidationError);
    const validation = error as BlandValidationError;
    expect(validation.status).toBe(400);
    expect(validation.retryable).toBe(false);
    expect(validation.fields.map((f) => f.field).sort()).toEqual(['first_sentence', 'phone_number', 'task']);
    expect(validation.message).toContain('phone_number');
    expect(sim.dialCount(number)).toBe(0);
  });

  it('maps a wrong API key to BlandAuthError without echoing either key', async () => {
    const wrongKey = 'org_wrong_key_fedcba9876543210';
    const error = await rejectionOf(clientFor(sim, { apiKey: wrongKey }).getCall('any'));
    expectSafe(error);
    expect(error).toBeInstanceOf(BlandAuthError);
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(wrongKey);
  });

  it('maps a 402 to BlandBillingError', async () => {
    sim.setFaults({ forced: { status: 402, times: 1 }, routes: ['send'] });
    const error = await rejectionOf(client.sendCall(CALL));
    expectSafe(error);
    expect(error).toBeInstanceOf(BlandBillingError);
    expect(error).toMatchObject({ code: 'BLAND.BILLING', status: 402, retryable: false });
  });

  it('maps a 429 to BlandRateLimitError with Bland’s CALL_RL_* code and Retry-After', async () => {
    sim.setFaults({ rateLimit: { code: 'CALL_RL_PLAN_DAILY_MINUTES', retryAfterSeconds: 7, times: 1 } });
    const error = await rejectionOf(client.sendCall(CALL));
    expectSafe(error);
    expect(error).toBeInstanceOf(BlandRateLimitError);
    expect(error).toMatchObject({
      code: 'BLAND.RATE_LIMITED',
      status: 429,
      blandCode: 'CALL_RL_PLAN_DAILY_MINUTES',
      retryAfterSeconds: 7,
      retryable: true,
    });
  });

  it('refuses calls over the plan concurrency with 429 CALL_RL_PLAN_CONCURRENCY', async () => {
    const limited = await startBlandSimulator({ concurrencyLimit: 1, timeScale: 1 });
    try {
      const limitedClient = clientFor(limited);
      await limitedClient.sendCall(CALL);
      const error = await rejectionOf(limitedClient.sendCall({ ...CALL, phone_number: '+14155550124' }));
      expect(error).toBeInstanceOf(BlandRateLimitError);
      expect((error as BlandRateLimitError).blandCode).toBe('CALL_RL_PLAN_CONCURRENCY');
    } finally {
      await limited.stop();
    }
  });

  it('maps a plan-blocked destination to BlandRejectedError whatever the status', async () => {
    sim.setFaults({
      forced: {
        status: 403,
        times: 1,
        body: {
          data: null,
          errors: [{ error: 'CALL_PLAN_DESTINATION_BLOCKED', message: 'Destination blocked.' }],
        },
      },
    });
    const error = await rejectionOf(client.sendCall(CALL));
    expect(error).toBeInstanceOf(BlandRejectedError);
    expect(error).toMatchObject({ blandCode: 'CALL_PLAN_DESTINATION_BLOCKED', status: 403 });
  });

  it('maps a 500 on send-call to BlandServerError: definitely not queued, nothing dialled', async () => {
    const number = freshNumber();
    sim.setFaults({ forced: { status: 500, times: 1 }, routes: ['send'] });
    const error = await rejectionOf(client.sendCall({ ...CALL, phone_number: number }));
    expectSafe(error);
    expect(error).toBeInstanceOf(BlandServerError);
    expect(error).toMatchObject({ code: 'BLAND.SERVER_ERROR', status: 500, retryable: true });
    expect(sim.calls().filter((c) => c.request.phone_number === number)).toHaveLength(0);
  });

  it('maps unknown call ids to BlandNotFoundError for details and stop', async () => {
    await expect(client.getCall('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      BlandNotFoundError,
    );
    await expect(client.stopCall('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      BlandNotFoundError,
    );
  });

  it('reads Bland’s stop error text as not-found even when it arrives as a 400 or a 200', async () => {
    const body = { status: 'error', message: 'SID not found for the given c_id.' };
    sim.setFaults({ forced: { status: 400, body, times: 1 }, routes: ['stop'] });
    await expect(client.stopCall('abc')).rejects.toBeInstanceOf(BlandNotFoundError);
    sim.setFaults({ forced: { status: 200, body, times: 1 }, routes: ['stop'] });
    await expect(client.stopCall('abc')).rejects.toBeInstanceOf(BlandNotFoundError);
  });

  it('never puts the API key into a message, even when Bland echoes it', async () => {
    sim.setFaults({
      forced: { status: 400, times: 1, body: { status: 'error', message: `bad key ${API_KEY}` } },
    });
    const error = await rejectionOf(client.listVoices());
    expectSafe(error);
    expect(error.message).toContain('[redacted]');
  });

  it('rejects a malformed 2xx on a read with BlandBadResponseError', async () => {
    sim.setFaults({ forced: { status: 200, body: { unexpected: true }, times: 1 }, routes: ['list'] });
    await expect(client.listCalls()).rejects.toBeInstanceOf(BlandBadResponseError);
  });
});

describe('connection failures', () => {
  it('reports connection refused as not dispatched, for send-call and reads alike', async () => {
    const offline = new BlandClient({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      apiKey: API_KEY,
      timeoutMs: 500,
      retry: { maxRetries: 0 },
    });
    for (const attempt of [() => offline.sendCall(CALL), () => offline.getCall('x')]) {
      const error = await rejectionOf(attempt());
      expectSafe(error);
      expect(error).toBeInstanceOf(BlandNetworkError);
      expect(error).toMatchObject({
        code: 'BLAND.NETWORK',
        dispatched: false,
        retryable: true,
        status: null,
      });
    }
  });
});

describe('ambiguous dispatch (the call may exist: never resend)', () => {
  async function expectAmbiguous(reason: string, number: string): Promise<void> {
    const error = await rejectionOf(client.sendCall({ ...CALL, phone_number: number }));
    expectSafe(error);
    expect(error).toBeInstanceOf(BlandAmbiguousDispatchError);
    expect(error).toMatchObject({ code: 'BLAND.DISPATCH_UNKNOWN', reason, retryable: false });
    expect(sim.requestCount('send')).toBe(sendsBefore + 1);
    await waitFor(() => sim.dialCount(number) === 1, { what: 'the accepted call to dial' });
    expect(sim.calls().filter((c) => c.request.phone_number === number)).toHaveLength(1);
  }
  let sendsBefore = 0;
  beforeEach(() => {
    sendsBefore = sim.requestCount('send');
  });

  it('a connection dropped after the request was accepted → BlandAmbiguousDispatchError, exactly one dial', async () => {
    sim.setFaults({ dropAfterAccept: { times: 1 }, routes: ['send'] });
    await expectAmbiguous('connection_lost', freshNumber());
  });

  it('a send-call that times out after being accepted → ambiguous, exactly one dial', async () => {
    const slowClient = clientFor(sim, { timeoutMs: 150 });
    const number = freshNumber();
    sim.setFaults({ timeout: { times: 1 }, routes: ['send'] });
    const error = await rejectionOf(slowClient.sendCall({ ...CALL, phone_number: number }));
    expect(error).toMatchObject({ code: 'BLAND.DISPATCH_UNKNOWN', reason: 'timeout' });
    expect(sim.requestCount('send')).toBe(sendsBefore + 1);
    await waitFor(() => sim.dialCount(number) === 1, { what: 'the accepted call to dial' });
  });

  it('a gateway 504 after Bland queued the call → ambiguous, exactly one dial', async () => {
    sim.setFaults({ forced: { status: 504, afterProcessing: true, times: 1 }, routes: ['send'] });
    await expectAmbiguous('gateway_error', freshNumber());
  });

  it('a 2xx without a call_id → ambiguous (probably queued, but untrackable)', async () => {
    sim.setFaults({ forced: { status: 200, body: 'ok', afterProcessing: true, times: 1 }, routes: ['send'] });
    await expectAmbiguous('unreadable_response', freshNumber());
  });
});

describe('wire details', () => {
  it('sends the BYOT encrypted_key header and accepts a successful send', async () => {
    const byot = clientFor(sim, { encryptedKey: 'enc_twilio_key_123456' });
    const { call_id, status } = await byot.sendCall({ ...CALL, phone_number: freshNumber() });
    expect(status).toBe('success');
    expect(sim.getCall(call_id)?.encryptedKey).toBe('enc_twilio_key_123456');
  });

  it('accepts Authorization with or without "Bearer", and ignores x-api-key (as Bland does)', async () => {
    const get = (headers: Record<string, string>) => fetch(`${sim.url}/v1/voices`, { headers });
    expect((await get({ authorization: API_KEY })).status).toBe(200);
    expect((await get({ authorization: `Bearer ${API_KEY}` })).status).toBe(200);
    expect((await get({ 'x-api-key': API_KEY })).status).toBe(401);
  });
});
