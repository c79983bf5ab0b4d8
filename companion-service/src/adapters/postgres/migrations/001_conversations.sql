-- Every conversation any way in hands over, from the moment it is durably accepted: what came in
-- (payload), where it is (status), how often it was tried, and what processing produced or why it
-- could not be. The idempotency key is unique per source, so a replay finds the row it made.
CREATE TABLE conversations (
  id text PRIMARY KEY,
  source text NOT NULL CHECK (source IN ('api', 'gong', 'voice-memo', 'platform-event')),
  idempotency_key text NOT NULL,
  correlation_id text NOT NULL,
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'processing', 'retrying', 'processed', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  payload jsonb NOT NULL,
  result jsonb,
  error_code text,
  error_message text,
  received_at timestamptz NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  next_attempt_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, idempotency_key)
);

CREATE INDEX conversations_status ON conversations (status);
