-- Idempotency as Stripe keeps it: a caller's Idempotency-Key is bound to the fingerprint of its first
-- request (request_hash, the SHA-256 of the canonical body) for 24 hours, so the same key with another
-- body is refused rather than answered with the first result; then the key is released
-- (key_expired_at, the fingerprint dropped) and may name a new conversation. Keys the service derives
-- itself (Gong call ids, event ids, source ids) carry no fingerprint and are never released.
ALTER TABLE conversations ADD COLUMN request_hash text;
ALTER TABLE conversations ADD COLUMN key_expired_at timestamptz;

ALTER TABLE conversations DROP CONSTRAINT conversations_source_idempotency_key_key;
CREATE UNIQUE INDEX conversations_live_key ON conversations (source, idempotency_key)
  WHERE key_expired_at IS NULL;

CREATE INDEX conversations_kept_keys ON conversations (received_at) WHERE request_hash IS NOT NULL;
