-- One service for many customer orgs (issue 20): every row carries the Salesforce org it belongs to
-- (the 18-character org id, 00D...), and Postgres itself keeps each org to its own rows. The service
-- runs its queries as scribe_app, which row-level security applies to (it never applies to a
-- superuser or a BYPASSRLS role, which the embedded Postgres's login is), with the org set for the
-- transaction (set_config('scribe.org_id', org, true), adapters/postgres/org-scope.ts); a query
-- without the org set sees no row and may write none.
-- https://www.postgresql.org/docs/current/ddl-rowsecurity.html
--
-- EVERY NEW TABLE that holds an org's data must call scribe_isolate('the_table') in its migration;
-- test/adapters/postgres/org-isolation-lint.test.ts fails for a table without the policy. A unique key
-- that an external id (a Gong call id, an event id, a UID) takes part in starts with org_id, so two
-- orgs may hold the same one.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'scribe_app') THEN
    CREATE ROLE scribe_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;
-- The login that owns the tables switches to scribe_app (SET LOCAL ROLE), which needs membership
-- unless it is a superuser.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT scribe_app TO %I', current_user);
  END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO scribe_app;

-- The org a single-org service serves (SF_* or the local org), recorded when it first starts
-- (scribe_claim_single_org). Rows written before this migration belong to it.
CREATE TABLE scribe_single_org (
  only_one boolean PRIMARY KEY DEFAULT true CHECK (only_one),
  org_id text NOT NULL CHECK (org_id ~ '^00D[A-Za-z0-9]{15}$'),
  claimed_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON scribe_single_org FROM scribe_app;

-- Rows that existed before any org was known: the single org claims them at its first start.
CREATE FUNCTION scribe_unclaimed_org() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT '00D000000000000AAA' $$;

-- The single org, or the placeholder before it first started. Jobs queued before this migration
-- carry no org and are its own.
CREATE FUNCTION scribe_single_org_id() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp AS $$
  SELECT COALESCE((SELECT org_id FROM scribe_single_org), scribe_unclaimed_org())
$$;
GRANT EXECUTE ON FUNCTION scribe_single_org_id() TO scribe_app;

-- The org a new row belongs to: the transaction's. Sessions of the owner (migrations, maintenance)
-- that set none write for the single org; scribe_app's policy refuses any row but its org's, so for
-- the service this default is never a way around the setting.
CREATE FUNCTION scribe_default_org_id() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT COALESCE(NULLIF(current_setting('scribe.org_id', true), ''), scribe_single_org_id())
$$;

-- Adds the org column (backfilled for existing rows), forces row-level security with the one policy,
-- and gives scribe_app the rights to use the table. Idempotent, so a migration may call it again.
CREATE FUNCTION scribe_isolate(target regclass) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  seq record;
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_attribute WHERE attrelid = target AND attname = 'org_id' AND NOT attisdropped
  ) THEN
    EXECUTE format('ALTER TABLE %s ADD COLUMN org_id text NOT NULL DEFAULT scribe_default_org_id()', target);
    EXECUTE format(
      'ALTER TABLE %s ADD CONSTRAINT %I CHECK (org_id ~ ''^00D[A-Za-z0-9]{15}$'')',
      target, replace(target::text, '.', '_') || '_org_id_form');
  END IF;
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
  EXECUTE format('DROP POLICY IF EXISTS scribe_org_isolation ON %s', target);
  EXECUTE format(
    'CREATE POLICY scribe_org_isolation ON %s USING (org_id = current_setting(''scribe.org_id'', true)) '
    'WITH CHECK (org_id = current_setting(''scribe.org_id'', true))', target);
  -- No TRUNCATE: it ignores row-level security.
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO scribe_app', target);
  FOR seq IN
    SELECT s.oid::regclass AS name FROM pg_depend d JOIN pg_class s ON s.oid = d.objid
     WHERE d.refobjid = target AND d.deptype IN ('a', 'i') AND s.relkind = 'S'
  LOOP
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO scribe_app', seq.name);
  END LOOP;
