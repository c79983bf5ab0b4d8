-- Orgs connected to a multi-org service (SCRIBE_TENANCY=multi; 060-069: connecting orgs). One row per
-- org, keyed by its 18-character org id: where it lives, who connected it, where the connection
-- stands, and its OAuth tokens sealed with AES-256-GCM (iv | ciphertext | tag, the org id as
-- associated data) under the key `tokens_key_id` names. Never a token in clear.
CREATE TABLE org_connections (
  org_id text PRIMARY KEY CHECK (org_id ~ '^00D[A-Za-z0-9]{15}$'),
  instance_url text,
  -- Where tokens are refreshed and revoked: the org's My Domain, or the login URL it connected through.
  login_url text NOT NULL,
  -- The admin who approved the connection (their user id and username); cleared on erasure.
  connected_by_user_id text,
  connected_by_username text,
  state text NOT NULL CHECK (state IN ('connected', 'refresh_failed', 'revoked', 'disconnected', 'erased')),
  tokens_key_id text,
  tokens_sealed bytea,
  last_error text,
  connected_at timestamptz,
  refreshed_at timestamptz,
  disconnected_at timestamptz,
  -- When a disconnected org's data is erased (disconnected_at + SCRIBE_ORG_ERASURE_GRACE_DAYS).
  erase_after timestamptz,
  erased_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((tokens_sealed IS NULL) = (tokens_key_id IS NULL))
);

CREATE INDEX org_connections_erase_due ON org_connections (erase_after) WHERE state = 'disconnected';

-- Connections started from an org's setup page and not yet completed: the PKCE verifier, sealed like
-- the tokens, kept here so any instance of the service can complete the callback. Found by the
-- SHA-256 of the state (the state itself travels only through the admin's browser), deleted when
-- used, refused after `expires_at`.
CREATE TABLE org_connection_starts (
  state_hash text PRIMARY KEY,
  org_id text NOT NULL CHECK (org_id ~ '^00D[A-Za-z0-9]{15}$'),
  login_url text NOT NULL,
  verifier_key_id text NOT NULL,
  verifier_sealed bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE INDEX org_connection_starts_expiry ON org_connection_starts (expires_at);
