-- bland-mcp keeps every table in its own schema. Supabase's Data API (PostgREST) exposes only the schemas it is
-- configured for (public by default), and the anon/authenticated roles get no privileges here, so nothing in this
-- schema is reachable through the Data API even if it were exposed.
CREATE SCHEMA IF NOT EXISTS bland_mcp;
REVOKE ALL ON SCHEMA bland_mcp FROM PUBLIC;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
    EXECUTE 'REVOKE ALL ON SCHEMA bland_mcp FROM anon';
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA bland_mcp REVOKE ALL ON TABLES FROM anon';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    EXECUTE 'REVOKE ALL ON SCHEMA bland_mcp FROM authenticated';
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA bland_mcp REVOKE ALL ON TABLES FROM authenticated';
  END IF;
END
$$;

-- Leases: one runner at a time across every instance and the Lambda (poller, Sheets drain). Taken and renewed with
-- single atomic statements, so they work through a transaction pooler (no session advisory locks).
CREATE TABLE bland_mcp.leases (
  name            text PRIMARY KEY,
  owner           text,
  acquired_at     timestamptz,
  expires_at      timestamptz,
  heartbeat_at    timestamptz,
  last_success_at timestamptz,
  last_summary    jsonb
);
