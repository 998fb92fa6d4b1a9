/**
 * Bland.AI v1 wire shapes (snake_case, as sent and received). Sources and their disagreements are in
 * shared/reference/bland.md; where they conflict, response fields are optional and nullable so consumers
 * must handle absence — Bland's responses are untrusted input.
 */

// ---------------------------------------------------------------------------------------------------------------
// POST /v1/calls — send call
// ---------------------------------------------------------------------------------------------------------------

export type BlandVoicemailAction = 'hangup' | 'leave_message' | 'leave_message_and_sms' | 'ignore';

export interface BlandVoicemailOptions {
  action?: BlandVoicemailAction;
  message?: string;
  sms?: { to?: string; from?: string; message?: string };
  sensitive?: boolean;
}

export type BlandWebhookEvent =
  'queue' | 'call' | 'latency' | 'webhook' | 'tool' | 'dynamic_data' | 'citations';

export interface BlandSendCallRequest {
  /** E.164. */
  phone_number: string;
  /** Required unless `pathway_id` or `persona_id` is given. */
  task?: string;
  pathway_id?: string;
  pathway_version?: number;
  start_node_id?: string;
  persona_id?: string;
  voice?: string;
  /** Bland: "must be less than 200 characters". */
  first_sentence?: string;
  model?: string;
  language?: string;
  wait_for_greeting?: boolean;
  pronunciation_guide?: { word: string; pronunciation: string }[];
  temperature?: number;
  interruption_threshold?: number;
  /** Caller id you own (E.164); default is Bland's pool. */
  from?: string;
  timezone?: string;
  /** Schedule: `YYYY-MM-DD HH:MM:SS -HH:MM`. Absent or past = dial now; cancel with stop. */
  start_time?: string;
  transfer_phone_number?: string;
  transfer_list?: Record<string, string>;
  /** Minutes. */
  max_duration?: number;
  tools?: unknown[];
  background_track?: string | null;
  noise_cancellation?: boolean;
  block_interruptions?: boolean;
  record?: boolean;
  voicemail?: BlandVoicemailOptions;
  citation_schema_ids?: string[];
  summary_prompt?: string;
  dispositions?: string[];
  request_data?: Record<string, unknown>;
  /** Opaque; echoed back in details and webhooks. We put our own call id here (see BMCP_CALL_ID_METADATA_KEY). */
  metadata?: Record<string, unknown>;
  /** Post-call webhook URL. */
  webhook?: string;
  webhook_events?: BlandWebhookEvent[];
  keywords?: string[];
  ignore_button_press?: boolean;
  precall_dtmf_sequence?: string;
}

/** The metadata key under which we send our own call id, so a Bland call can be traced back to ours. */
export const BMCP_CALL_ID_METADATA_KEY = 'bmcp_call_id';