END
$$;

SELECT scribe_isolate(t::regclass) FROM unnest(ARRAY[
  'conversations', 'dead_letters', 'pubsub_replay_positions', 'pubsub_dead_letters',
  'suggestion_decisions', 'rescore_requests', 'calendar_meetings'
]) AS t;

-- Unique keys with the org first. A conversation's id is derived from its source and key, so two orgs
-- sending the same Gong call make the same id: it is unique per org, and its dead letters point at it
-- within the org.
ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_conversation_id_fkey;
ALTER TABLE conversations DROP CONSTRAINT conversations_pkey;
ALTER TABLE conversations ADD PRIMARY KEY (org_id, id);
ALTER TABLE dead_letters
  ADD CONSTRAINT dead_letters_conversation_id_fkey
  FOREIGN KEY (org_id, conversation_id) REFERENCES conversations (org_id, id)
  ON DELETE CASCADE ON UPDATE CASCADE;
DROP INDEX dead_letters_open;
CREATE INDEX dead_letters_open ON dead_letters (org_id, conversation_id) WHERE redriven_at IS NULL;

DROP INDEX conversations_live_key;
CREATE UNIQUE INDEX conversations_live_key ON conversations (org_id, source, idempotency_key)
  WHERE key_expired_at IS NULL;

ALTER TABLE pubsub_replay_positions DROP CONSTRAINT pubsub_replay_positions_pkey;
ALTER TABLE pubsub_replay_positions ADD PRIMARY KEY (org_id, topic);
ALTER TABLE pubsub_dead_letters DROP CONSTRAINT pubsub_dead_letters_pkey;
ALTER TABLE pubsub_dead_letters ADD PRIMARY KEY (org_id, topic, replay_id);
ALTER TABLE suggestion_decisions DROP CONSTRAINT suggestion_decisions_pkey;
ALTER TABLE suggestion_decisions ADD PRIMARY KEY (org_id, event_id);
ALTER TABLE rescore_requests DROP CONSTRAINT rescore_requests_pkey;
ALTER TABLE rescore_requests ADD PRIMARY KEY (org_id, opportunity_id);
ALTER TABLE calendar_meetings DROP CONSTRAINT calendar_meetings_pkey;
ALTER TABLE calendar_meetings ADD PRIMARY KEY (org_id, uid);

-- The single org's first start: it becomes the org that owner sessions write for, and the rows
-- written before any org was known become its own. Run by the owner (RLS does not hold it back).
CREATE FUNCTION scribe_claim_single_org(org text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  target regclass;
  moved bigint := 0;
  n bigint;
BEGIN
  IF org !~ '^00D[A-Za-z0-9]{15}$' THEN
    RAISE EXCEPTION 'org id % is not an 18-character Salesforce org id (00D...)', org;
  END IF;
  INSERT INTO scribe_single_org (org_id) VALUES (org)
    ON CONFLICT (only_one) DO UPDATE SET org_id = EXCLUDED.org_id, claimed_at = now()
    WHERE scribe_single_org.org_id IS DISTINCT FROM EXCLUDED.org_id;
  FOR target IN
    SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped
     WHERE n.nspname = 'public' AND c.relkind = 'r'
     -- Tables others point at first: their keys carry the pointing rows along (ON UPDATE CASCADE),
     -- where a pointing row moved first would point at nothing.
     ORDER BY EXISTS (SELECT 1 FROM pg_constraint f WHERE f.confrelid = c.oid AND f.contype = 'f') DESC
  LOOP
    EXECUTE format('UPDATE %s SET org_id = $1 WHERE org_id = scribe_unclaimed_org()', target) USING org;
    GET DIAGNOSTICS n = ROW_COUNT;
    moved := moved + n;
  END LOOP;
  RETURN moved;
END
$$;
