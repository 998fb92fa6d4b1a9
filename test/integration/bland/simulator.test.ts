/**
 * The simulator as a faithful Bland: lifecycle to a terminal state, signed webhooks (with redelivery), scheduled
 * calls and stop, listing and metadata reconciliation, determinism, and the HTTP control plane.
 */
import { mapBlandCall, type BlandCallUpdate } from '../../../src/calls/bland/bland.mapper.js';
import { BMCP_CALL_ID_METADATA_KEY } from '../../../src/calls/bland/bland.types.js';
import { startBlandSimulator, type BlandSimulator } from '../../../src/calls/bland/simulator/index.js';
import { verifyWebhookSignature } from '../../../src/calls/bland/webhook-signature.js';
import {
  API_KEY,
  WEBHOOK_SECRET,
  clientFor,
  startWebhookReceiver,
  waitFor,
  type WebhookReceiver,
} from './support.js';

const TASK = 'Book a table for two at 7pm on Friday. Ask about vegetarian options.';

let sim: BlandSimulator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  sim = await startBlandSimulator({
    apiKey: API_KEY,
    webhookSecret: WEBHOOK_SECRET,
    seed: 11,
    timeScale: 0.001,
  });
  receiver = await startWebhookReceiver();
});
afterEach(() => sim.clearFaults());
afterAll(async () => {
  await sim.stop();
  await receiver.close();
});

async function untilTerminal(callId: string): Promise<BlandCallUpdate> {
  const client = clientFor(sim);
  let update: BlandCallUpdate | undefined;
  await waitFor(
    async () => {
      update = mapBlandCall(await client.getCall(callId));
      return update.terminal;
    },
    { what: `call ${callId} to end` },
  );
  return update!;
}

