-- Signed deliveries and notification ids already taken (055-059: capture channels), shared by every
-- web process on this database: Zoom's and the recorders' signatures for as long as their timestamp
-- window lets them be sent again, Graph's notification ids for as long as Graph retries one. The
-- insert decides (ON CONFLICT), so two processes offered the same delivery at once take it once.
-- Only authenticated deliveries are stored, and rows past `expires_at` are purged every minute, so
-- the table holds at most one window of real traffic.
CREATE TABLE seen_deliveries (
  channel text NOT NULL CHECK (channel ~ '^[a-z][a-z-]{1,30}$'),
  -- A SHA-256 of the signature or notification id: fixed width, and nothing a sender chose verbatim.
  fingerprint text NOT NULL CHECK (length(fingerprint) = 64),
  seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  -- The org the delivery was for, once deliveries are isolated per org (migration 070); null until then.
  org_id text,
  PRIMARY KEY (channel, fingerprint)
);

CREATE INDEX seen_deliveries_expiry ON seen_deliveries (expires_at);

-- The Microsoft Graph subscription that delivers Teams transcripts, one per resource, shared by every
-- process: whichever holds the advisory lock creates or renews it, so several web processes keep one
-- subscription between them instead of one each.
CREATE TABLE graph_subscriptions (
  resource text PRIMARY KEY,
  subscription_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  org_id text
);
