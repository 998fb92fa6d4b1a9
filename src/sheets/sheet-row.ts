/** One call as the drain reads it (calls joined with users and api_keys). */
export interface CallSnapshot {
  id: string;
  created_at: Date;
  user_id: string;
  user_email: string;
  api_key_last4: string | null;
  phone_number: string;
  status: string;
  answered_by: string | null;
  duration_seconds: number | null;
  /** bigint columns arrive from pg as strings. */
  held_credits: string;
  charged_credits: string | null;
  voice: string | null;
  task: string | null;
  from_number: string | null;
  summary: string | null;
  recording_url: string | null;
  transcript: string | null;
  error_code: string | null;
  error_message: string | null;
  updated_at: Date;
  simulated: boolean;
}

/** A cell as sent with valueInputOption RAW: strings stay text (no formulas, no number or date parsing). */
export type SheetCell = string | number | boolean;

/** Google refuses a cell over 50,000 characters. */
export const CELL_CHARACTER_LIMIT = 50_000;
const LONG_TEXT_LIMIT = 49_000;
const TASK_LIMIT = 5_000;
const TRUNCATION_MARK = ' … [truncated]';

/** Fetching more than this from Postgres is wasted: every text column is cut below it. */
export const TEXT_FETCH_LIMIT = LONG_TEXT_LIMIT + 1;

const COLUMNS: readonly [header: string, value: (c: CallSnapshot) => SheetCell | null][] = [
  ['Call ID', (c) => c.id],
  ['Created at', (c) => c.created_at.toISOString()],
  ['User ID', (c) => c.user_id],
  ['User email', (c) => c.user_email],
  ['API key (last 4)', (c) => c.api_key_last4],
  ['Phone number', (c) => c.phone_number],
  ['Status', (c) => c.status],
  ['Answered by', (c) => c.answered_by],
  ['Duration (s)', (c) => c.duration_seconds],
  ['Credits held', (c) => credits(c.held_credits)],
  ['Credits charged', (c) => credits(c.charged_credits)],
  ['Voice', (c) => c.voice],
  ['Task (truncated)', (c) => truncate(c.task, TASK_LIMIT)],
  ['From', (c) => c.from_number],
  ['Summary', (c) => truncate(c.summary, LONG_TEXT_LIMIT)],
  ['Recording URL', (c) => c.recording_url],
  ['Transcript (truncated)', (c) => truncate(c.transcript, LONG_TEXT_LIMIT)],
  [
    'Error',
    (c) => truncate([c.error_code, c.error_message].filter(Boolean).join(': ') || null, LONG_TEXT_LIMIT),
  ],
  ['Last updated', (c) => c.updated_at.toISOString()],
  ['Simulated', (c) => c.simulated],
];

export const SHEET_HEADER: readonly string[] = COLUMNS.map(([header]) => header);
export const SHEET_COLUMN_COUNT = COLUMNS.length;
/** Column A holds the call id: the key used to find rows again after an ambiguous append. */
export const CALL_ID_COLUMN_INDEX = 0;

/**
 * The sheet row for a call. Empty values are sent as '' because Sheets skips null cells, which would leave a
 * stale value behind when a field is cleared.
 */
export function toSheetRow(call: CallSnapshot): SheetCell[] {
  return COLUMNS.map(([, value]) => value(call) ?? '');
}

/** Cuts text to `max` UTF-16 units (never more characters than that), without splitting a surrogate pair. */
export function truncate(text: string | null, max: number): string | null {
  if (text === null || text.length <= max) return text;
  let end = max - TRUNCATION_MARK.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + TRUNCATION_MARK;
}

function credits(value: string | null): number | string | null {
  if (value === null) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
