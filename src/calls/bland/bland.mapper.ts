/**
 * Maps a Bland call-details object or post-call webhook body (untrusted JSON) to our domain update.
 *
 * Status is read from three signals Bland gives, because its docs disagree on which is authoritative:
 * `status` (terminal values documented, live values not), `queue_status` (new → queued → allocated → started →
 * complete|completed, plus *_error) and `completed`. A terminal signal wins over a live one; among live signals
 * the most advanced wins. Unrecognised values are logged and never produce a terminal state.
 */
import { z } from 'zod';
import { INT4_MAX, isStorableDate, storableText } from '../../common/storable.js';
import { BlandPayloadError } from './bland.errors.js';
import { silentLogger, type BlandLogger } from './bland.logger.js';
import { BMCP_CALL_ID_METADATA_KEY } from './bland.types.js';

export type BlandMappedStatus =
  'queued' | 'ringing' | 'in_progress' | 'completed' | 'no_answer' | 'busy' | 'failed' | 'canceled';

export const TERMINAL_STATUSES: ReadonlySet<BlandMappedStatus> = new Set([
  'completed',
  'no_answer',
  'busy',
  'failed',
  'canceled',
]);

export type AnsweredBy = 'human' | 'voicemail' | 'unknown' | 'no-answer';

export interface TranscriptTurn {
  /** `system` covers Bland's `robot` and `agent-action` entries. */
  speaker: 'user' | 'assistant' | 'system';
  text: string;
}

export interface BlandCallUpdate {
  blandCallId: string;
  /** Our call id, echoed back from metadata.bmcp_call_id. */
  ourCallId?: string;
  status: BlandMappedStatus;
  terminal: boolean;
  /** round(call_length minutes × 60). */
  durationSeconds?: number;
  answeredBy?: AnsweredBy;
  summary?: string;
  recordingUrl?: string;
  transcript?: string;
  transcriptTurns?: TranscriptTurn[];
  errorMessage?: string;
  /** Bland's `price` in USD, when reported. */
  priceUsd?: number;
  startedAt?: Date;
  /** Only for terminal updates: started_at + duration, capped at `now` (Bland has no actual end time). */
  endedAt?: Date;
}

export interface MapOptions {
  logger?: BlandLogger;
  /** Upper bound for the derived endedAt; defaults to the current time. */
  now?: Date;
}

// Bland's text is stored as is, minus what PostgreSQL cannot hold (NUL, unpaired surrogates).
const text = z.string().transform(storableText).nullish().catch(undefined);
const numeric = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\s*-?\d+(\.\d+)?\s*$/)
      .transform(Number),
  ])
  .nullish()
  .catch(undefined);

const payloadSchema = z.looseObject({
  call_id: text,
  c_id: text,
  status: text,
  queue_status: text,
  completed: z.boolean().nullish().catch(undefined),
  call_length: numeric,
  price: numeric,
  answered_by: text,
  summary: text,
  recording_url: text,
  error_message: text,
  concatenated_transcript: text,
  started_at: text,
  ended_at: text,
  metadata: z.record(z.string(), z.unknown()).nullish().catch(undefined),
  transcripts: z
    .array(z.looseObject({ text, user: text }).nullable().catch(null))
    .nullish()
    .catch(undefined),
});

type Payload = z.infer<typeof payloadSchema>;

interface Reading {
  status: BlandMappedStatus;
  terminal: boolean;
}

const LIVE_RANK: Record<string, number> = { queued: 0, ringing: 1, in_progress: 2 };

const STATUS_WORDS: Record<string, BlandMappedStatus> = {
  completed: 'completed',
  complete: 'completed',
  failed: 'failed',
  error: 'failed',
  'no-answer': 'no_answer',
  noanswer: 'no_answer',
  busy: 'busy',
  canceled: 'canceled',
  cancelled: 'canceled',
  new: 'queued',
  queued: 'queued',
  pending: 'queued',
  scheduled: 'queued',
  allocated: 'ringing',
  ringing: 'ringing',
  dialing: 'ringing',
  initiated: 'ringing',
  'in-progress': 'in_progress',
  started: 'in_progress',
  active: 'in_progress',
  ongoing: 'in_progress',
  answered: 'in_progress',
  connected: 'in_progress',
};

/** Normalises spelling (`no_answer`, `In Progress`); any `*-error` queue status counts as failed. */
function readWord(raw: string | null | undefined): Reading | undefined {
  if (!raw) return undefined;
  const word = raw
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  const status = STATUS_WORDS[word] ?? (word.endsWith('-error') ? 'failed' : undefined);
  return status && { status, terminal: TERMINAL_STATUSES.has(status) };
}

