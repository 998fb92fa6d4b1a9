import { z } from 'zod';
import { unstorableTextPath } from '../common/storable.js';

/**
 * place_call's input, shared by the MCP tool (as its inputSchema) and the service (which parses it again, so every
 * edge gets the same validation). Field descriptions are what an AI client reads: say what, format, and limits.
 */
/** Whole minutes; the configured MAX_CALL_DURATION_MINUTES (≤ 240) is checked by the service. */
export const MaxDurationMinutes = z.number().int().min(1).max(240);

export const PlaceCallShape = {
  phone_number: z
    .string()
    .min(3)
    .max(32)
    .describe(
      'Number to call, in E.164 format with country code, e.g. "+14155550123". Emergency and premium-rate numbers are refused.',
    ),
  task: z
    .string()
    .trim()
    .min(1)
    .max(8_000)
    .optional()
    .describe(
      'Instructions for the voice agent: who it is, the goal of the call, what to say and ask. Required unless pathway_id is given. ≤ 8,000 characters.',
    ),
  pathway_id: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('A Bland conversational pathway id to run instead of a task.'),
  voice: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe("Voice name or id (see list_voices). Default: Bland's default voice."),
  first_sentence: z
    .string()
    .trim()
    .min(1)
    .max(199)
    .optional()
    .describe('The first thing the agent says (< 200 characters).'),
  max_duration_minutes: MaxDurationMinutes.optional().describe(
    'Hang up after this many minutes (server default if omitted). Credits for the whole duration are held until the call ends; only the real duration is charged.',
  ),
  wait_for_greeting: z.boolean().optional().describe('Wait for the callee to speak first.'),
  record: z
    .boolean()
    .optional()
    .describe('Record the call (a recording URL appears in get_call when it ends).'),
  language: z
    .string()
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'expected a language tag such as "en-US"')
    .optional()
    .describe('Language tag, e.g. "en-US", "es", "fr-FR".'),
  from: z
    .string()
    .min(3)
    .max(32)
    .optional()
    .describe("Caller id: an E.164 number you own in Bland. Default: Bland's pool."),
  transfer_phone_number: z
    .string()
    .min(3)
    .max(32)
    .optional()
    .describe('E.164 number the agent may transfer the call to.'),
  voicemail: z
    .object({
      action: z.enum(['hangup', 'leave_message', 'ignore']).describe('What to do when voicemail answers.'),
      message: z
        .string()
        .trim()
        .min(1)
        .max(1_000)
        .optional()
        .describe('Message to leave (with leave_message).'),
    })
    .optional()
    .describe('Voicemail handling.'),
  start_time: z.iso
    .datetime({
      offset: true,
      error: 'expected an ISO 8601 date-time with offset, e.g. 2026-12-01T15:30:00-05:00',
    })
    .optional()
    .describe(
      'Schedule the call for later (ISO 8601 with offset). Omit to call now. A scheduled call can be cancelled with stop_call.',
    ),
  metadata: z
    .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()]))
    .optional()
    .describe('Your own key/value labels, returned with the call (≤ 20 keys).'),
  request_data: z
    .record(z.string().max(64), z.unknown())
    .optional()
    .describe('Facts the agent may use during the call (e.g. {"customer_name": "Ada"}); ≤ 10 KB as JSON.'),
  idempotency_key: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,200}$/, 'expected 1–200 characters of letters, digits and . _ : -')
    .optional()
    .describe(
      'Makes retries safe: repeating a request with the same key returns the original call and never dials twice.',
    ),
};

export const PlaceCallInput = z
  .object(PlaceCallShape)
  .strict()
  .superRefine((v, ctx) => {
    if (!v.task && !v.pathway_id) {
      ctx.addIssue({ code: 'custom', path: ['task'], message: 'either task or pathway_id is required' });
    }
    if (v.task && v.pathway_id) {
      ctx.addIssue({ code: 'custom', path: ['pathway_id'], message: 'give task or pathway_id, not both' });
    }
    if (v.metadata && Object.keys(v.metadata).length > 20) {
      ctx.addIssue({ code: 'custom', path: ['metadata'], message: 'at most 20 keys' });
    }
    if (v.request_data && JSON.stringify(v.request_data).length > 10_000) {
      ctx.addIssue({ code: 'custom', path: ['request_data'], message: 'at most 10 KB as JSON' });
    }
    const unstorable = unstorableTextPath(v);
    if (unstorable) {
      ctx.addIssue({
        code: 'custom',
        path: unstorable,
        message: 'must not contain NUL characters or unpaired UTF-16 surrogates',
      });
    }
    if (v.voicemail?.action === 'leave_message' && !v.voicemail.message) {
      ctx.addIssue({
        code: 'custom',
        path: ['voicemail', 'message'],
        message: 'required when action is leave_message',
      });
    }
  });

export type PlaceCallRequest = z.infer<typeof PlaceCallInput>;
