/** The JSON the app's /api answers with (see src/console-api/api-views.ts and src/mcp/call-view.ts). */

export type CallStatus =
  | 'pending'
  | 'dispatch_unknown'
  | 'queued'
  | 'ringing'
  | 'in_progress'
  | 'completed'
  | 'no_answer'
  | 'busy'
  | 'failed'
  | 'canceled';

export interface ConsoleConfig {
  public_url: string;
  mcp_url: string;
  simulated: boolean;
  supabase: { url: string; anon_key: string } | null;
  pricing: { credits_per_minute: number; minimum_charge: number };
}

export interface Balance {
  balance: number;
  held: number;
  available: number;
}

export interface Me {
  user: {
    id: string;
    email: string;
    via: 'api_key' | 'oauth' | 'session';
    api_key: { id: string; last4: string | null } | null;
    client_id: string | null;
  };
  credits: Balance;
}

export interface Call {
  call_id: string;
  status: CallStatus;
  terminal: boolean;
  terminal_reason: string | null;
  phone_number: string;
  created_at: string;
  scheduled_at: string | null;
  ended_at: string | null;
  answered_by: string | null;
  duration_seconds: number | null;
  held_credits: number;
  charged_credits: number | null;
  summary: string | null;
  recording_url: string | null;
  error: { code: string; message: string } | null;
  simulated: boolean;
}

export interface TranscriptTurn {
  speaker: 'user' | 'assistant' | 'system' | string;
  text: string;
}

export interface CallDetail extends Call {
  transcript?: string | null;
  transcript_truncated?: boolean;
  transcript_turns: TranscriptTurn[] | null;
}

export interface LedgerEntry {
  id: number;
  kind: 'grant' | 'adjust' | 'hold' | 'capture' | 'release' | 'refund';
  amount: number;
  call_id: string | null;
  reason: string | null;
  balance_after: number;
  held_after: number;
  created_at: string;
}

export interface ApiKey {
  id: string;
  name: string | null;
  prefix: string;
  last4: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  current: boolean;
}

export type CallPage = { calls: Call[]; next_cursor: string | null };
export type LedgerPage = { entries: LedgerEntry[]; next_cursor: string | null };
