import fc from 'fast-check';
import { CALL_STATUSES } from '../../../src/calls/call-status.js';
import {
  anyJson,
  encodedJson,
  phoneLike,
  timestampLike,
  trickyNumber,
  trickyString,
  trickyValue,
  uuidLike,
} from './edge-values.js';

/** Real ids the generators aim at, so valid inputs reach the code behind the validation. */
export interface FuzzTargets {
  /** A call of the fuzzing user that has ended (wait_for_call returns at once, stop_call is a no-op). */
  endedCallId: string;
  /** A next_cursor list_calls really returned. */
  cursor: string;
}

export interface ToolFuzzSpec {
  /** Inputs the tool accepts. */
  valid(targets: FuzzTargets): fc.Arbitrary<Record<string, unknown>>;
  /** Per field, the plausible wrong values worth trying. */
  fieldEdges(targets: FuzzTargets): Record<string, fc.Arbitrary<unknown>>;
}

const DAY_MS = 86_400_000;
/** Numbers in the fictional 555-01xx range: valid E.164, dialled only by the simulator. */
const fictionalNumber = fc
  .integer({ min: 100, max: 199 })
  .map((n) => `+1415555${String(n).padStart(4, '0')}`);
const text = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim() !== '');
const futureTime = fc
  .integer({ min: 60_000, max: 29 * DAY_MS })
  .map((ms) => new Date(Date.now() + ms).toISOString());
const minutes = (max: number) => fc.oneof(fc.constantFrom(0, max + 1, 240, 241, 1.5, -1, '5'), trickyNumber);
const deeplyNested = fc
  .integer({ min: 1, max: 3_000 })
  .map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown);
const callIdEdges = (t: FuzzTargets) =>
  fc.oneof(
    uuidLike,
    trickyString,
    fc.constant(t.endedCallId.toUpperCase()),
    fc.constant(` ${t.endedCallId}`),
  );
const callId = (t: FuzzTargets) => fc.oneof(fc.constant(t.endedCallId), fc.uuid());

/** One entry per tool the server lists (the fuzz test fails when a tool has no entry). */
export const TOOL_FUZZ_SPECS: Record<string, ToolFuzzSpec> = {
  place_call: {
    valid: () =>
      fc.record(
        {
          phone_number: fictionalNumber,
          task: text(300),
          voice: fc.constantFrom('maya', 'josh', 'nat'),
          first_sentence: text(100),
          max_duration_minutes: fc.integer({ min: 1, max: 5 }),
          wait_for_greeting: fc.boolean(),
          record: fc.boolean(),
          language: fc.constantFrom('en-US', 'es', 'fr-FR'),
          voicemail: fc.record({ action: fc.constantFrom('hangup', 'ignore') }),
          start_time: futureTime,
          metadata: fc.dictionary(
            fc.string({ maxLength: 10 }),
            fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()),
            { maxKeys: 3 },
          ),
          request_data: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), {
            maxKeys: 3,
          }),
          idempotency_key: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
        },
        { requiredKeys: ['phone_number', 'task'] },
      ),
    fieldEdges: () => ({
      phone_number: phoneLike,
      task: trickyString,
      pathway_id: trickyString,
      voice: trickyString,
      first_sentence: fc.oneof(trickyString, fc.constant('x'.repeat(200))),
      max_duration_minutes: minutes(30),
      wait_for_greeting: trickyValue,
      record: trickyValue,
      language: fc.oneof(trickyString, fc.constantFrom('en-', 'english', 'en-US-x-very-long-subtag')),
      from: phoneLike,
      transfer_phone_number: phoneLike,
      voicemail: fc.oneof(
        fc.record({ action: fc.oneof(fc.constant('leave_message'), trickyString), message: trickyValue }),
        trickyValue,
      ),
      start_time: fc.oneof(
        timestampLike,
        fc.integer({ min: -DAY_MS, max: 60 * DAY_MS }).map((ms) => new Date(Date.now() + ms).toISOString()),
      ),
      metadata: fc.oneof(
        fc.dictionary(trickyString, trickyValue, { maxKeys: 25 }),
        fc.constant(Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i]))),
      ),
      request_data: fc.oneof(
        fc.dictionary(trickyString, anyJson, { maxKeys: 5 }),
        deeplyNested.map((deep) => ({ deep })),
        fc.constant({ big: 'x'.repeat(10_001) }),
      ),
      idempotency_key: trickyString,
    }),
  },
  get_call: {
    valid: (t) =>
      fc.record({ call_id: callId(t), include_transcript: fc.boolean() }, { requiredKeys: ['call_id'] }),
    fieldEdges: (t) => ({ call_id: callIdEdges(t), include_transcript: trickyValue }),
  },
  wait_for_call: {
    valid: (t) =>
      fc.record(
        { call_id: callId(t), timeout_seconds: fc.integer({ min: 1, max: 45 }) },
        { requiredKeys: ['call_id'] },
      ),
    fieldEdges: (t) => ({ call_id: callIdEdges(t), timeout_seconds: minutes(45) }),
  },
  list_calls: {
    valid: (t) =>
      fc
        .record(
          {
            status: fc.constantFrom(...CALL_STATUSES),
            phone_number: fictionalNumber,
            since: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
            until: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
            limit: fc.integer({ min: 1, max: 100 }),
            cursor: fc.constant(t.cursor),
          },
          { requiredKeys: [] },
        )
        .map((input) => ({
          ...input,
          ...(input.since ? { since: input.since.toISOString() } : {}),
          ...(input.until ? { until: input.until.toISOString() } : {}),
        })),
    fieldEdges: () => ({
      status: trickyString,
      phone_number: phoneLike,
      since: timestampLike,
      until: timestampLike,
      limit: minutes(100),
      cursor: fc.oneof(
        encodedJson(fc.tuple(timestampLike, fc.oneof(fc.uuid(), uuidLike))),
        encodedJson(anyJson),
        trickyString,
        fc.string({ unit: fc.constantFrom(...'ABCDEFabcdef0123456789-_'), maxLength: 200 }),
      ),
    }),
  },
  stop_call: {
    valid: (t) => fc.record({ call_id: callId(t) }),
    fieldEdges: (t) => ({ call_id: callIdEdges(t) }),
  },
  get_credit_balance: {
    valid: () => fc.constant({}),
    fieldEdges: () => ({}),
  },
  estimate_call_cost: {
    valid: () => fc.record({ max_duration_minutes: fc.integer({ min: 1, max: 30 }) }, { requiredKeys: [] }),
    fieldEdges: () => ({ max_duration_minutes: minutes(30) }),
  },
  list_voices: {
    valid: () => fc.constant({}),
    fieldEdges: () => ({}),
  },
};