describe('lifecycle', () => {
  it('takes a call to completion with transcript and summary, posting a verifiable webhook on every change', async () => {
    sim.setOutcome('+14155550201', 'completed');
    const client = clientFor(sim);
    const { call_id } = await client.sendCall({
      phone_number: '+14155550201',
      task: TASK,
      max_duration: 2,
      webhook: receiver.url,
      metadata: { [BMCP_CALL_ID_METADATA_KEY]: 'our-call-1' },
    });

    const update = await untilTerminal(call_id);
    expect(update).toMatchObject({
      status: 'completed',
      terminal: true,
      answeredBy: 'human',
      ourCallId: 'our-call-1',
    });
    expect(update.durationSeconds).toBeGreaterThanOrEqual(20);
    expect(update.durationSeconds).toBeLessThanOrEqual(120); // max_duration: 2 minutes
    expect(update.transcript).toMatch(/^user: .+ \n assistant: /);
    expect(update.transcriptTurns!.length).toBeGreaterThanOrEqual(6);
    expect(update.summary).toContain('Book a table for two at 7pm on Friday.');
    expect(update.startedAt).toBeInstanceOf(Date);

    await sim.webhooksIdle();
    const mine = receiver.received.filter((w) => JSON.parse(w.rawBody).call_id === call_id);
    for (const hook of mine) {
      expect(verifyWebhookSignature(hook.rawBody, hook.headers['x-webhook-signature'], WEBHOOK_SECRET)).toBe(
        true,
      );
    }
    expect(mine.map((w) => mapBlandCall(JSON.parse(w.rawBody)).status)).toEqual([
      'queued',
      'ringing',
      'in_progress',
      'completed',
    ]);
    expect(mapBlandCall(JSON.parse(mine.at(-1)!.rawBody))).toMatchObject({
      terminal: true,
      ourCallId: 'our-call-1',
    });
  });

  it.each([
    ['no-answer', { status: 'no_answer', answeredBy: 'no-answer', durationSeconds: 0 }],
    ['busy', { status: 'busy', durationSeconds: 0 }],
    ['failed', { status: 'failed', durationSeconds: 0 }],
    ['voicemail', { status: 'completed', answeredBy: 'voicemail' }],
  ] as const)('ends a %s call with the matching terminal status', async (outcome, expected) => {
    const number = `+1415555030${['no-answer', 'busy', 'failed', 'voicemail'].indexOf(outcome)}`;
    sim.setOutcome(number, outcome);
    const { call_id } = await clientFor(sim).sendCall({ phone_number: number, task: TASK });
    const update = await untilTerminal(call_id);
    expect(update).toMatchObject({ terminal: true, ...expected });
    if (outcome === 'failed') expect(update.errorMessage).toMatch(/^Call failed/);
    expect(sim.dialCount(number)).toBe(1);
  });

  it('redelivers a webhook the receiver failed to accept', async () => {
    const flaky = await startWebhookReceiver({ failFirst: 2 });
    try {
      const { call_id } = await clientFor(sim).sendCall({
        phone_number: '+14155550202',
        task: TASK,
        webhook: flaky.url,
      });
      await waitFor(() => sim.getCall(call_id)!.webhookDeliveries.length > 0, { what: 'a delivery' });
      await sim.webhooksIdle();
      expect(sim.getCall(call_id)!.webhookDeliveries[0]).toMatchObject({ delivered: true, attempts: 3 });
      expect(flaky.received.length).toBeGreaterThan(0);
    } finally {
      await flaky.close();
    }
  });

  it('serves a recording for a recorded, answered call', async () => {
    sim.setOutcome('+14155550203', 'completed');
    const { call_id } = await clientFor(sim).sendCall({
      phone_number: '+14155550203',
      task: TASK,
      record: true,
    });
    const update = await untilTerminal(call_id);
    const response = await fetch(update.recordingUrl!, { headers: { authorization: API_KEY } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(44);
  });
});

describe('scheduling and stop', () => {
  it('keeps a scheduled call queued until its start_time, and stop cancels it before it ever dials', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000);
    const startTime = inAnHour.toISOString().replace('T', ' ').slice(0, 19) + ' +00:00';
    const client = clientFor(sim);
    const { call_id } = await client.sendCall({
      phone_number: '+14155550210',
      task: TASK,
      start_time: startTime,
    });

    await new Promise((resolve) => setTimeout(resolve, 50)); // an unscheduled call would have rung by now
    expect(mapBlandCall(await client.getCall(call_id))).toMatchObject({ status: 'queued', terminal: false });
    expect(sim.getCall(call_id)!.scheduledFor!.getTime()).toBe(Math.floor(inAnHour.getTime() / 1000) * 1000);

    await client.stopCall(call_id);
    expect(mapBlandCall(await client.getCall(call_id))).toMatchObject({ status: 'canceled', terminal: true });
    expect(sim.dialCount('+14155550210')).toBe(0);
  });

  it('stop ends a call in progress with the time talked so far', async () => {
    const slow = await startBlandSimulator({ seed: 5, timeScale: 0.01, defaultOutcome: 'completed' });
    try {
      const client = clientFor(slow);
      const { call_id } = await client.sendCall({
        phone_number: '+14155550211',
        task: TASK,
        max_duration: 30,
      });
      await waitFor(() => slow.getCall(call_id)!.phase === 'in_progress', {
        what: 'the call to be answered',
      });
      const answeredAt = slow.getCall(call_id)!.details.started_at!;
      const stopped = await client.stopCall(call_id);
      const talkedSeconds = (Date.now() - Date.parse(answeredAt)) / 0.01 / 1000;
      expect(stopped.status).toBe('success');
      const update = mapBlandCall(await client.getCall(call_id));
      expect(update).toMatchObject({ status: 'completed', terminal: true });
      expect(update.durationSeconds).toBeGreaterThanOrEqual(1);
      expect(update.durationSeconds).toBeLessThanOrEqual(Math.ceil(talkedSeconds) + 1);
      expect(update.summary).toContain('ended early by a stop request');
    } finally {
      await slow.stop();
    }
  });
});

