/**
 * Retries, Retry-After, "send-call is never retried", and the circuit breaker — counted on the simulator's side,
 * so a hidden retry would show up as an extra request or an extra dial.
 */
import {
  BlandAmbiguousDispatchError,
  BlandNotFoundError,
  BlandRateLimitError,
  BlandServerError,
  BlandUnavailableError,
} from '../../../src/calls/bland/bland.errors.js';
import { startBlandSimulator, type BlandSimulator } from '../../../src/calls/bland/simulator/index.js';
import { API_KEY, clientFor, rejectionOf, waitFor } from './support.js';

const CALL = { phone_number: '+14155550150', task: 'Ask whether the parcel arrived.' };

let sim: BlandSimulator;
let existingCallId: string;

beforeAll(async () => {
  sim = await startBlandSimulator({ apiKey: API_KEY, seed: 3, timeScale: 0.001 });
  existingCallId = (await clientFor(sim).sendCall(CALL)).call_id;
});
afterEach(() => sim.clearFaults());
afterAll(() => sim.stop());

describe('retries on reads', () => {
  it('getCall succeeds after two transient 5xx answers (three requests in all)', async () => {
    const before = sim.requestCount('details');
    sim.setFaults({ forced: { status: 503, times: 2 }, routes: ['details'] });
    const details = await clientFor(sim).getCall(existingCallId);
    expect(details.call_id).toBe(existingCallId);
    expect(sim.requestCount('details') - before).toBe(3);
  });

  it('gives up after maxRetries and surfaces the last 5xx', async () => {
    const before = sim.requestCount('list');
    sim.setFaults({ errorRate: 1, routes: ['list'] });
    await expect(clientFor(sim).listCalls()).rejects.toBeInstanceOf(BlandServerError);
    expect(sim.requestCount('list') - before).toBe(3);
  });

  it('retries a read that timed out', async () => {
    sim.setFaults({ timeout: { times: 1 }, routes: ['voices'] });
    const voices = await clientFor(sim, { timeoutMs: 150 }).listVoices();
    expect(voices.map((v) => v.name)).toContain('maya');
  });

  it('waits out a short Retry-After before retrying', async () => {
    sim.setFaults({
      rateLimit: { code: 'CALL_RL_REQUESTS', retryAfterSeconds: 1, times: 1 },
      routes: ['list'],
    });
    const started = Date.now();
    await clientFor(sim).listCalls({ limit: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('does not sleep through a long Retry-After: the 429 goes straight to the caller', async () => {
    const before = sim.requestCount('list');
    sim.setFaults({ rateLimit: { code: 'CALL_RL_REQUESTS', retryAfterSeconds: 120 }, routes: ['list'] });
    const error = await rejectionOf(clientFor(sim).listCalls());
    expect(error).toBeInstanceOf(BlandRateLimitError);
    expect(sim.requestCount('list') - before).toBe(1);
  });

  it('does not retry 4xx answers', async () => {
    const before = sim.requestCount('details');
    await expect(clientFor(sim).getCall('no-such-call')).rejects.toBeInstanceOf(BlandNotFoundError);
    expect(sim.requestCount('details') - before).toBe(1);
  });
});

describe('send-call is never retried', () => {
  it.each([
    ['a 5xx', '+14155550161', { forced: { status: 500 } }, BlandServerError, 0],
    [
      'a 502 after queueing',
      '+14155550162',
      { forced: { status: 502, afterProcessing: true } },
      BlandAmbiguousDispatchError,
      1,
    ],
    ['a timeout after queueing', '+14155550163', { timeout: {} }, BlandAmbiguousDispatchError, 1],
    ['a dropped connection', '+14155550164', { dropAfterAccept: {} }, BlandAmbiguousDispatchError, 1],
  ] as const)('on %s: one request, at most one dial', async (_label, number, fault, errorType, dials) => {
    const before = sim.requestCount('send');
    sim.setFaults({ ...fault, routes: ['send'] });
    const client = clientFor(sim, {
      timeoutMs: 150,
      retry: { maxRetries: 5, initialDelayMs: 1, maxDelayMs: 1 },
    });
    await expect(client.sendCall({ ...CALL, phone_number: number })).rejects.toBeInstanceOf(errorType);
    // Leave time for any (wrong) retry to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sim.requestCount('send') - before).toBe(1);
    if (dials === 1) await waitFor(() => sim.dialCount(number) === 1, { what: 'the single dial' });
    expect(sim.dialCount(number)).toBe(dials);
    expect(sim.calls().filter((c) => c.request.phone_number === number)).toHaveLength(dials);
  });
});

describe('circuit breaker', () => {
  const breakerClient = () =>
    clientFor(sim, { retry: { maxRetries: 0 }, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 200 } });

  it('opens after repeated 5xx, fails fast without sending, and closes after a good half-open trial', async () => {
    const client = breakerClient();
    sim.setFaults({ errorRate: 1, routes: ['details'] });
    for (let i = 0; i < 3; i++)
      await expect(client.getCall(existingCallId)).rejects.toBeInstanceOf(BlandServerError);
    expect(client.breakerState()).toBe('open');
    expect(client.isAvailable()).toBe(false);

    const sentBefore = sim.requestCount();
    const fastFail = await rejectionOf(client.sendCall(CALL));
    expect(fastFail).toBeInstanceOf(BlandUnavailableError);
    expect(fastFail).toMatchObject({ code: 'BLAND.UNAVAILABLE', retryable: true, status: null });
    expect(sim.requestCount()).toBe(sentBefore);

    sim.clearFaults();
    await waitFor(() => client.isAvailable(), { timeoutMs: 1_000, what: 'the half-open period' });
    expect((await client.getCall(existingCallId)).call_id).toBe(existingCallId);
    expect(client.breakerState()).toBe('closed');
  });

  it('re-opens when the half-open trial fails', async () => {
    const client = breakerClient();
    sim.setFaults({ errorRate: 1, routes: ['voices'] });
    for (let i = 0; i < 3; i++) await expect(client.listVoices()).rejects.toBeInstanceOf(BlandServerError);
    await waitFor(() => client.isAvailable(), { timeoutMs: 1_000, what: 'the half-open period' });
    await expect(client.listVoices()).rejects.toBeInstanceOf(BlandServerError);
    expect(client.breakerState()).toBe('open');
    await expect(client.listVoices()).rejects.toBeInstanceOf(BlandUnavailableError);
  });

  it('counts timeouts as outages', async () => {
    const client = clientFor(sim, {
      timeoutMs: 100,
      retry: { maxRetries: 0 },
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 5_000 },
    });
    sim.setFaults({ timeout: {}, routes: ['list'] });
    await rejectionOf(client.listCalls());
    await rejectionOf(client.listCalls());
    expect(client.breakerState()).toBe('open');
  });

  it('is not opened by 4xx answers, which say nothing about Bland’s health', async () => {
    const client = breakerClient();
    for (let i = 0; i < 6; i++)
      await expect(client.getCall('missing')).rejects.toBeInstanceOf(BlandNotFoundError);
    expect(client.breakerState()).toBe('closed');
    expect(client.isAvailable()).toBe(true);
  });
});
