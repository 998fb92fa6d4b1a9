import { BlandPayloadError } from '../../../src/calls/bland/bland.errors.js';
import type { BlandLogger } from '../../../src/calls/bland/bland.logger.js';
import { mapBlandCall } from '../../../src/calls/bland/bland.mapper.js';

/** Shaped like the example in docs.bland.ai/api-v1/get/calls-id (2024 snapshot), trimmed. */
const DOCS_EXAMPLE = {
  call_id: 'd9cce3f3-23cf-4fa7-b62c-8be8119b8715',
  c_id: 'd9cce3f3-23cf-4fa7-b62c-8be8119b8715',
  call_length: 0.75,
  batch_id: null,
  to: '+12223334444',
  from: '+17163511654',
  completed: true,
  created_at: '2024-04-27T23:51:18.025251+00:00',
  started_at: '2024-04-27T23:51:25+00:00',
  end_at: '2024-04-28T00:21:25+00:00',
  inbound: false,
  queue_status: 'completed',
  max_duration: 30,
  error_message: null,
  answered_by: 'human',
  record: false,
  recording_url: null,
  metadata: { bmcp_call_id: 'call_123' },
  summary: 'The customer booked three rooms.',
  price: 0.068,
  call_ended_by: 'ASSISTANT',
  concatenated_transcript: 'user: Hello? \n assistant: Hi there!',
  transcripts: [
    { id: 1, created_at: '2024-04-27T23:51:26+00:00', text: 'Hello?', user: 'user', c_id: 'x' },
    { id: 2, created_at: '2024-04-27T23:51:27+00:00', text: 'Hi there!', user: 'assistant', c_id: 'x' },
    { id: 3, created_at: '2024-04-27T23:51:28+00:00', text: 'Ended call', user: 'agent-action', c_id: 'x' },
  ],
  status: 'completed',
};

function recordingLogger(): BlandLogger & { warnings: object[] } {
  const warnings: object[] = [];
  const noop = () => undefined;
  return { warnings, debug: noop, info: noop, error: noop, warn: (fields) => warnings.push(fields) };
}

describe('mapBlandCall', () => {
  it('maps Bland’s documented call-details example', () => {
    const update = mapBlandCall(DOCS_EXAMPLE, { now: new Date('2024-05-01T00:00:00Z') });
    expect(update).toEqual({
      blandCallId: DOCS_EXAMPLE.call_id,
      ourCallId: 'call_123',
      status: 'completed',
      terminal: true,
      durationSeconds: 45,
      answeredBy: 'human',
      summary: 'The customer booked three rooms.',
      transcript: 'user: Hello? \n assistant: Hi there!',
      transcriptTurns: [
        { speaker: 'user', text: 'Hello?' },
        { speaker: 'assistant', text: 'Hi there!' },
        { speaker: 'system', text: 'Ended call' },
      ],
      priceUsd: 0.068,
      startedAt: new Date('2024-04-27T23:51:25Z'),
      endedAt: new Date('2024-04-27T23:52:10Z'),
    });
  });

  it('maps the older example shape (string corrected_duration, queue_status "complete", bare number)', () => {
    const update = mapBlandCall({
      status: 'completed',
      corrected_duration: '71',
      call_id: 'c1',
      to: '5551234567',
      completed: true,
      queue_status: 'complete',
      answered_by: 'human',
    });
    expect(update).toMatchObject({ blandCallId: 'c1', status: 'completed', terminal: true });
    expect(update.durationSeconds).toBeUndefined();
  });

  it.each([
    [{ status: 'no-answer' }, 'no_answer'],
    [{ status: 'NO_ANSWER' }, 'no_answer'],
    [{ status: 'busy' }, 'busy'],
    [{ status: 'failed' }, 'failed'],
    [{ status: 'error' }, 'failed'],
    [{ status: 'canceled' }, 'canceled'],
    [{ status: 'cancelled' }, 'canceled'],
    [{ queue_status: 'call_error' }, 'failed'],
    [{ queue_status: 'pre_queue_error', status: 'queued' }, 'failed'],
    [{ status: 'completed', answered_by: 'no-answer' }, 'no_answer'],
    [{ completed: true, error_message: 'carrier rejected' }, 'failed'],
    [{ completed: true }, 'completed'],
    [{ status: 'queued', completed: true }, 'completed'],
  ])('reads %j as terminal %s', (fields, status) => {
    expect(mapBlandCall({ call_id: 'c1', ...fields })).toMatchObject({ status, terminal: true });
  });

  it.each([
    [{ status: 'queued', queue_status: 'new' }, 'queued'],
    [{ queue_status: 'allocated' }, 'ringing'],
    [{ status: 'ringing', queue_status: 'allocated' }, 'ringing'],
    [{ status: 'in-progress', queue_status: 'started' }, 'in_progress'],
    [{ status: 'queued', started_at: '2024-04-27T23:51:25Z' }, 'in_progress'],
    [{}, 'queued'],
  ])('reads %j as live %s', (fields, status) => {
    expect(mapBlandCall({ call_id: 'c1', ...fields })).toMatchObject({ status, terminal: false });
  });

  it('maps an unknown status to a live state and logs it, never to a terminal one', () => {
    const logger = recordingLogger();
    const update = mapBlandCall({ call_id: 'c1', status: 'teleporting', queue_status: 'warp' }, { logger });
    expect(update).toMatchObject({ status: 'queued', terminal: false });
    expect(logger.warnings).toEqual([{ blandCallId: 'c1', status: 'teleporting', queueStatus: 'warp' }]);
  });

  it('tolerates missing and mistyped fields', () => {
    const update = mapBlandCall({
      c_id: 'only-c-id',
      call_length: 'not a number',
      price: '0.5',
      started_at: 'yesterday-ish',
      metadata: 'nope',
      transcripts: [null, { text: '  ' }, { text: 'hi', user: 'robot' }, 7],
      answered_by: 'fax machine',
    });
    expect(update).toEqual({
      blandCallId: 'only-c-id',
      status: 'queued',
      terminal: false,
      priceUsd: 0.5,
      answeredBy: 'unknown',
      transcriptTurns: [{ speaker: 'system', text: 'hi' }],
    });
  });

  it('builds the transcript from turns when concatenated_transcript is missing, without system entries', () => {
    const { concatenated_transcript: _omit, ...rest } = DOCS_EXAMPLE;
    expect(mapBlandCall(rest).transcript).toBe('user: Hello? \n assistant: Hi there!');
  });

  it('caps a derived end time at now and leaves it out for live calls', () => {
    const now = new Date('2024-04-27T23:51:40Z');
    expect(mapBlandCall(DOCS_EXAMPLE, { now }).endedAt).toEqual(now);
    expect(
      mapBlandCall({ ...DOCS_EXAMPLE, status: 'in-progress', completed: false, queue_status: 'started' })
        .endedAt,
    ).toBeUndefined();
  });

  it('rounds call_length minutes to whole seconds', () => {
    expect(mapBlandCall({ call_id: 'c', call_length: 1.3833333 }).durationSeconds).toBe(83);
  });

  it.each([null, 'text', [], 42, {}, { call_id: '' }])('rejects %j as an unusable payload', (payload) => {
    expect(() => mapBlandCall(payload)).toThrow(BlandPayloadError);
  });
});
