/**
 * Renders simulator calls in Bland's wire format: the call-details object (also the webhook body) and list rows.
 * Live status words are undocumented by Bland; the simulator uses queued → ringing → in-progress with the
 * documented queue_status values (queued → allocated → started → complete).
 */
import { phoneKey } from '../bland.phone.js';
import type { BlandCallDetails, BlandCallListItem, BlandListCallsResponse } from '../bland.types.js';
import type { CallRecord } from './sim.calls.js';
import { concatenate } from './sim.script.js';

/** Current Bland list price per connected minute (Start plan) and the minimum for a dialled call. */
const USD_PER_MINUTE = 0.14;
const USD_MINIMUM_DIALLED = 0.015;

const LIVE_WORDS = {
  scheduled: { status: 'queued', queue: 'queued' },
  queued: { status: 'queued', queue: 'queued' },
  ringing: { status: 'ringing', queue: 'allocated' },
  in_progress: { status: 'in-progress', queue: 'started' },
} as const;

export function renderDetails(record: CallRecord, baseUrl: string): BlandCallDetails {
  const { request, end } = record;
  const maxDuration = request.max_duration ?? 30;
  const connected = end !== undefined && end.talkSeconds > 0;
  const words =
    record.phase === 'ended'
      ? { status: end!.status, queue: end!.status === 'failed' ? 'call_error' : 'complete' }
      : LIVE_WORDS[record.phase];
  const transcripts = (end?.turns ?? []).map((turn, index) => ({
    id: index + 1,
    created_at: new Date((record.startedAt ?? record.createdAt).getTime() + index * 1000).toISOString(),
    text: turn.text,
    user: turn.user,
    c_id: record.callId,
  }));
  return {
    call_id: record.callId,
    c_id: record.callId,
    call_length: end ? round(end.talkSeconds / 60, 4) : null,
    batch_id: null,
    to: request.phone_number,
    from: record.fromNumber,
    request_data: { ...request },
    completed: record.phase === 'ended',
    created_at: record.createdAt.toISOString(),
    started_at: record.startedAt?.toISOString() ?? null,
    end_at: record.startedAt
      ? new Date(record.startedAt.getTime() + maxDuration * 60_000).toISOString()
      : null,
    inbound: false,
    queue_status: words.queue,
    endpoint_url: 'simulator.bland.local',
    max_duration: maxDuration,
    error_message: end?.errorMessage ?? null,
    variables: systemVariables(record),
    answered_by: end?.answeredBy ?? null,
    record: request.record ?? false,
    recording_url: connected && request.record ? `${baseUrl}/v1/calls/${record.callId}/recording` : null,
    metadata: request.metadata ?? {},
    summary: end?.summary ?? null,
    price: end ? price(end.talkSeconds, record.dialed) : null,
    call_ended_by: end?.endedBy ?? null,
    pathway_id: request.pathway_id ?? null,
    analysis: null,
    concatenated_transcript: end ? concatenate(end.turns) : null,
    transcripts,
    status: words.status,
    corrected_duration: end ? String(end.ringSeconds + end.talkSeconds) : null,
    transferred_to: null,
    transferred_at: null,
  };
}

/** List rows carry only the fields Bland documents for them. */
export function renderListRow(details: BlandCallDetails): BlandCallListItem {
  const { call_id, created_at, call_length, to, from, completed, queue_status, error_message, answered_by } =
    details;
  return {
    call_id,
    created_at,
    call_length,
    to,
    from,
    completed,
    queue_status,
    error_message,
    answered_by,
    batch_id: null,
  };
}

export interface ListEntry {
  details: BlandCallDetails;
  updatedAt: Date;
  /** Acceptance order, breaking ties between calls created in the same millisecond. */
  sequence: number;
}

/** GET /v1/calls filtering, sorting and index pagination over rendered details. */
export function listCalls(all: ListEntry[], query: URLSearchParams): BlandListCallsResponse {
  const matches = all.filter(({ details }) => matchesQuery(details, query));
  const byUpdate = query.get('sort_by') === 'updated_at';
  const direction = query.get('ascending') === 'true' ? 1 : -1;
  const time = (entry: ListEntry) =>
    byUpdate ? entry.updatedAt.getTime() : Date.parse(entry.details.created_at ?? '');
  matches.sort((a, b) => (time(a) - time(b) || a.sequence - b.sequence) * direction);
  const start = nonNegativeInt(query.get('from')) ?? 0;
  const end = nonNegativeInt(query.get('to'));
  const limit = nonNegativeInt(query.get('limit')) ?? 1000;
  const page = matches.slice(start, end).slice(0, limit);
  return {
    total_count: matches.length,
    count: page.length,
    calls: page.map(({ details }) => renderListRow(details)),
  };
}

function matchesQuery(details: BlandCallDetails, query: URLSearchParams): boolean {
  const day = (details.created_at ?? '').slice(0, 10);
  const minutes = details.call_length ?? 0;
  const checks: [string, (value: string) => boolean][] = [
    ['to_number', (v) => phoneKey(v) === phoneKey(details.to)],
    ['from_number', (v) => phoneKey(v) === phoneKey(details.from)],
    ['start_date', (v) => day >= v],
    ['end_date', (v) => day <= v],
    ['completed', (v) => String(details.completed) === v],
    ['batch_id', (v) => details.batch_id === v],
    ['answered_by', (v) => details.answered_by === v],
    ['inbound', (v) => String(details.inbound) === v],
    ['duration_gt', (v) => minutes > Number(v)],
    ['duration_lt', (v) => minutes < Number(v)],
  ];
  return checks.every(([name, test]) => {
    const value = query.get(name);
    return value === null || value === '' || test(value);
  });
}

function systemVariables(record: CallRecord): Record<string, unknown> {
  const to = record.request.phone_number;
  return {
    now_utc: record.createdAt.toUTCString(),
    from: record.fromNumber,
    to,
    short_from: record.fromNumber.replace(/^\+1/, ''),
    short_to: to.replace(/^\+1/, ''),
    call_id: record.callId,
    phone_number: to,
    ...(record.request.request_data ?? {}),
  };
}

function price(talkSeconds: number, dialed: boolean): number {
  if (talkSeconds > 0) return Math.max(USD_MINIMUM_DIALLED, round((talkSeconds / 60) * USD_PER_MINUTE, 4));
  return dialed ? USD_MINIMUM_DIALLED : 0;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function nonNegativeInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