describe('listing and reconciliation', () => {
  it('filters by number and finds our call by metadata, tolerating either number format', async () => {
    const client = clientFor(sim);
    const target = '+14155550220';
    const calls = [
      { phone_number: target, task: TASK, metadata: { [BMCP_CALL_ID_METADATA_KEY]: 'ours-a' } },
      { phone_number: target, task: TASK, metadata: { [BMCP_CALL_ID_METADATA_KEY]: 'ours-b' } },
      { phone_number: '+14155550221', task: TASK, metadata: { [BMCP_CALL_ID_METADATA_KEY]: 'ours-c' } },
    ];
    const since = new Date();
    const ids = [];
    for (const call of calls) ids.push((await client.sendCall(call)).call_id);

    const listed = await client.listCalls({ to_number: target });
    expect(listed.calls.map((c) => c.call_id).sort()).toEqual([ids[0], ids[1]].sort());
    expect(listed).toMatchObject({ count: 2, total_count: 2 });

    const found = await client.findCallByMetadata({
      toNumber: '4155550220',
      createdAfter: since,
      key: BMCP_CALL_ID_METADATA_KEY,
      value: 'ours-a',
    });
    expect(found?.call_id).toBe(ids[0]);
    const missing = await client.findCallByMetadata({
      toNumber: target,
      createdAfter: since,
      key: BMCP_CALL_ID_METADATA_KEY,
      value: 'ours-c',
    });
    expect(missing).toBeNull();
  });

  it('paginates by index, newest first unless ascending', async () => {
    const client = clientFor(sim);
    const all = await client.listCalls({ ascending: true });
    const page = await client.listCalls({ ascending: true, from: 1, limit: 2 });
    expect(page.calls.map((c) => c.call_id)).toEqual(all.calls.slice(1, 3).map((c) => c.call_id));
    const newest = await client.listCalls({ limit: 1 });
    expect(newest.calls[0]!.call_id).toBe(all.calls.at(-1)!.call_id);
  });

  it('lists curated voices', async () => {
    const voices = await clientFor(sim).listVoices();
    expect(voices.length).toBeGreaterThan(0);
    expect(voices[0]).toMatchObject({
      name: expect.any(String),
      tags: expect.arrayContaining(['Bland Curated']),
    });
  });
});

describe('determinism', () => {
  async function runOnce(seed: number) {
    const instance = await startBlandSimulator({ seed, timeScale: 0.001 });
    try {
      const client = clientFor(instance);
      const ids = [];
      for (const number of ['+14155550230', '+14155550231', '+14155550230']) {
        ids.push((await client.sendCall({ phone_number: number, task: TASK })).call_id);
      }
      await waitFor(() => instance.calls().every((c) => c.phase === 'ended'), { what: 'all calls to end' });
      return ids.map((id) => {
        const { call_id, status, call_length, from, answered_by, summary, concatenated_transcript } =
          instance.getCall(id)!.details;
        return { call_id, status, call_length, from, answered_by, summary, concatenated_transcript };
      });
    } finally {
      await instance.stop();
    }
  }

  it('gives the same calls for the same seed and different ones for another', async () => {
    const first = await runOnce(42);
    expect(await runOnce(42)).toEqual(first);
    const other = await runOnce(43);
    expect(other.map((c) => c.call_id)).not.toEqual(first.map((c) => c.call_id));
  });
});

describe('control plane over HTTP', () => {
  it('lets another process inject faults, and rejects malformed ones', async () => {
    const post = (body: unknown) =>
      fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.status);
    expect(await post({ forced: { status: 402, times: 1 }, routes: ['voices'] })).toBe(204);
    await expect(clientFor(sim).listVoices()).rejects.toMatchObject({ code: 'BLAND.BILLING' });
    expect(await post({ errorRate: 3 })).toBe(400);
    expect(await post({ nonsense: true })).toBe(400);
    const cleared = await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
    expect(cleared.status).toBe(204);
  });

  it('completes a call on request and reports dial counts', async () => {
    const slow = await startBlandSimulator({ seed: 9, timeScale: 1 });
    try {
      const { call_id } = await clientFor(slow).sendCall({ phone_number: '+14155550240', task: TASK });
      const response = await fetch(`${slow.url}/__sim/calls/${call_id}/complete`, {
        method: 'POST',
        body: JSON.stringify({ outcome: 'busy' }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ phase: 'ended', endStatus: 'busy', dialed: true });
      const overview = (await (await fetch(`${slow.url}/__sim/calls`)).json()) as { dials: number };
      expect(overview.dials).toBe(1);
    } finally {
      await slow.stop();
    }
  });
});
