import fc from 'fast-check';
import { BMCP_CALL_ID_METADATA_KEY } from '../../../src/calls/bland/bland.types.js';
import { timestampLike, trickyNumber, trickyString, trickyValue, uuidLike } from './edge-values.js';

/** A call the webhook fuzzer aims at: ours, and Bland's id for it when the dispatch was acknowledged. */
export interface WebhookTarget {
  callId: string;
  blandCallId: string | null;
}

/** Status words Bland uses (in either spelling), the ones it may add, and the error suffix. */
const STATUS_WORDS = [
  'completed',
  'complete',
  'failed',
  'error',
  'no-answer',
  'no_answer',
  'busy',
  'canceled',
  'cancelled',
  'new',
  'queued',
  'pending',
  'scheduled',
  'allocated',
  'ringing',
  'initiated',
  'in-progress',
  'In Progress',
  'started',
  'answered',
  'queue_error',
  'dispatch-error',
  ' COMPLETED ',
];

const orTricky = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary }, { weight: 1, arbitrary: trickyValue });
const prose = fc.oneof(fc.string({ maxLength: 200 }), trickyString);

/**
 * Bodies shaped like Bland's call webhooks for one target: each field plausible, wrong, hostile or missing, the
 * ids pointing at the target, at another call, or at nothing. A generated body may end the call (and so settle
 * its credits), move it, or be refused; it may never break the books.
 */
export function blandBody(
  target: WebhookTarget,
  others: WebhookTarget[],
): fc.Arbitrary<Record<string, unknown>> {
  const otherBlandIds = others.map((o) => o.blandCallId).filter((id): id is string => id !== null);
  const blandIds = [target.blandCallId, ...otherBlandIds].filter((id): id is string => id !== null);
  const ourIds = [target.callId, ...others.map((o) => o.callId)];
  return fc.record(
    {
      call_id: fc.oneof(
        ...(blandIds.length ? [{ weight: 4, arbitrary: fc.constantFrom(...blandIds) }] : []),
        { weight: 1, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: trickyValue },
      ),
      status: orTricky(fc.constantFrom(...STATUS_WORDS)),
      queue_status: orTricky(fc.constantFrom(...STATUS_WORDS)),
      completed: orTricky(fc.boolean()),
      call_length: orTricky(
        fc.oneof(
          fc.double({ min: 0, max: 30, noNaN: true }),
          trickyNumber,
          fc.constantFrom('2.5', ' 3 ', '-1', '1e400', '99999999999'),
        ),
      ),
      price: orTricky(fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), trickyNumber)),
      answered_by: orTricky(
        fc.constantFrom('human', 'voicemail', 'no-answer', 'no_answer', 'unknown', 'machine'),
      ),
      summary: prose,
      concatenated_transcript: prose,
      error_message: prose,
      recording_url: orTricky(fc.webUrl()),
      started_at: orTricky(timestampLike),
      ended_at: orTricky(timestampLike),
      metadata: orTricky(
        fc.record({
          [BMCP_CALL_ID_METADATA_KEY]: fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...ourIds) },
            { weight: 1, arbitrary: uuidLike },
            { weight: 1, arbitrary: trickyValue },
          ),
        }),
      ),
      transcripts: orTricky(
        fc.array(
          orTricky(
            fc.record({
              text: prose,
              user: orTricky(fc.constantFrom('user', 'assistant', 'agent', 'robot', 'agent-action')),
            }),
          ),
          { maxLength: 5 },
        ),
      ),
    },
    { requiredKeys: [] },
  );
}
