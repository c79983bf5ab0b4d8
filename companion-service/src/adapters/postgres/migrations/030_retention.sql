-- Retention and erasure (SCRIBE_RETENTION_DAYS, DELETE /v1/conversations/:id, scribe erase): a
-- conversation's dead letters go with it, so no copy of its text outlives the row; and the sweep
-- finds finished conversations by when they finished without reading the whole table.
ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_conversation_id_fkey;
ALTER TABLE dead_letters
  ADD CONSTRAINT dead_letters_conversation_id_fkey
  FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE;

CREATE INDEX conversations_finished ON conversations (finished_at) WHERE status IN ('processed', 'dead');

CREATE INDEX pubsub_dead_letters_received ON pubsub_dead_letters (received_at);