export interface BlandSendCallResponse {
  status: 'success';
  message: string;
  call_id: string;
  batch_id?: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// GET /v1/calls/{id} — call details (also the post-call webhook body)
// ---------------------------------------------------------------------------------------------------------------

export type BlandSpeaker = 'user' | 'assistant' | 'robot' | 'agent-action';

export interface BlandTranscriptEntry {
  id?: number | string;
  created_at?: string;
  text?: string;
  user?: BlandSpeaker | string;
  c_id?: string;
}

/** `human | voicemail | unknown | no-answer`; null when answering-machine detection is off or pending. */
export type BlandAnsweredBy = 'human' | 'voicemail' | 'unknown' | 'no-answer';

export interface BlandCallDetails {
  call_id: string;
  c_id?: string;
  /** Minutes, e.g. 0.75. */
  call_length?: number | null;
  batch_id?: string | null;
  /** Seen both as E.164 and as bare national digits. */
  to?: string | null;
  from?: string | null;
  request_data?: Record<string, unknown> | null;
  /** Bland: when it differs from queue_status, this is the most up-to-date. */
  completed?: boolean | null;
  created_at?: string | null;
  /** When the call was connected. */
  started_at?: string | null;
  /** When the call WILL be cut off by max_duration — not when it ended. */
  end_at?: string | null;
  inbound?: boolean | null;
  /** new → queued → allocated → started → complete|completed; *_error variants. */
  queue_status?: string | null;
  endpoint_url?: string | null;
  max_duration?: number | null;
  error_message?: string | null;
  variables?: Record<string, unknown> | null;
  answered_by?: BlandAnsweredBy | string | null;
  record?: boolean | null;
  recording_url?: string | null;
  metadata?: Record<string, unknown> | null;
  summary?: string | null;
  /** USD. */
  price?: number | null;
  call_ended_by?: string | null;
  pathway_id?: string | null;
  analysis?: unknown;
  concatenated_transcript?: string | null;
  transcripts?: BlandTranscriptEntry[] | null;
  /** Terminal: completed, failed, error, no-answer, busy, canceled. Non-terminal values are undocumented. */
  status?: string | null;
  /** Seconds including ringing; documented both as a number and as a string. */
  corrected_duration?: string | number | null;
  transferred_to?: string | null;
  transferred_at?: string | null;
}

/**
 * Bland documents the post-call webhook body only as "the full call object"; we model it as call details.
 * Received bodies are parsed defensively by bland.mapper.ts, never trusted to match this type.
 */
export type BlandWebhookPayload = BlandCallDetails;

// ---------------------------------------------------------------------------------------------------------------
// GET /v1/calls — list calls
// ---------------------------------------------------------------------------------------------------------------

export interface BlandListCallsQuery {
  to_number?: string;
  from_number?: string;
  /** Start index (inclusive) — index-based pagination, not a timestamp. */
  from?: number;
  /** End index. */
  to?: number;
  /** Default 1000. */
  limit?: number;
  /** Default false (newest first). */
  ascending?: boolean;
  sort_by?: 'created_at' | 'updated_at';
  /** YYYY-MM-DD. */
  start_date?: string;
  /** YYYY-MM-DD. */
  end_date?: string;
  created_at?: string;
  completed?: boolean;
  batch_id?: string;
  answered_by?: BlandAnsweredBy;
  inbound?: boolean;
  /** Minutes. */
  duration_gt?: number;
  /** Minutes. */
  duration_lt?: number;
  campaign_id?: string;
}

/** A list row carries only these documented fields (no metadata, no status). */
export interface BlandCallListItem {
  call_id: string;
  created_at?: string | null;
  call_length?: number | null;
  to?: string | null;
  from?: string | null;
  completed?: boolean | null;
  queue_status?: string | null;
  error_message?: string | null;
  answered_by?: string | null;
  batch_id?: string | null;
  /** Not documented for list rows; used when present. */
  metadata?: Record<string, unknown> | null;
}

export interface BlandListCallsResponse {
  total_count?: number;
  count: number;
  calls: BlandCallListItem[];
}

// ---------------------------------------------------------------------------------------------------------------
// POST /v1/calls/{id}/stop, GET /v1/voices
// ---------------------------------------------------------------------------------------------------------------

export interface BlandStopCallResponse {
  status: 'success';
  message: string;
}

export interface BlandVoice {
  /** A UUID for current voices; older records used integers. */
  id: string | number;
  name: string;
  description?: string | null;
  public?: boolean;
  tags?: string[];
  total_ratings?: number;
  average_rating?: number;
}

/** Bland's single-voice endpoint wraps in `{ voice }`; the list is read as `{ voices: [...] }` or a bare array. */
export interface BlandListVoicesResponse {
  voices: BlandVoice[];
}

// ---------------------------------------------------------------------------------------------------------------
// Error bodies — two shapes seen in Bland's docs; both are parsed.
// ---------------------------------------------------------------------------------------------------------------

/** express-validator style item ([SDK24]); some sources show plain strings instead. */
export interface BlandLegacyErrorItem {
  value?: unknown;
  msg?: string;
  param?: string;
  location?: string;
}

/** Legacy v1: `{ status: "error", message, errors? }`. */
export interface BlandLegacyErrorBody {
  status: 'error';
  message: string;
  errors?: (BlandLegacyErrorItem | string)[];
}

/** Newer envelope: `{ data: null, errors: [{ error: "CODE", message }] }` (e.g. CALL_RL_PLAN_CONCURRENCY). */
export interface BlandEnvelopeErrorBody {
  data: null;
  errors: { error: string; message: string }[];
}

/** Plan and rate-limit refusal codes Bland names ([PLUGIN]); others may exist, so the field stays a string. */
export const BLAND_LIMIT_CODES = [
  'CALL_RL_PLAN_CONCURRENCY',
  'CALL_RL_PLAN_DAILY_MINUTES',
  'CALL_PLAN_DESTINATION_BLOCKED',
  'CALL_PLAN_TRANSFER_BLOCKED',
  'CALL_UNPAID_INTL_BLOCK',
] as const;
