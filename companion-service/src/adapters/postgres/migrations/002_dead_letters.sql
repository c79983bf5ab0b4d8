-- Conversations that cannot be processed without a person: why (reason, error code), what they
-- carried, and when. A re-drive keeps the letter and stamps it, so the history stays.
CREATE TABLE dead_letters (
  id bigserial PRIMARY KEY,
  conversation_id text NOT NULL REFERENCES conversations (id),
  reason text NOT NULL,
  error_code text NOT NULL,
  attempts integer NOT NULL,
  payload jsonb NOT NULL,
  dead_at timestamptz NOT NULL DEFAULT now(),
  redriven_at timestamptz
);

CREATE INDEX dead_letters_open ON dead_letters (conversation_id) WHERE redriven_at IS NULL;
