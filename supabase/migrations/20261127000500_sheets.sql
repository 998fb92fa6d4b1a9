-- Google Sheets call log. Postgres is the source of truth and the sheet is a projection of bland_mcp.calls:
-- every write to a call marks it dirty in the same transaction (trigger below), and one drain worker at a time
-- (lease 'sheets-drain') turns dirty calls into as few Sheets requests as it can. Pending work is the size of
-- the outbox, never the size of the history.

-- One row per call whose latest state is not yet in the sheet. `version` is bumped by every change, so the drain
-- deletes an entry only if nothing changed while its request was in flight.
CREATE TABLE bland_mcp.sheets_outbox (
  call_id         uuid PRIMARY KEY REFERENCES bland_mcp.calls (id) ON DELETE CASCADE,
  version         bigint NOT NULL DEFAULT 1,
  -- When the call first became dirty (kept across later changes): the "oldest pending" age is measured from here.
  enqueued_at     timestamptz NOT NULL DEFAULT now(),
  changed_at      timestamptz NOT NULL DEFAULT now(),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text,
  -- Dead letter: set after Google rejected the row (400/403/404) or after too many failed attempts.
  parked_at       timestamptz,
  -- Set before a values.append is sent and cleared once its row number is recorded. While set, the row may be in
  -- the sheet already (the response was lost, or the process died), so the drain reads the Call ID column
  -- before appending it again: values.append is not idempotent.
  append_sent_at  timestamptz
);
CREATE INDEX sheets_outbox_due ON bland_mcp.sheets_outbox (enqueued_at) WHERE parked_at IS NULL;
CREATE INDEX sheets_outbox_parked ON bland_mcp.sheets_outbox (parked_at) WHERE parked_at IS NOT NULL;

-- Where each call's row is, per spreadsheet and tab (rows are later updated in place at this number).
CREATE TABLE bland_mcp.sheets_rows (
  spreadsheet_id text NOT NULL,
  tab            text NOT NULL,
  call_id        uuid NOT NULL REFERENCES bland_mcp.calls (id) ON DELETE CASCADE,
  row_number     integer NOT NULL CHECK (row_number >= 2),
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (spreadsheet_id, tab, call_id)
);

-- Request budget shared by every instance: a token bucket plus a sliding window of recent grants (Google's
-- per-user quota), both checked by one atomic statement (src/sheets/sheets-throttle.ts). `paused_until`
-- spreads a 429/5xx back-off to the whole fleet; `failures` counts consecutive failures for the back-off exponent.
CREATE TABLE bland_mcp.sheets_throttle (
  name         text PRIMARY KEY,
  tokens       double precision NOT NULL,
  refilled_at  timestamptz NOT NULL,
  recent       timestamptz[] NOT NULL DEFAULT '{}',
  paused_until timestamptz,
  failures     integer NOT NULL DEFAULT 0
);

-- A new change also gives a dead-lettered call a fresh start: the change may have fixed what Google rejected.
-- The append marker survives (a row may still have landed).
CREATE FUNCTION bland_mcp.sheets_mark_call_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bland_mcp.sheets_outbox AS o (call_id) VALUES (NEW.id)
  ON CONFLICT (call_id) DO UPDATE
    SET version = o.version + 1,
        changed_at = now(),
        attempts = CASE WHEN o.parked_at IS NULL THEN o.attempts ELSE 0 END,
        parked_at = NULL;
  RETURN NULL;
END
$$;

CREATE TRIGGER calls_sheets_outbox_insert AFTER INSERT ON bland_mcp.calls
  FOR EACH ROW EXECUTE FUNCTION bland_mcp.sheets_mark_call_dirty();

-- Only changes to columns the sheet shows: the poller's bookkeeping (last_checked_at, check_attempts) and
-- updated_at alone must not cost a Sheets write.
CREATE TRIGGER calls_sheets_outbox_update AFTER UPDATE ON bland_mcp.calls
  FOR EACH ROW
  WHEN ((OLD.user_id, OLD.api_key_id, OLD.created_at, OLD.phone_number, OLD.status, OLD.answered_by,
         OLD.duration_seconds, OLD.held_credits, OLD.charged_credits, OLD.voice, OLD.task, OLD.from_number,
         OLD.summary, OLD.recording_url, OLD.transcript, OLD.error_code, OLD.error_message, OLD.simulated)
        IS DISTINCT FROM
        (NEW.user_id, NEW.api_key_id, NEW.created_at, NEW.phone_number, NEW.status, NEW.answered_by,
         NEW.duration_seconds, NEW.held_credits, NEW.charged_credits, NEW.voice, NEW.task, NEW.from_number,
         NEW.summary, NEW.recording_url, NEW.transcript, NEW.error_code, NEW.error_message, NEW.simulated))
  EXECUTE FUNCTION bland_mcp.sheets_mark_call_dirty();