export function mapBlandCall(input: unknown, options: MapOptions = {}): BlandCallUpdate {
  const logger = options.logger ?? silentLogger;
  const parsed = payloadSchema.safeParse(input);
  if (!parsed.success) throw new BlandPayloadError('Bland call payload is not a JSON object');
  const payload = parsed.data;
  const blandCallId = payload.call_id || payload.c_id;
  if (!blandCallId) throw new BlandPayloadError('Bland call payload has no call_id');

  const answeredBy = readAnsweredBy(payload.answered_by);
  const startedAt = readDate(payload.started_at);
  const durationSeconds =
    payload.call_length != null
      ? Math.min(Math.max(0, Math.round(payload.call_length * 60)), INT4_MAX)
      : undefined;
  const reading = readStatus(payload, answeredBy, startedAt !== undefined, blandCallId, logger);
  const turns = readTurns(payload);
  const ourCallId = payload.metadata?.[BMCP_CALL_ID_METADATA_KEY];

  return withoutUndefined({
    blandCallId,
    ourCallId: typeof ourCallId === 'string' && ourCallId !== '' ? ourCallId : undefined,
    status: reading.status,
    terminal: reading.terminal,
    durationSeconds,
    answeredBy,
    summary: payload.summary || undefined,
    recordingUrl: payload.recording_url || undefined,
    transcript: payload.concatenated_transcript || joinTurns(turns),
    transcriptTurns: turns,
    errorMessage: payload.error_message || undefined,
    priceUsd: payload.price ?? undefined,
    startedAt,
    endedAt: reading.terminal
      ? readEnd(payload, startedAt, durationSeconds, options.now ?? new Date())
      : undefined,
  });
}

export function isTerminalStatus(status: BlandMappedStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

function readStatus(
  payload: Payload,
  answeredBy: AnsweredBy | undefined,
  connected: boolean,
  blandCallId: string,
  logger: BlandLogger,
): Reading {
  const fromStatus = readWord(payload.status);
  const fromQueue = readWord(payload.queue_status);
  const unknown = [
    payload.status && !fromStatus ? payload.status : undefined,
    payload.queue_status && !fromQueue ? payload.queue_status : undefined,
  ].filter(Boolean);
  if (unknown.length > 0) {
    logger.warn(
      { blandCallId, status: payload.status, queueStatus: payload.queue_status },
      'unrecognised Bland call status',
    );
  }

  const terminal =
    (fromStatus?.terminal ? fromStatus : undefined) ??
    (fromQueue?.terminal ? fromQueue : undefined) ??
    (payload.completed === true ? terminalFromSignals(payload, answeredBy) : undefined);
  if (terminal) {
    // Bland may report "completed" for a call nobody picked up; answered_by says so.
    return terminal.status === 'completed' && answeredBy === 'no-answer'
      ? { status: 'no_answer', terminal: true }
      : terminal;
  }

  const live = [fromStatus, fromQueue]
    .filter((r): r is Reading => r !== undefined)
    .reduce<BlandMappedStatus | undefined>(
      (best, r) => (best === undefined || LIVE_RANK[r.status]! > LIVE_RANK[best]! ? r.status : best),
      undefined,
    );
  // started_at is "the time the call was connected": it outranks a stale queued/ringing word.
  const status = connected ? 'in_progress' : (live ?? 'queued');
  return { status, terminal: false };
}

/** `completed: true` with no terminal word: the call ended; pick the outcome from the other fields. */
function terminalFromSignals(payload: Payload, answeredBy: AnsweredBy | undefined): Reading {
  if (payload.error_message) return { status: 'failed', terminal: true };
  if (answeredBy === 'no-answer') return { status: 'no_answer', terminal: true };
  return { status: 'completed', terminal: true };
}

function readAnsweredBy(raw: string | null | undefined): AnsweredBy | undefined {
  if (!raw) return undefined;
  const value = raw.trim().toLowerCase().replace(/_/g, '-');
  return value === 'human' || value === 'voicemail' || value === 'no-answer' ? value : 'unknown';
}

function readTurns(payload: Payload): TranscriptTurn[] | undefined {
  const turns = (payload.transcripts ?? []).flatMap((entry): TranscriptTurn[] => {
    const said = entry?.text?.trim();
    if (!said) return [];
    const role = entry?.user?.toLowerCase();
    const speaker =
      role === 'user' ? 'user' : role === 'assistant' || role === 'agent' ? 'assistant' : 'system';
    return [{ speaker, text: said }];
  });
  return turns.length > 0 ? turns : undefined;
}

/** Bland's own format ("user: … \n assistant: …"), without system entries like its concatenated_transcript. */
function joinTurns(turns: TranscriptTurn[] | undefined): string | undefined {
  const spoken = (turns ?? []).filter((t) => t.speaker !== 'system');
  return spoken.length > 0 ? spoken.map((t) => `${t.speaker}: ${t.text}`).join(' \n ') : undefined;
}

function readEnd(
  payload: Payload,
  startedAt: Date | undefined,
  durationSeconds: number | undefined,
  now: Date,
): Date | undefined {
  const reported = readDate(payload.ended_at);
  if (reported) return reported;
  if (!startedAt || durationSeconds === undefined) return undefined;
  return new Date(Math.min(startedAt.getTime() + durationSeconds * 1000, now.getTime()));
}

function readDate(raw: string | null | undefined): Date | undefined {
  if (!raw) return undefined;
  const at = new Date(raw);
  return isStorableDate(at) ? at : undefined;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
