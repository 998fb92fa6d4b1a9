CREATE TABLE bland_mcp.calls (
  id                   uuid PRIMARY KEY,
  user_id              uuid NOT NULL REFERENCES bland_mcp.users (id),
  api_key_id           uuid REFERENCES bland_mcp.api_keys (id),
  idempotency_key      text,
  request_fingerprint  text NOT NULL,
  status               text NOT NULL CHECK (status IN ('pending', 'dispatch_unknown', 'queued', 'ringing',
                         'in_progress', 'completed', 'no_answer', 'busy', 'failed', 'canceled')),
  phone_number         text NOT NULL,
  from_number          text,
  task                 text,
  pathway_id           text,
  voice                text,
  language             text,
  max_duration_minutes integer NOT NULL CHECK (max_duration_minutes > 0),
  request              jsonb NOT NULL,
  bland_call_id        text UNIQUE,
  simulated            boolean NOT NULL,
  held_credits         bigint NOT NULL DEFAULT 0,
  charged_credits      bigint,
  answered_by          text,
  duration_seconds     integer,
  summary              text,
  recording_url        text,
  transcript           text,
  transcript_turns     jsonb,
  error_code           text,
  error_message        text,
  scheduled_at         timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  dispatched_at        timestamptz,
  ended_at             timestamptz,
  last_checked_at      timestamptz,
  check_attempts       integer NOT NULL DEFAULT 0,
  UNIQUE (user_id, idempotency_key)
);
CREATE INDEX calls_user_created ON bland_mcp.calls (user_id, created_at DESC, id DESC);
CREATE INDEX calls_user_phone ON bland_mcp.calls (user_id, phone_number, created_at DESC);
-- The poller works on active calls only: its cost follows the number of live calls, not the history.
CREATE INDEX calls_active ON bland_mcp.calls (last_checked_at NULLS FIRST, created_at)
  WHERE status IN ('pending', 'dispatch_unknown', 'queued', 'ringing', 'in_progress');
