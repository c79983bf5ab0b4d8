-- Platform Events through the Pub/Sub API. Where each topic's subscription got to: the replay id of
-- the last event handed on (8 bytes, as the API gives it), so a restart resumes right after it.
CREATE TABLE pubsub_replay_positions (
  topic text PRIMARY KEY,
  replay_id bytea NOT NULL CHECK (octet_length(replay_id) = 8),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Events that could never be used (undecodable Avro, fields the package could not have sent), kept
-- with the reason and the bytes as received; the subscriber moves past them instead of stopping.
CREATE TABLE pubsub_dead_letters (
  topic text NOT NULL,
  replay_id bytea NOT NULL,
  event_id text,
  reason text NOT NULL,
  payload bytea NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, replay_id)
);

-- Reps' decisions on suggestions (Suggestion_Decided__e): the evidence earned trust is read from.
-- One row per event, so a redelivered event changes nothing.
CREATE TABLE suggestion_decisions (
  event_id text PRIMARY KEY,
  suggestion_id text NOT NULL,
  external_id text,
  decision text NOT NULL CHECK (decision IN ('Accepted', 'Edited', 'Rejected', 'Stale', 'Failed')),
  opportunity_id text,
  target_object text,
  target_field text,
  target_record_id text,
  proposed_value text,
  applied_value text,
  confidence numeric,
  decided_by_id text,
  decided_at timestamptz NOT NULL,
  message text,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX suggestion_decisions_field ON suggestion_decisions (target_object, target_field, decided_at DESC);

-- Deals the pipeline-intelligence engine should score again (Opportunity_Changed__e): one open
-- request per deal, however often it changed; done_at is set by the engine when it has re-scored.
CREATE TABLE rescore_requests (
  opportunity_id text PRIMARY KEY,
  changed_fields text[] NOT NULL DEFAULT '{}',
  is_new boolean NOT NULL DEFAULT false,
  event_id text NOT NULL,
  requested_at timestamptz NOT NULL,
  done_at timestamptz
);

CREATE INDEX rescore_requests_open ON rescore_requests (requested_at) WHERE done_at IS NULL;
