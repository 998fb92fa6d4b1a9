CREATE TABLE bland_mcp.users (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email        text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
  display_name text,
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  -- Supabase Auth user id (the `sub` of its OAuth access tokens), set for users who sign in with OAuth.
  auth_subject text UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON bland_mcp.users (email);

-- API keys are stored only as SHA-256 hashes; the clear key is shown once at creation.
CREATE TABLE bland_mcp.api_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES bland_mcp.users (id),
  key_hash     bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
  prefix       text NOT NULL,
  last4        text NOT NULL,
  name         text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz
);
CREATE INDEX api_keys_user ON bland_mcp.api_keys (user_id);

-- Integer credits. The invariants live in the database so no code path can break them.
CREATE TABLE bland_mcp.credit_accounts (
  user_id    uuid PRIMARY KEY REFERENCES bland_mcp.users (id),
  balance    bigint NOT NULL DEFAULT 0,
  held       bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT credit_accounts_held_non_negative CHECK (held >= 0),
  CONSTRAINT credit_accounts_available_non_negative CHECK (balance - held >= 0)
);

CREATE TABLE bland_mcp.ledger_entries (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES bland_mcp.users (id),
  kind          text NOT NULL CHECK (kind IN ('grant', 'adjust', 'hold', 'capture', 'release', 'refund')),
  -- Signed change to the balance for grant/adjust/capture/refund; the held amount for hold/release.
  amount        bigint NOT NULL,
  call_id       uuid,
  reason        text,
  actor         text NOT NULL,
  balance_after bigint NOT NULL,
  held_after    bigint NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (kind IN ('grant', 'adjust') OR call_id IS NOT NULL)
);
CREATE INDEX ledger_entries_user ON bland_mcp.ledger_entries (user_id, id DESC);
-- One hold, one capture, one release, one refund per call: every money operation is idempotent and retry-safe.
CREATE UNIQUE INDEX ledger_entries_one_per_call ON bland_mcp.ledger_entries (call_id, kind)
  WHERE kind IN ('hold', 'capture', 'release', 'refund');

-- The ledger is append-only.
CREATE FUNCTION bland_mcp.ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON bland_mcp.ledger_entries
  FOR EACH ROW EXECUTE FUNCTION bland_mcp.ledger_entries_append_only();
